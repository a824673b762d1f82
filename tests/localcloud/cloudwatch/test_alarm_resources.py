"""localcloud/cloudwatch/alarm_resource.py and localcloud/sns/topic_resources.py: a stack's
AWS::CloudWatch::Alarm, AWS::SNS::TopicPolicy and AWS::SNS::Subscription are real objects that
follow the stack through create, update and delete."""

from __future__ import annotations

import json
import uuid

from tests.localcloud.stacks import deploy


def alarm_stack(name: str, threshold: int, queue_name: str) -> dict:
    return {
        "Resources": {
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "alarms"}},
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": queue_name}},
            "TopicPolicy": {
                "Type": "AWS::SNS::TopicPolicy",
                "Properties": {
                    "Topics": [{"Ref": "Topic"}],
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Sid": "CloudWatchPublishes",
                                "Effect": "Allow",
                                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                                "Action": "sns:Publish",
                                "Resource": {"Ref": "Topic"},
                            }
                        ],
                    },
                },
            },
            "Subscription": {
                "Type": "AWS::SNS::Subscription",
                "Properties": {
                    "TopicArn": {"Ref": "Topic"},
                    "Protocol": "sqs",
                    "Endpoint": {"Fn::GetAtt": ["Queue", "Arn"]},
                },
            },
            "Alarm": {
                "Type": "AWS::CloudWatch::Alarm",
                "Properties": {
                    "AlarmName": name,
                    "AlarmDescription": "errors",
                    "Namespace": "AWS/Lambda",
                    "MetricName": "Errors",
                    "Dimensions": [{"Name": "FunctionName", "Value": "logger"}],
                    "Statistic": "Sum",
                    "Period": 60,
                    "EvaluationPeriods": 1,
                    "DatapointsToAlarm": 1,
                    "Threshold": threshold,
                    "ComparisonOperator": "GreaterThanThreshold",
                    "TreatMissingData": "notBreaching",
                    "AlarmActions": [{"Ref": "Topic"}],
                    "OKActions": [{"Ref": "Topic"}],
                },
            },
        },
        "Outputs": {"TopicArn": {"Value": {"Ref": "Topic"}}},
    }


def test_the_stack_makes_its_alarm_topic_policy_and_subscription_and_deletes_them(aws):
    name, queue = f"alarm-{uuid.uuid4().hex[:8]}", f"q-{uuid.uuid4().hex[:8]}"
    stack = deploy(aws, name, alarm_stack(name, 0, queue))
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    topic = next(o["OutputValue"] for o in stack["Outputs"] if o["OutputKey"] == "TopicArn")

    [alarm] = aws("cloudwatch").describe_alarms(AlarmNames=[name])["MetricAlarms"]
    assert (alarm["MetricName"], alarm["Threshold"], alarm["TreatMissingData"]) == ("Errors", 0.0, "notBreaching")
    assert alarm["AlarmActions"] == [topic] and alarm["OKActions"] == [topic]
    assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": "logger"}]
    policy = json.loads(aws("sns").get_topic_attributes(TopicArn=topic)["Attributes"]["Policy"])
    assert [s["Sid"] for s in policy["Statement"]] == ["CloudWatchPublishes"]
    [subscription] = aws("sns").list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert subscription["Protocol"] == "sqs" and subscription["Endpoint"].endswith(f":{queue}")

    updated = deploy(aws, name, alarm_stack(name, 5, queue))
    assert updated["StackStatus"] == "UPDATE_COMPLETE"
    assert aws("cloudwatch").describe_alarms(AlarmNames=[name])["MetricAlarms"][0]["Threshold"] == 5.0
    topic = next(o["OutputValue"] for o in updated["Outputs"] if o["OutputKey"] == "TopicArn")
    assert len(aws("sns").list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]) == 1

    aws("cloudformation").delete_stack(StackName=name)
    assert aws("cloudwatch").describe_alarms(AlarmNames=[name])["MetricAlarms"] == []
    assert all(s["TopicArn"] != topic for s in aws("sns").list_subscriptions()["Subscriptions"])
