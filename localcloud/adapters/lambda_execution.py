"""Gap: moto runs Lambda code only in Docker. Run the deployed package in warm local workers
instead, and stream their output to the function's log group as it is written."""

from __future__ import annotations

import threading
import time
from typing import Any

from moto.awslambda.models import LambdaFunction
from moto.logs.models import logs_backends

from localcloud.adapters import callers, execution_role
from localcloud.lambda_runner import FunctionSpec, LambdaRunner

ORIGINAL: dict[str, Any] = {}
STATE: dict[str, LambdaRunner] = {}
# moto's log streams are not thread-safe; workers write from their own threads.
LOGS_LOCK = threading.Lock()


def function_spec(function: LambdaFunction) -> FunctionSpec:
    """What the runner needs of a moto function: its log group (LoggingConfig.LogGroup, which moto
    ignores, else /aws/lambda/<name>), its LoggingConfig.LogFormat (also ignored by moto), and
    credentials of its execution role."""
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
        credentials=execution_role.credentials(function),
        log_format=getattr(function, "log_format", "Text"),
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


# moto's LambdaFunction._invoke_lambda runs the code in Docker; run it in a local worker.
def invoke_locally(self: LambdaFunction, event: Any = None) -> tuple[str, bool, str]:
    result = STATE["runner"].invoke(function_spec(self), {} if event is None else event)
    return result.payload, result.errored, result.logs


def function_with_log_group(
    cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
) -> LambdaFunction:
    function = ORIGINAL["lambda_create"].__func__(
        cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
    )
    logging_config = cloudformation_json["Properties"].get("LoggingConfig", {})
    if logging_config.get("LogGroup"):
        function.logs_group_name = logging_config["LogGroup"]
    function.log_format = logging_config.get("LogFormat", "Text")
    return function


def install(runner: LambdaRunner) -> None:
    STATE["runner"] = runner
    if ORIGINAL:
        return
    ORIGINAL["lambda_create"] = LambdaFunction.create_from_cloudformation_json
    LambdaFunction._invoke_lambda = invoke_locally
    LambdaFunction.create_from_cloudformation_json = classmethod(function_with_log_group)
