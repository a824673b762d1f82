"""The alarms: AWS's metric names, dimensions and statistics, one minute, the first event is enough,
and every state change reaches the one alarm topic (encrypted in prod with a key CloudWatch may use)."""

import pytest

from tests.generator.assertions import only, resources

PROFILES = ["dev", "prod"]
LOGGER = {"Ref": "InvocationLoggerFunction"}
TABLE = {"Ref": "InvocationLogTable"}
# Alarm name (after the stack's name) to (namespace, metric, statistic, dimensions), from AWS's
# metric documentation (docs/aws-behaviour.md, "Alarms").
EXPECTED = {
    "LoggerErrors": ("AWS/Lambda", "Errors", "Sum", {"FunctionName": LOGGER}),
    "LoggerThrottles": ("AWS/Lambda", "Throttles", "Sum", {"FunctionName": LOGGER}),
    "LoggerDeadLetterErrors": ("AWS/Lambda", "DeadLetterErrors", "Sum", {"FunctionName": LOGGER}),
    "LoggerAsyncEventsDropped": ("AWS/Lambda", "AsyncEventsDropped", "Sum", {"FunctionName": LOGGER}),
    "DeadLetters": (
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        "Maximum",
        {"QueueName": {"Fn::GetAtt": ["InvocationLoggerDeadLetterQueue", "QueueName"]}},
    ),
    "TableWriteThrottles": ("AWS/DynamoDB", "WriteThrottleEvents", "Sum", {"TableName": TABLE}),
    # SystemErrors exists only per TableName and Operation: the logger's one operation is PutItem.
    "TablePutItemSystemErrors": ("AWS/DynamoDB", "SystemErrors", "Sum", {"TableName": TABLE, "Operation": "PutItem"}),
}


def alarms_by_name(template: dict) -> dict[str, dict]:
    found = {}
    for alarm in resources(template, "AWS::CloudWatch::Alarm").values():
        name = alarm["Properties"]["AlarmName"]["Fn::Sub"]
        found[name.removeprefix("${AWS::StackName}-")] = alarm["Properties"]
    return found


@pytest.mark.parametrize("profile", PROFILES)
def test_each_alarm_watches_the_metric_aws_documents_with_its_dimensions(rendered, profile):
    alarms = alarms_by_name(rendered[profile])
    watched = {
        name: (a["Namespace"], a["MetricName"], a["Statistic"], {d["Name"]: d["Value"] for d in a["Dimensions"]})
        for name, a in alarms.items()
    }
    assert watched == EXPECTED


@pytest.mark.parametrize("profile", PROFILES)
def test_the_first_minute_with_one_event_alarms_and_no_data_is_not_an_alarm(rendered, profile):
    for name, alarm in alarms_by_name(rendered[profile]).items():
        assert alarm["Period"] == 60, name
        assert (alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"]) == (1, 1), name
        assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanThreshold", 0), name
        assert alarm["TreatMissingData"] == "notBreaching", name


@pytest.mark.parametrize("profile", PROFILES)
def test_every_alarm_says_what_to_do_and_notifies_the_one_topic_in_alarm_and_ok(rendered, profile):
    template = rendered[profile]
    topic_id, _ = only(template, "AWS::SNS::Topic")
    for name, alarm in alarms_by_name(template).items():
        assert alarm["AlarmActions"] == [{"Ref": topic_id}] == alarm["OKActions"], name
        assert len(alarm["AlarmDescription"]) > 80, name
    assert template["Outputs"]["AlarmTopicArn"]["Value"] == {"Ref": topic_id}
    assert template["Outputs"]["AlarmNamePrefix"]["Value"] == {"Fn::Sub": "${AWS::StackName}-"}


@pytest.mark.parametrize("profile", PROFILES)
def test_an_alarm_email_is_subscribed_only_when_given(rendered, profile):
    template = rendered[profile]
    parameter = template["Parameters"]["AlarmEmail"]
    assert parameter["Default"] == ""
    assert template["Conditions"]["HasAlarmEmail"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmEmail"}, ""]}]}
    topic_id, _ = only(template, "AWS::SNS::Topic")
    _, subscription = only(template, "AWS::SNS::Subscription")
    assert subscription["Condition"] == "HasAlarmEmail"
    assert subscription["Properties"] == {
        "Protocol": "email",
        "Endpoint": {"Ref": "AlarmEmail"},
        "TopicArn": {"Ref": topic_id},
    }


@pytest.mark.parametrize(
    "address, accepted",
    [("", True), ("ops@example.com", True), ("ops.team+alarms@mail.example.org", True), ("ops", False)],
)
def test_the_alarm_email_pattern(dev, address, accepted):
    import re

    assert bool(re.fullmatch(dev["Parameters"]["AlarmEmail"]["AllowedPattern"], address)) is accepted


def test_prod_encrypts_the_topic_with_the_stack_key_and_dev_leaves_it_unencrypted_never_aws_sns(dev, prod):
    key_id, _ = only(prod, "AWS::KMS::Key")
    _, topic = only(prod, "AWS::SNS::Topic")
    assert topic["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    _, dev_topic = only(dev, "AWS::SNS::Topic")
    assert dev_topic["Properties"]["KmsMasterKeyId"] == {"Ref": "AWS::NoValue"}
    (skip,) = dev_topic["Metadata"]["checkov"]["skip"]
    assert skip["id"] == "CKV_AWS_26" and "alias/aws/sns" in skip["comment"]
