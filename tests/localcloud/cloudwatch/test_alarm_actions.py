"""localcloud/cloudwatch/alarm_actions.py, in moto in this process: a state change is recorded on
the alarm and published to the topics of the new state's actions with CloudWatch's subject and
message; disabled actions publish nothing; an action that is not a topic, or a topic that is gone,
fails that action only."""

from __future__ import annotations

import json
import logging

import boto3
import pytest
from moto import mock_aws
from moto.cloudwatch.models import cloudwatch_backends

from localcloud.cloudwatch.alarm_actions import change_state
from localcloud.cloudwatch.alarm_evaluation import ALARM, OK, Outcome

ACCOUNT, REGION = "123456789012", "eu-west-1"
OUTCOME = Outcome(ALARM, "Threshold Crossed: it broke.", '{"version": "1.0"}')


@pytest.fixture
def aws(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield lambda service: boto3.client(service, region_name=REGION)


def alarm_notifying(aws, actions: list[str], enabled: bool = True):
    aws("cloudwatch").put_metric_alarm(
        AlarmName="errors",
        AlarmDescription="what to do",
        Namespace="AWS/Lambda",
        MetricName="Errors",
        Dimensions=[{"Name": "FunctionName", "Value": "logger"}],
        Statistic="SampleCount",
        Period=60,
        EvaluationPeriods=1,
        Threshold=0,
        ComparisonOperator="GreaterThanThreshold",
        AlarmActions=actions,
        ActionsEnabled=enabled,
    )
    return cloudwatch_backends[ACCOUNT][REGION].alarms["errors"]


def queue_on(aws, topic: str) -> str:
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName="notified")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    aws("sns").subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    return url


def received(aws, url: str) -> list[dict]:
    return [json.loads(m["Body"]) for m in aws("sqs").receive_message(QueueUrl=url).get("Messages", [])]


def test_a_change_is_recorded_and_published_with_cloudwatchs_subject_and_message(aws):
    topic = aws("sns").create_topic(Name="alarms")["TopicArn"]
    url = queue_on(aws, topic)
    alarm = alarm_notifying(aws, [topic])
    old_state = alarm.state_value
    change_state(alarm, ACCOUNT, OUTCOME)
    (described,) = aws("cloudwatch").describe_alarms(AlarmNames=["errors"])["MetricAlarms"]
    assert (described["StateValue"], described["StateReason"]) == (ALARM, OUTCOME.reason)
    assert described["StateReasonData"] == OUTCOME.reason_data
    (envelope,) = received(aws, url)
    assert envelope["Subject"] == 'ALARM: "errors" in Europe (Ireland)'
    message = json.loads(envelope["Message"])
    assert {key: message[key] for key in ("AlarmName", "AWSAccountId", "OldStateValue", "NewStateValue")} == {
        "AlarmName": "errors",
        "AWSAccountId": ACCOUNT,
        "OldStateValue": old_state,
        "NewStateValue": ALARM,
    }
    assert message["NewStateReason"] == OUTCOME.reason and message["Region"] == "Europe (Ireland)"
    assert message["AlarmActions"] == [topic] and message["OKActions"] == []
    assert message["Trigger"]["Statistic"] == "SAMPLE_COUNT" and message["Trigger"]["StatisticType"] == "Statistic"
    assert message["Trigger"]["DatapointsToAlarm"] == 1 and message["Trigger"]["TreatMissingData"] == "missing"


def test_only_the_actions_of_the_new_state_run_and_none_when_disabled(aws):
    topic = aws("sns").create_topic(Name="alarms")["TopicArn"]
    url = queue_on(aws, topic)
    change_state(alarm_notifying(aws, [topic], enabled=False), ACCOUNT, OUTCOME)
    assert received(aws, url) == []
    change_state(alarm_notifying(aws, [topic]), ACCOUNT, Outcome(OK, "Threshold Crossed: fine.", "{}"))
    assert received(aws, url) == []  # OK runs OKActions, and there are none


def test_an_action_that_cannot_run_fails_alone(aws, caplog):
    topic = aws("sns").create_topic(Name="alarms")["TopicArn"]
    url = queue_on(aws, topic)
    gone = topic.replace(":alarms", ":gone")
    lambda_action = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:handler"
    with caplog.at_level(logging.ERROR):
        change_state(alarm_notifying(aws, [lambda_action, gone, topic]), ACCOUNT, OUTCOME)
    assert len(received(aws, url)) == 1
    assert f"action {lambda_action} not run" in caplog.text and f"failed to execute action {gone}" in caplog.text
