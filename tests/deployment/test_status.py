"""`uploadtrail status` with stubbed clients, for states the local cloud does not reach here: an
alarm in ALARM (named with what to do, exit 3), an alarm CloudWatch no longer knows (missing), a
stack with a status reason and nothing else, and a stack that does not exist."""

from __future__ import annotations

import json

import pytest

from deployment.commands import main as uploadtrail
from tests.deployment.conftest import stack_answer

ARGS = ["status", "--endpoint", "http://localhost:1", "--items", "0"]


@pytest.fixture
def status_stubs(stack_clients):
    return stack_clients("cloudwatch", "sqs")


def resources(*pairs: tuple[str, str, str]) -> dict:
    return {
        "StackResourceSummaries": [
            {
                "LogicalResourceId": logical,
                "ResourceType": kind,
                "PhysicalResourceId": physical,
                "LastUpdatedTimestamp": "2026-01-01",
                "ResourceStatus": "CREATE_COMPLETE",
            }
            for logical, kind, physical in pairs
        ]
    }


def alarm(name: str, state: str) -> dict:
    return {"AlarmName": name, "StateValue": state, "AlarmDescription": f"what to do about {name}"}


def test_an_alarm_in_alarm_and_one_cloudwatch_no_longer_knows_make_status_exit_3(status_stubs, capsys):
    status_stubs["cloudformation"].add_response("describe_stacks", stack_answer({}), {"StackName": "uploadtrail-dev"})
    status_stubs["cloudformation"].add_response(
        "list_stack_resources",
        resources(("A", "AWS::CloudWatch::Alarm", "s-A"), ("B", "AWS::CloudWatch::Alarm", "s-B")),
        {"StackName": "stack-id"},
    )
    status_stubs["cloudwatch"].add_response(
        "describe_alarms", {"MetricAlarms": [alarm("s-A", "ALARM")]}, {"AlarmNames": ["s-A", "s-B"]}
    )
    assert uploadtrail.main(ARGS) == 3
    captured = capsys.readouterr()
    assert "Alarms: 1, 1 in ALARM\n  ALARM s-A: what to do about s-A" in captured.out
    assert "B (AWS::CloudWatch::Alarm) s-B no longer exists" in captured.out
    assert "stack uploadtrail-dev is not healthy: missing: B; in ALARM: s-A." in captured.err


def test_a_stack_with_nothing_but_a_status_reason(status_stubs, capsys):
    status_stubs["cloudformation"].add_response(
        "describe_stacks",
        stack_answer({}, StackStatus="UPDATE_ROLLBACK_COMPLETE", StackStatusReason="a resource failed"),
        {"StackName": "uploadtrail-dev"},
    )
    status_stubs["cloudformation"].add_response(
        "list_stack_resources", resources(("P", "AWS::Lambda::Permission", "")), {"StackName": "stack-id"}
    )
    assert uploadtrail.main(ARGS) == 0
    out = capsys.readouterr().out
    assert out.startswith("Stack uploadtrail-dev: UPDATE_ROLLBACK_COMPLETE (a resource failed)\n")
    assert "not checked" in out and "Alarms: 0, 0 in ALARM" in out and "Dead-letter queue" not in out


def test_a_stack_with_nothing_as_json(status_stubs, capsys):
    status_stubs["cloudformation"].add_response("describe_stacks", stack_answer({}), {"StackName": "uploadtrail-dev"})
    status_stubs["cloudformation"].add_response("list_stack_resources", resources(), {"StackName": "stack-id"})
    assert uploadtrail.main([*ARGS, "--output", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["healthy"] and report["deadLetters"] is None and report["alarms"] == [] and report["items"] == []


def test_a_stack_that_does_not_exist_is_said_so(status_stubs, capsys):
    status_stubs["cloudformation"].add_client_error(
        "describe_stacks", "ValidationError", "Stack with id uploadtrail-dev does not exist"
    )
    assert uploadtrail.main(ARGS) == 1
    assert "no stack named uploadtrail-dev at endpoint http://localhost:1: deploy it first" in capsys.readouterr().err


def test_another_refusal_of_describe_stacks_is_reported_as_such(status_stubs, capsys):
    status_stubs["cloudformation"].add_client_error("describe_stacks", "AccessDenied", "no")
    assert uploadtrail.main(ARGS) == 1
    assert "refused the request" in capsys.readouterr().err
