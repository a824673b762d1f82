"""Gap: moto invokes a function for an S3 notification or `InvocationType=Event` synchronously and
once, inside the request, swallowing its failure; it drops DeadLetterConfig, never reads the event
invoke config, and has no AWS::Lambda::EventInvokeConfig resource. Queue such events as Lambda
does: retried, then sent to the dead-letter queue with Lambda's message attributes."""

from __future__ import annotations

import json
import sys
import uuid
from typing import Any

from moto.awslambda.exceptions import InvalidParameterValueException
from moto.awslambda.models import LambdaBackend, LambdaFunction
from moto.awslambda.utils import get_backend
from moto.s3 import notifications
from moto.sqs.models import sqs_backends

from localcloud.adapters import callers, resource_types
from localcloud.adapters.lambda_execution import STATE as EXECUTION
from localcloud.adapters.lambda_execution import function_spec
from localcloud.async_invoker import DEFAULT_CONCURRENCY, AsyncInvoker, Failure, Job, Policy

ORIGINAL: dict[str, Any] = {}
STATE: dict[str, AsyncInvoker] = {}
# Lambda truncates the ErrorMessage attribute of a dead-letter message to 1 KB.
ERROR_MESSAGE_LIMIT = 1024


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


def submit(function: LambdaFunction, event: Any) -> str:
    """Queue one asynchronous invocation; its request id."""
    job = Job(function.function_arn, str(uuid.uuid4()), event, policy_of(function), context=function)
    STATE["invoker"].submit(job)
    return job.request_id


def attempt(job: Job) -> Failure | None:
    """One try of a queued invocation: None when the function succeeded."""
    result = EXECUTION["runner"].invoke(function_spec(job.context), job.event, job.request_id)
    return Failure(200, result.error_message) if result.errored else None


def send_to_dead_letter_queue(job: Job, failure: Failure) -> None:
    """The event, unchanged, to the function's DeadLetterConfig queue with RequestID, ErrorCode
    and ErrorMessage attributes; without a dead-letter queue Lambda discards it."""
    target = getattr(job.context, "dead_letter_target", None)
    if not target:
        return
    _, _, _, region, account, queue_name = target.split(":", 5)
    if not callers.role_allows(job.context.account_id, job.context.role, "sqs:SendMessage", target):
        print(
            f"could not send event {job.request_id} to the dead-letter queue {target}: the execution role "
            f"{job.context.role} may not sqs:SendMessage on it (Lambda drops the event, counting DeadLetterErrors)",
            file=sys.stderr,
        )
        return
    attributes = {
        "RequestID": {"DataType": "String", "StringValue": job.request_id},
        "ErrorCode": {"DataType": "Number", "StringValue": str(failure.code)},
        "ErrorMessage": {"DataType": "String", "StringValue": failure.message[:ERROR_MESSAGE_LIMIT]},
    }
    try:
        sqs_backends[account][region].send_message(queue_name, json.dumps(job.event), message_attributes=attributes)
    except Exception as error:  # Lambda counts a DeadLetterErrors metric; say it here
        print(f"could not send event {job.request_id} to the dead-letter queue {target}: {error}", file=sys.stderr)


def invoke_asynchronously(account_id: str, event_body: Any, fn_arn: str, region_name: str) -> None:
    """moto.s3.notifications._invoke_awslambda: queue the event instead of running it here."""
    try:
        function = get_backend(account_id, region_name).get_function(fn_arn)
    except Exception:  # S3 delivers to a function that no longer exists nowhere, as moto does
        return
    try:
        submit(function, event_body)
    except RuntimeError as error:  # the server is stopping; the upload itself succeeded
        print(f"event for {fn_arn} not delivered: {error}", file=sys.stderr)


def invoke_by_type(self: LambdaFunction, body: str, request_headers: Any, response_headers: Any) -> str | bytes:
    """LambdaFunction.invoke: InvocationType=Event is queued and answered at once (202)."""
    if request_headers.get("x-amz-invocation-type") != "Event":
        return ORIGINAL["invoke"](self, body, request_headers, response_headers)
    response_headers["x-amzn-RequestId"] = submit(self, json.loads(body) if body else {})
    return b""


