"""Lambda's asynchronous invocation (moto runs it at once, inside the request, swallowing its
failure): Invoke with InvocationType=Event and every other service's event (invoke_event) queue,
retried by the event invoke config, then sent to the dead-letter queue with Lambda's message
attributes."""

from __future__ import annotations

import base64
import json
import logging
import uuid
from typing import Any

from moto.awslambda.exceptions import UnknownFunctionException
from moto.awslambda.models import LambdaFunction
from moto.awslambda.utils import get_backend
from moto.sqs.models import sqs_backends

from localcloud.cloud import LocalCloud
from localcloud.iam import callers
from localcloud.lambda_ import metrics, redelivery
from localcloud.lambda_.event_queue import DEFAULT_CONCURRENCY, AsyncInvoker, Failure, Job, Policy
from localcloud.lambda_.execution import run

LOG = logging.getLogger(__name__)
# Lambda truncates the ErrorMessage attribute of a dead-letter message to 1 KB.
ERROR_MESSAGE_LIMIT = 1024
# The code of a failure for want of concurrency (Lambda's TooManyRequestsException).
THROTTLED = 429
# The header moto's server (and AWS) answers every request's id in.
REQUEST_ID_HEADER = "x-amzn-requestid"


def policy_of(function: LambdaFunction) -> Policy:
    """Retries and event age from the function's event invoke config (the latest one put),
    concurrency from its reserved concurrency."""
    config = function.event_invoke_config[-1].config if function.event_invoke_config else {}
    reserved = function.reserved_concurrency
    return Policy(
        max_retries=int(config.get("MaximumRetryAttempts", Policy.max_retries)),
        max_event_age=float(config.get("MaximumEventAgeInSeconds", Policy.max_event_age)),
        concurrency=DEFAULT_CONCURRENCY if reserved in (None, "") else int(reserved),
    )


def job_for(function: LambdaFunction, event: Any) -> Job:
    """One event on Lambda's queue, with a fresh request id."""
    return Job(function.function_arn, str(uuid.uuid4()), event, policy_of(function), context=function)


def submit(cloud: LocalCloud, function: LambdaFunction, event: Any) -> str:
    """Queue one asynchronous invocation, and its duplicate when the redelivery option chooses it
    (its own event on the queue, with its own request id and retries); the first one's request id."""
    job = job_for(function, event)
    cloud.invoker.submit(job)
    when = cloud.redelivery.choose()
    if when == redelivery.CONCURRENT:
        cloud.invoker.submit(job_for(function, event))
    elif when == redelivery.AFTER:
        cloud.redelivery.hold(job.request_id, job_for(function, event))
    return job.request_id


def attempt(cloud: LocalCloud, job: Job) -> Failure | None:
    """One try of a queued invocation, with the function's $LATEST as it is now (code and
    configuration updated since the event was queued, or a function replaced under the same ARN):
    None when the function succeeded, or no longer exists (Lambda then discards the event). A
    duplicate held back for this event is queued once the try has ended, whatever its outcome."""
    _, _, _, region, account = job.function.split(":")[:5]
    try:
        try:
            job.context = get_backend(account, region).get_function(job.function)
        except UnknownFunctionException:
            LOG.error("event %s discarded: the function %s no longer exists", job.request_id, job.function)
            return None
        result = run(cloud, job.context, job.event, job.request_id)
    finally:
        cloud.redelivery.release(job.request_id, lambda duplicate: queue_duplicate(cloud, duplicate))
    return Failure(200, result.error_message) if result.errored else None


def queue_duplicate(cloud: LocalCloud, duplicate: Job) -> None:
    """Queue a redelivered event; when the server is stopping it is not delivered (logged)."""
    try:
        cloud.invoker.submit(duplicate)
    except RuntimeError as error:
        LOG.error("redelivery %s of %s not queued: %s", duplicate.request_id, duplicate.function, error)


