"""localcloud/lambda_/account_settings.py: GetAccountSettings answers as AWS recorded it, with the
concurrency the account's functions reserve taken from the unreserved pool; the deploy tool's
pre-flight concurrency check runs on it (the local-cloud twin of tests/deployment/test_preflight.py)."""

from __future__ import annotations

import pytest

from deployment import cli, preflight
from localcloud import LOCAL_CREDENTIALS
from tests.localcloud.stacks import deploy, outputs, python_function_template


@pytest.fixture(scope="module")
def function(aws, code_key):
    return outputs(deploy(aws, "account-settings", python_function_template(code_key)))["FunctionName"]


@pytest.fixture
def reserving(aws, function):
    """The function reserves 70 concurrent executions for the test."""
    aws("lambda").put_function_concurrency(FunctionName=function, ReservedConcurrentExecutions=70)
    yield function
    aws("lambda").delete_function_concurrency(FunctionName=function)


def test_the_account_settings_name_aws_s_limits_and_usage(aws, function):
    """tests/aws/services/lambda_/test_lambda_api.py::TestLambdaAccountSettings::test_account_settings:
    AccountLimit and AccountUsage with the recorded keys; a new account's 1000 concurrent
    executions (the snapshot's account had 10); the account's functions counted."""
    settings = aws("lambda").get_account_settings()
    assert sorted(settings["AccountLimit"]) == [
        "CodeSizeUnzipped",
        "CodeSizeZipped",
        "ConcurrentExecutions",
        "TotalCodeSize",
        "UnreservedConcurrentExecutions",
    ]
    assert sorted(settings["AccountUsage"]) == ["FunctionCount", "TotalCodeSize"]
    assert settings["AccountLimit"]["ConcurrentExecutions"] == 1000
    assert settings["AccountUsage"]["FunctionCount"] == len(aws("lambda").list_functions()["Functions"])
    assert settings["AccountUsage"]["TotalCodeSize"] > 0


def unreserved(aws) -> int:
    return aws("lambda").get_account_settings()["AccountLimit"]["UnreservedConcurrentExecutions"]


def test_reserved_concurrency_leaves_the_unreserved_pool(aws, function):
    """UnreservedConcurrentExecutions is the limit less what the account's functions reserve
    (tests/aws/services/lambda_/test_lambda_api.py::TestLambdaAccountSettings, and AWS's
    GetAccountSettings reference)."""
    before = unreserved(aws)
    aws("lambda").put_function_concurrency(FunctionName=function, ReservedConcurrentExecutions=70)
    during = unreserved(aws)
    aws("lambda").delete_function_concurrency(FunctionName=function)
    assert (during, unreserved(aws)) == (before - 70, before)


def test_pre_flight_refuses_reserved_concurrency_that_does_not_fit(aws, reserving):
    """What another function reserves is not room; what the stack's own functions reserve is."""
    room = unreserved(aws) - preflight.MINIMUM_UNRESERVED
    problem = preflight.concurrency_problem(aws("lambda"), room + 1, [])
    assert problem.startswith(f"the template reserves {room + 1} concurrent executions, but the account's Lambda limit")
    assert f"so at most {room} can be reserved here. Deploy with --reserved-concurrency {room} " in problem
    assert preflight.concurrency_problem(aws("lambda"), room, []) is None
    assert preflight.concurrency_problem(aws("lambda"), room + 70, [reserving]) is None


def test_a_deploy_reserving_more_than_the_account_has_is_refused_before_any_change_set(
    aws, endpoint, monkeypatch, capsys
):
    """The deploy command's pre-flight on the local cloud: nothing is created, and the words say
    how much can be reserved."""
    for name, value in LOCAL_CREDENTIALS.items():
        monkeypatch.setenv(name.upper(), value)
    room = unreserved(aws) - preflight.MINIMUM_UNRESERVED
    argv = ["--stack-name", "too-much-concurrency", "--endpoint", endpoint, "--reserved-concurrency", str(room + 1)]
    assert cli.main(argv) == 1
    assert f"pre-flight check: the template reserves {room + 1} concurrent executions" in capsys.readouterr().err
    assert not [s for s in aws("cloudformation").list_stacks()["StackSummaries"] if s["StackName"] == argv[1]]
