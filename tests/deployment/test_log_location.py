"""Where the logger's log lines go, asked of the target: LoggingConfig.LogGroup from the function's
configuration; Lambda's default group when the answer has none; on LocalStack, which records the
setting but writes to /aws/lambda/<name>, that group without asking."""

from __future__ import annotations

from deployment.log_location import log_group
from deployment.target_kind import TargetKind

OUTPUTS = {"LambdaFunctionName": "fn-1"}


def test_the_group_is_the_one_the_functions_logging_config_names(stubbed):
    client, stub = stubbed("lambda")
    stub.add_response(
        "get_function_configuration",
        {"LoggingConfig": {"LogFormat": "JSON", "LogGroup": "/uploadtrail/s/invocation-logger"}},
        {"FunctionName": "fn-1"},
    )
    assert log_group(client, OUTPUTS, None) == "/uploadtrail/s/invocation-logger"


def test_without_a_logging_config_the_group_is_lambdas_default(stubbed):
    client, stub = stubbed("lambda")
    stub.add_response("get_function_configuration", {"FunctionName": "fn-1"}, {"FunctionName": "fn-1"})
    assert log_group(client, OUTPUTS, TargetKind()) == "/aws/lambda/fn-1"


def test_on_localstack_the_group_is_the_one_it_writes_to(stubbed):
    client, _ = stubbed("lambda")  # asked nothing: the stubber fails on any call
    assert log_group(client, OUTPUTS, TargetKind("LocalStack", "4.14.0", "community")) == "/aws/lambda/fn-1"
