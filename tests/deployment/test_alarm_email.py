"""deploy --alarm-email: the template's AlarmEmail parameter when given ("" removes the
subscription), else the stack's own address, so that a plain redeploy keeps the subscription
(CloudFormation would fall back to the default, "", and delete it)."""

from __future__ import annotations

import pytest

from deployment.commands.main import build_parser
from deployment.workflow import Request, alarm_email

OWN = {
    "Parameters": [
        {"ParameterKey": "CodeBucket", "ParameterValue": "b"},
        {"ParameterKey": "AlarmEmail", "ParameterValue": "me@example.com"},
    ]
}
NONE = {"Parameters": [{"ParameterKey": "AlarmEmail", "ParameterValue": ""}]}


@pytest.mark.parametrize(
    "given, stack, passed",
    [
        ("you@example.com", OWN, "you@example.com"),
        ("", OWN, ""),
        (None, OWN, "me@example.com"),
        (None, NONE, None),
        (None, {}, None),
        (None, None, None),
    ],
)
def test_the_alarm_email_passed_is_the_given_one_else_the_stacks_own(given, stack, passed):
    assert alarm_email(Request("s", alarm_email=given), stack) == passed


@pytest.mark.parametrize("command", ["deploy", "diff"])
def test_deploy_and_diff_take_alarm_email(command):
    args = build_parser().parse_args([command, "--alarm-email", "you@example.com"])
    assert args.alarm_email == "you@example.com"
