"""Where the logger function's log lines go, asked of the target: the stack's function (its
LambdaFunctionName output), then GetFunctionConfiguration's LoggingConfig.LogGroup. LocalStack
4.14 records LoggingConfig but writes every function's lines to /aws/lambda/<name>."""

from __future__ import annotations

from deployment.target_kind import TargetKind

FUNCTION_OUTPUT = "LambdaFunctionName"


def default_log_group(function_name: str) -> str:
    """Lambda's log group for a function without LoggingConfig.LogGroup."""
    return f"/aws/lambda/{function_name}"


def log_group(lambda_client, outputs: dict[str, str], kind: TargetKind | None) -> str:
    """The log group the stack's logger function writes to on this target (kind None: AWS).
    LocalStack: localstack-core/localstack/services/lambda_/invocation/execution_environment.py
    (get_log_group_name) and provider.py ("Advanced Lambda Logging Configuration is currently
    mocked"), v4.14.0."""
    function_name = outputs[FUNCTION_OUTPUT]
    if kind is not None and kind.is_localstack:
        return default_log_group(function_name)
    configuration = lambda_client.get_function_configuration(FunctionName=function_name)
    return configuration.get("LoggingConfig", {}).get("LogGroup") or default_log_group(function_name)
