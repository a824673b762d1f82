"""The local cloud's CloudWatch, end to end on a server with a compressed minute: Lambda and SQS
publish their metrics with AWS's names, dimensions and units (GetMetricStatistics sees them), a
metric alarm is evaluated on a schedule, and its state change reaches a queue subscribed to its
topic as CloudWatch's notification, enveloped by SNS (or raw)."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from localcloud import LOCAL_CREDENTIALS
from localcloud import server as localcloud
from tests.localcloud.conftest import REGION
from tests.localcloud.sample_app import APP
from tests.localcloud.stacks import deploy, outputs, python_function_template, upload_code, zipped

# 60-second periods last 3 seconds here; the deadlines allow for many of them.
SCALE = 0.05
DEADLINE = 60.0


@pytest.fixture(scope="module")
def aws():
    with localcloud.running(retry_delay=0.1, alarm_period_scale=SCALE) as endpoint:
        session = boto3.session.Session(region_name=REGION, **LOCAL_CREDENTIALS)
        yield lambda service: session.client(service, endpoint_url=endpoint)


@pytest.fixture(scope="module")
def function(aws) -> dict:
    """A deployed sample function whose failed events go to a dead-letter queue after no retry:
    its name and its dead-letter queue's URL and name."""
    template = python_function_template(upload_code(aws, zipped({"app.py": APP})))
    resources = template["Resources"]
    resources["DeadLetters"] = {"Type": "AWS::SQS::Queue"}
    resources["Role"]["Properties"]["Policies"] = [
        {
            "PolicyName": "dead-letters",
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": ["DeadLetters", "Arn"]}}
                ],
            },
        }
    ]
    resources["Function"]["Properties"]["DeadLetterConfig"] = {"TargetArn": {"Fn::GetAtt": ["DeadLetters", "Arn"]}}
    resources["Retries"] = {
        "Type": "AWS::Lambda::EventInvokeConfig",
        "Properties": {"FunctionName": {"Ref": "Function"}, "Qualifier": "$LATEST", "MaximumRetryAttempts": 0},
    }
    template["Outputs"]["DeadLetters"] = {"Value": {"Ref": "DeadLetters"}}
    template["Outputs"]["DeadLettersName"] = {"Value": {"Fn::GetAtt": ["DeadLetters", "QueueName"]}}
    values = outputs(deploy(aws, f"metrics-{uuid.uuid4().hex[:8]}", template))
    return {"name": values["FunctionName"], "dead_letters": values["DeadLetters"], "queue": values["DeadLettersName"]}


def statistics(aws, namespace: str, metric: str, dimensions: dict, statistic: str = "Sum") -> list[dict]:
    now = datetime.now(UTC)
    return aws("cloudwatch").get_metric_statistics(
        Namespace=namespace,
        MetricName=metric,
        Dimensions=[{"Name": name, "Value": value} for name, value in dimensions.items()],
        StartTime=now - timedelta(minutes=10),
        EndTime=now + timedelta(minutes=1),
        Period=600,
        Statistics=[statistic],
    )["Datapoints"]


def eventually(found, deadline: float = DEADLINE):
    """found()'s first truthy answer, polled until the deadline (its last answer then)."""
    end = time.monotonic() + deadline
    while True:
        answer = found()
        if answer or time.monotonic() > end:
            return answer
        time.sleep(0.2)


def total(aws, namespace: str, metric: str, dimensions: dict) -> float:
    return sum(point["Sum"] for point in statistics(aws, namespace, metric, dimensions))


def subscribed_queue(aws, topic_arn: str, raw: bool = False) -> str:
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=f"notified-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    attributes = {"RawMessageDelivery": "true"} if raw else {}
    aws("sns").subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, Attributes=attributes)
    return url


def receive_one(aws, url: str) -> dict | None:
    messages = aws("sqs").receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages", [])
    return messages[0] if messages else None


def test_each_run_counts_in_invocations_and_errors_per_function_name_as_lambda_publishes_them(aws, function):
    client = aws("lambda")
    client.invoke(FunctionName=function["name"], Payload=json.dumps({"action": "echo"}))
    client.invoke(FunctionName=function["name"], Payload=json.dumps({"action": "raise", "value": 1}))
    by_function = {"FunctionName": function["name"]}
    assert eventually(lambda: total(aws, "AWS/Lambda", "Invocations", by_function) >= 2)
    (errors,) = statistics(aws, "AWS/Lambda", "Errors", by_function, "SampleCount")
    assert errors["Unit"] == "Count" and errors["SampleCount"] >= 2  # one datapoint (0 or 1) per run
    assert total(aws, "AWS/Lambda", "Errors", by_function) >= 1
    assert statistics(aws, "AWS/Lambda", "Invocations", {"FunctionName": "another"}) == []


def test_an_event_given_up_counts_as_dropped_and_its_dead_letter_is_counted_visible_each_minute(aws, function):
    by_function = {"FunctionName": function["name"]}
    dropped_before = total(aws, "AWS/Lambda", "AsyncEventsDropped", by_function)
    aws("lambda").invoke(
        FunctionName=function["name"], InvocationType="Event", Payload=json.dumps({"action": "raise", "value": 2})
    )
    assert eventually(lambda: total(aws, "AWS/Lambda", "AsyncEventsDropped", by_function) > dropped_before)
    assert total(aws, "AWS/Lambda", "DeadLetterErrors", by_function) == 0  # the dead letter was sent
    by_queue = {"QueueName": function["queue"]}
    assert eventually(lambda: statistics(aws, "AWS/SQS", "ApproximateNumberOfMessagesVisible", by_queue, "Maximum"))
    assert eventually(
        lambda: statistics(aws, "AWS/SQS", "ApproximateNumberOfMessagesVisible", by_queue, "Maximum")[0]["Maximum"] >= 1
    )


