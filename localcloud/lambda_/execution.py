"""Lambda runs a function's deployed package (moto runs code only in Docker): here in warm local
workers, with the function's execution-role credentials, streaming their output to the function's
log group as Lambda does; a Python function's first worker starts when the function is created or
changed, and a deleted function's stop. invoke() is Lambda's synchronous Invoke for the other
services."""

from __future__ import annotations

import functools
import json
import threading
import time
from typing import Any

from moto.awslambda.models import LambdaBackend, LambdaFunction
from moto.awslambda.responses import LambdaResponse
from moto.awslambda.utils import get_backend
from moto.logs.models import logs_backends

from localcloud.cloud import LocalCloud
from localcloud.cloudwatch import metric_data
from localcloud.iam import callers
from localcloud.lambda_ import execution_role, metrics
from localcloud.lambda_.runner import FunctionSpec, Invocation, LambdaRunner

# moto's log streams are not thread-safe; workers write from their own threads.
LOGS_LOCK = threading.Lock()


def function_spec(cloud: LocalCloud, function: LambdaFunction) -> FunctionSpec:
    """What the runner needs of a moto function: its log group (LoggingConfig.LogGroup, which moto
    ignores, else /aws/lambda/<name>), its LoggingConfig.LogFormat (also ignored by moto), and
    how to mint credentials of its execution role for each new worker."""
    return FunctionSpec(
        name=function.function_name,
        arn=function.function_arn,
        region=function.region,
        handler=function.handler,
        code=function.code_bytes,
        environment=dict(function.environment_vars),
        timeout=float(function.timeout),
        memory=int(function.memory_size),
        log_group=function.logs_group_name,
        credentials=functools.partial(execution_role.credentials, function),
        log_format=cloud.logging_configs.get(function.function_arn, {}).get("LogFormat", "Text"),
        role=function.role,
    )


def may_create_log_group(spec: FunctionSpec) -> bool:
    _, partition, _, _, account, _ = spec.arn.split(":", 5)
    arn = f"arn:{partition}:logs:{spec.region}:{account}:log-group:{spec.log_group}"
    return callers.role_allows(account, spec.role, "logs:CreateLogGroup", arn)


def write_logs(spec: FunctionSpec, stream: str, lines: list[str]) -> None:
    """The runner's log sink: lines into the function's log group, in a stream per worker. Lambda
    creates a missing group with the execution role: a role that may not create it (the stack's
    roles deny it, so late lines cannot bring back a group the stack deleted) loses the lines."""
    backend = logs_backends[spec.arn.split(":")[4]][spec.region]
    now = int(time.time() * 1000)
    with LOGS_LOCK:
        if spec.log_group not in backend.groups and not may_create_log_group(spec):
            return
        backend.ensure_log_group(spec.log_group)
        backend.ensure_log_stream(spec.log_group, stream)
        backend.put_log_events(spec.log_group, stream, [{"timestamp": now, "message": line} for line in lines])


def runner_for(endpoint: str, ca_bundle: str | None) -> LambdaRunner:
    """The runner of a local cloud at endpoint, writing functions' output to their log groups."""
    return LambdaRunner(endpoint, write_logs, ca_bundle)


def runs_locally(function: LambdaFunction) -> bool:
    """Whether a local worker can run the function: a zip package of a Python runtime."""
    return function.package_type == "Zip" and str(function.run_time).startswith("python")


def prepare(cloud: LocalCloud, function: LambdaFunction) -> LambdaFunction:
    """A function just created or changed: one worker of its new version started, which its first
    invocation will use (the handler is imported then, as on Lambda)."""
    if runs_locally(function):
        cloud.runner.prepare(function_spec(cloud, function))
    return function


def create_function_answer(cloud: LocalCloud, original: Any, self: LambdaResponse) -> tuple[int, dict, str]:
    """LambdaResponse.create_function (CreateFunction): the function made, its first worker starts
    (a template's function starts its own once its properties are kept, in function_configuration)."""
    status, headers, body = original(self)
    prepare(cloud, self.backend.get_function(json.loads(body)["FunctionArn"]))
    return status, headers, body


def delete_function(
    cloud: LocalCloud, original: Any, self: LambdaBackend, function_name: str, qualifier: str | None = None
) -> None:
    """LambdaBackend.delete_function (DeleteFunction, and a stack's delete of the function): the
    workers of what was deleted stop."""
    arn = self.get_function(function_name, qualifier).function_arn
    original(self, function_name, qualifier)
    if arn not in {function.function_arn for function in self.list_functions()}:
        cloud.runner.retire(arn)


def run(cloud: LocalCloud, function: LambdaFunction, event: Any, request_id: str | None = None) -> Invocation:
    """One run of the function's code in a worker, counted in its Invocations and Errors metrics."""
    started = metric_data.now()
    result = cloud.runner.invoke(function_spec(cloud, function), event, request_id)
    metrics.invoked(function.function_arn, started, result.errored)
    return result


def invoke(cloud: LocalCloud, account_id: str, region: str, function_arn: str, event: Any) -> Invocation:
    """Lambda's synchronous Invoke of a function by name or ARN (for CloudFormation's custom
    resources)."""
    function = get_backend(account_id, region).get_function(function_arn)
    return run(cloud, function, event)


def invoke_locally(cloud: LocalCloud, original: Any, self: LambdaFunction, event: Any = None) -> tuple[str, bool, str]:
    """LambdaFunction._invoke_lambda: run the code in a local worker instead of Docker."""
    result = run(cloud, self, {} if event is None else event)
    return result.payload, result.errored, result.logs
