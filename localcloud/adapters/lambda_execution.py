"""Gap: moto runs Lambda code only in Docker. Run the deployed package in a warm local worker
instead, and keep its output in the function's log group."""

from __future__ import annotations

from typing import Any

from moto.awslambda.models import LambdaFunction

from localcloud.adapters import execution_role
from localcloud.lambda_runner import FunctionSpec, LambdaRunner

ORIGINAL: dict[str, Any] = {}
STATE: dict[str, LambdaRunner] = {}


# 1. Running Lambda code: moto runs functions only in Docker (LambdaFunction._invoke_lambda).
#    Run the deployed package in a warm local worker instead, and keep its output in the
#    function's log group (LoggingConfig.LogGroup, which moto ignores, else /aws/lambda/<name>),
#    written in the function's LoggingConfig.LogFormat (also ignored by moto) as the runtime does.
def invoke_locally(self: LambdaFunction, event: Any = None) -> tuple[str, bool, str]:
    spec = FunctionSpec(
        name=self.function_name,
        arn=self.function_arn,
        region=self.region,
        handler=self.handler,
        code=self.code_bytes,
        environment=dict(self.environment_vars),
        timeout=float(self.timeout),
        memory=int(self.memory_size),
        log_group=self.logs_group_name,
        credentials=execution_role.credentials(self),
        log_format=getattr(self, "log_format", "Text"),
    )
    result = STATE["runner"].invoke(spec, {} if event is None else event)
    self.logs_backend.ensure_log_group(self.logs_group_name)
    self.save_logs(result.logs)
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