def test_a_refused_event_counts_in_throttles_and_a_dead_letter_not_sent_in_dead_letter_errors(aws, function):
    client, iam = aws("lambda"), aws("iam")
    by_function = {"FunctionName": function["name"]}
    role = client.get_function_configuration(FunctionName=function["name"])["Role"].rsplit("/", 1)[1]
    event = json.dumps({"action": "raise", "value": 4})
    client.put_function_concurrency(FunctionName=function["name"], ReservedConcurrentExecutions=0)
    try:
        client.invoke(FunctionName=function["name"], InvocationType="Event", Payload=event)
    finally:
        client.delete_function_concurrency(FunctionName=function["name"])
    assert eventually(lambda: total(aws, "AWS/Lambda", "Throttles", by_function) >= 1)
    policy = iam.get_role_policy(RoleName=role, PolicyName="dead-letters")["PolicyDocument"]
    iam.delete_role_policy(RoleName=role, PolicyName="dead-letters")
    try:
        client.invoke(FunctionName=function["name"], InvocationType="Event", Payload=event)
        assert eventually(lambda: total(aws, "AWS/Lambda", "DeadLetterErrors", by_function) >= 1)
    finally:
        iam.put_role_policy(RoleName=role, PolicyName="dead-letters", PolicyDocument=json.dumps(policy))


def test_an_alarm_goes_to_alarm_then_ok_and_each_change_reaches_the_subscribed_queues(aws, function):
    sns, cloudwatch = aws("sns"), aws("cloudwatch")
    topic = sns.create_topic(Name=f"alarms-{uuid.uuid4().hex[:8]}")["TopicArn"]
    enveloped, raw = subscribed_queue(aws, topic), subscribed_queue(aws, topic, raw=True)
    name = f"errors-{uuid.uuid4().hex[:8]}"
    cloudwatch.put_metric_alarm(
        AlarmName=name,
        AlarmDescription="the function failed",
        Namespace="AWS/Lambda",
        MetricName="Errors",
        Dimensions=[{"Name": "FunctionName", "Value": function["name"]}],
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=0,
        ComparisonOperator="GreaterThanThreshold",
        TreatMissingData="notBreaching",
        AlarmActions=[topic],
        OKActions=[topic],
    )

    def alarm() -> dict:
        return cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]

    assert alarm()["StateValue"] == "INSUFFICIENT_DATA"  # as CloudWatch creates every alarm
    assert eventually(lambda: alarm()["StateValue"] == "OK")  # no data, treated as not breaching
    assert json.loads(eventually(lambda: receive_one(aws, raw))["Body"])["NewStateValue"] in ("OK", "ALARM")
    for url in (enveloped, raw):  # what the earlier tests' errors may have notified
        aws("sqs").purge_queue(QueueUrl=url)
    aws("lambda").invoke(FunctionName=function["name"], Payload=json.dumps({"action": "raise", "value": 3}))
    assert eventually(lambda: alarm()["StateValue"] == "ALARM")
    described = alarm()
    assert described["StateReason"].startswith("Threshold Crossed: 1 out of the last 1 datapoints [1.0 (")
    assert described["StateReason"].endswith(
        "was greater than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition)."
    )
    reason_data = json.loads(described["StateReasonData"])
    assert reason_data["recentDatapoints"] == [1.0] and reason_data["period"] == 60
    envelope = json.loads(eventually(lambda: receive_one(aws, enveloped))["Body"])
    assert envelope["Type"] == "Notification" and envelope["TopicArn"] == topic
    assert envelope["Subject"] == f'ALARM: "{name}" in US East (N. Virginia)'
    notification = json.loads(envelope["Message"])
    assert notification["AlarmName"] == name and notification["OldStateValue"] == "OK"
    assert notification["NewStateValue"] == "ALARM" and notification["AlarmDescription"] == "the function failed"
    assert notification["Trigger"]["MetricName"] == "Errors" and notification["Trigger"]["Statistic"] == "SUM"
    assert notification["Trigger"]["Dimensions"] == [{"value": function["name"], "name": "FunctionName"}]
    assert json.loads(eventually(lambda: receive_one(aws, raw))["Body"])["NewStateValue"] == "ALARM"
    assert eventually(lambda: alarm()["StateValue"] == "OK")  # the next minutes have no error
    back = json.loads(json.loads(eventually(lambda: receive_one(aws, enveloped))["Body"])["Message"])
    assert (back["OldStateValue"], back["NewStateValue"]) == ("ALARM", "OK")


def test_updating_an_alarm_keeps_its_state_and_alarms_it_cannot_evaluate_are_left_alone(aws):
    cloudwatch = aws("cloudwatch")
    name = f"kept-{uuid.uuid4().hex[:8]}"
    settings = dict(
        Namespace="Test",
        MetricName="Nothing",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=0,
        ComparisonOperator="GreaterThanThreshold",
        TreatMissingData="breaching",
    )
    percentile = {key: value for key, value in settings.items() if key != "Statistic"} | {"ExtendedStatistic": "p99"}
    cloudwatch.put_metric_alarm(AlarmName=f"{name}-p99", **percentile)
    cloudwatch.put_metric_alarm(AlarmName=name, **settings)
    assert eventually(lambda: cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]["StateValue"] == "ALARM")
    (p99,) = cloudwatch.describe_alarms(AlarmNames=[f"{name}-p99"])["MetricAlarms"]
    assert p99["StateValue"] == "INSUFFICIENT_DATA"  # percentiles are not evaluated here
    cloudwatch.put_metric_alarm(AlarmName=name, AlarmDescription="changed", **settings)
    (alarm,) = cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"]
    assert (alarm["StateValue"], alarm["AlarmDescription"]) == ("ALARM", "changed")