def dead_letter_target(properties: dict) -> str | None:
    return (properties.get("DeadLetterConfig") or {}).get("TargetArn") or None


def refuse_unsendable_dead_letters(account_id: str, role_arn: str, properties: dict) -> None:
    """Lambda refuses to create or update a function whose execution role may not send to its
    dead-letter queue."""
    target = dead_letter_target(properties)
    if not target or target.split(":")[2] != "sqs":
        return
    if not callers.role_allows(account_id, role_arn, "sqs:SendMessage", target):
        raise InvalidParameterValueException(
            "The provided execution role does not have permissions to call SendMessage on SQS"
        )


def keep_dead_letter_config(function: LambdaFunction, properties: dict) -> LambdaFunction:
    if "DeadLetterConfig" in properties:
        function.dead_letter_target = dead_letter_target(properties)
    if "ReservedConcurrentExecutions" in properties:
        function.reserved_concurrency = properties["ReservedConcurrentExecutions"]
    return function


def create_function(self, spec: dict) -> LambdaFunction:
    refuse_unsendable_dead_letters(self.account_id, spec.get("Role", ""), spec)
    return keep_dead_letter_config(ORIGINAL["create_function"](self, spec), spec)


def create_from_template(
    cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
) -> LambdaFunction:
    refuse_unsendable_dead_letters(
        account_id, cloudformation_json["Properties"].get("Role", ""), cloudformation_json["Properties"]
    )
    function = ORIGINAL["create_from_template"].__func__(
        cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
    )
    return keep_dead_letter_config(function, cloudformation_json["Properties"])


def update_configuration(self: LambdaFunction, config_updates: dict) -> dict:
    refuse_unsendable_dead_letters(self.account_id, config_updates.get("Role", self.role), config_updates)
    keep_dead_letter_config(self, config_updates)
    return ORIGINAL["update_configuration"](self, config_updates)


def configuration_with_dead_letter(self: LambdaFunction, on_create: bool = False) -> dict:
    configuration = ORIGINAL["get_configuration"](self, on_create)
    if getattr(self, "dead_letter_target", None):
        configuration["DeadLetterConfig"] = {"TargetArn": self.dead_letter_target}
    return configuration


def put_event_invoke_config(function_name: str, properties: dict, account_id: str, region_name: str) -> None:
    """AWS::Lambda::EventInvokeConfig: the function's retry and event-age settings, replacing any."""
    backend = get_backend(account_id, region_name)
    config = {
        name: int(properties[name])
        for name in ("MaximumRetryAttempts", "MaximumEventAgeInSeconds")
        if name in properties
    }
    backend.get_function(function_name).event_invoke_config = []
    backend.put_function_event_invoke_config(function_name, config)


def remove_event_invoke_config(function_name: str, account_id: str, region_name: str) -> None:
    try:
        get_backend(account_id, region_name).get_function(function_name).event_invoke_config = []
    except Exception:  # the function went first
        pass


def install(retry_delay: float) -> AsyncInvoker:
    """Queue asynchronous invocations on a new invoker with this back-off; the invoker."""
    STATE["invoker"] = AsyncInvoker(attempt, send_to_dead_letter_queue, retry_delay)
    if ORIGINAL:
        return STATE["invoker"]
    ORIGINAL.update(
        invoke=LambdaFunction.invoke,
        create_function=LambdaBackend.create_function,
        create_from_template=LambdaFunction.create_from_cloudformation_json,
        update_configuration=LambdaFunction.update_configuration,
        get_configuration=LambdaFunction.get_configuration,
    )
    notifications._invoke_awslambda = invoke_asynchronously
    LambdaFunction.invoke = invoke_by_type
    LambdaBackend.create_function = create_function
    LambdaFunction.create_from_cloudformation_json = classmethod(create_from_template)
    LambdaFunction.update_configuration = update_configuration
    LambdaFunction.get_configuration = configuration_with_dead_letter
    resource_types.register(
        "AWS::Lambda::EventInvokeConfig",
        "awslambda",
        "FunctionName",
        put_event_invoke_config,
        remove_event_invoke_config,
    )
    return STATE["invoker"]