def send_to_dead_letter_queue(cloud: LocalCloud, job: Job, failure: Failure) -> None:
    """The event, unchanged, to the function's DeadLetterConfig queue with RequestID, ErrorCode
    and ErrorMessage attributes; without a dead-letter queue Lambda discards it. Either way it
    counts in AsyncEventsDropped (and in Throttles when concurrency refused it), and a dead letter
    not sent in DeadLetterErrors."""
    metrics.count(job.function, "AsyncEventsDropped")
    if failure.code == THROTTLED:
        metrics.count(job.function, "Throttles")
    target = cloud.dead_letter_targets.get(job.context.function_arn)
    if not target:
        return
    _, _, _, region, account, queue_name = target.split(":", 5)
    if not callers.role_allows(job.context.account_id, job.context.role, "sqs:SendMessage", target):
        LOG.error(
            "could not send event %s to the dead-letter queue %s: the execution role %s may not sqs:SendMessage "
            "on it (Lambda drops the event, counting DeadLetterErrors)",
            job.request_id,
            target,
            job.context.role,
        )
        metrics.count(job.function, "DeadLetterErrors")
        return
    attributes = {
        "RequestID": {"DataType": "String", "StringValue": job.request_id},
        "ErrorCode": {"DataType": "Number", "StringValue": str(failure.code)},
        "ErrorMessage": {"DataType": "String", "StringValue": failure.message[:ERROR_MESSAGE_LIMIT]},
    }
    try:
        sqs_backends[account][region].send_message(queue_name, json.dumps(job.event), message_attributes=attributes)
    except Exception as error:  # noqa: BLE001 - any failure of the queue (gone, too large...) loses the event, as on
        # AWS, where Lambda counts a DeadLetterErrors metric: say it, and keep the invoker's thread alive.
        LOG.error("could not send event %s to the dead-letter queue %s: %s", job.request_id, target, error)
        metrics.count(job.function, "DeadLetterErrors")


def invoker_for(cloud: LocalCloud) -> AsyncInvoker:
    """The asynchronous invoker of this cloud: retries after its retry delay, then twice that."""
    return AsyncInvoker(
        lambda job: attempt(cloud, job),
        lambda job, failure: send_to_dead_letter_queue(cloud, job, failure),
        cloud.options.retry_delay,
    )


def invoke_event(cloud: LocalCloud, account_id: str, region: str, function_arn: str, event: Any) -> str | None:
    """Lambda's Invoke with InvocationType=Event, for the other services (S3's notifications): the
    request id, or None when the function does not exist (the event is dropped) or the server is
    stopping (logged)."""
    try:
        function = get_backend(account_id, region).get_function(function_arn)
    except UnknownFunctionException:  # S3 delivers to a function that no longer exists nowhere
        return None
    try:
        return submit(cloud, function, event)
    except RuntimeError as error:  # the server is stopping; the caller's own request succeeded
        LOG.error("event for %s not delivered: %s", function_arn, error)
        return None


def invoke_by_type(
    cloud: LocalCloud, original: Any, self: LambdaFunction, body: str, request_headers: Any, response_headers: Any
) -> str | bytes:
    """LambdaFunction.invoke: one request id per invocation, answered as x-amzn-RequestId (the
    handler's context.aws_request_id); InvocationType=Event is queued and answered at once (202);
    a synchronous one answers ExecutedVersion and, when the function raised, FunctionError
    "Unhandled". Without a payload the handler gets {}."""
    event = json.loads(body) if body else {}
    if request_headers.get("x-amz-invocation-type") == "Event":
        response_headers[REQUEST_ID_HEADER] = submit(cloud, self, event)
        return b""
    request_id = str(uuid.uuid4())
    result = run(cloud, self, event, request_id)
    response_headers[REQUEST_ID_HEADER] = request_id
    response_headers["x-amz-executed-version"] = "$LATEST"
    response_headers["x-amz-log-result"] = base64.b64encode(result.logs.encode()).decode()
    if result.errored:
        response_headers["x-amz-function-error"] = "Unhandled"
    return result.payload.encode()


def keep_request_id(cloud: LocalCloud, original: Any, headers: dict, body: Any) -> tuple[dict, Any]:
    """LambdaResponse._enrich_response: a request id the answer already has (an invocation's, the
    one its handler and log lines saw) is kept; every other answer gets a new UUID (moto's are 52
    letters and digits)."""
    request_id = headers.get(REQUEST_ID_HEADER) or str(uuid.uuid4())
    headers, body = original(headers, body)
    headers[REQUEST_ID_HEADER] = request_id
    return headers, body
