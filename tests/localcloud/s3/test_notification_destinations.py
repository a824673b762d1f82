"""localcloud/s3/notification_destinations.py: S3 refuses a Lambda destination it cannot invoke,
through the API and through CloudFormation, as AWS recorded it (LocalStack's parity snapshots)."""

from __future__ import annotations

import uuid

import pytest
from botocore.exceptions import ClientError

from tests.localcloud.stacks import deploy, permit_s3, python_function_template

UNABLE = "Unable to validate the following destination configurations"


def configuration(function_arn: str, rules: list[dict] | None = None) -> dict:
    lambda_config = {"Id": "id123", "Events": ["s3:ObjectCreated:*"], "LambdaFunctionArn": function_arn}
    if rules:
        lambda_config["Filter"] = {"Key": {"FilterRules": rules}}
    return {"LambdaFunctionConfigurations": [lambda_config]}


@pytest.fixture
def bucket(aws):
    name = f"notify-{uuid.uuid4().hex[:8]}"
    aws("s3").create_bucket(Bucket=name)
    return name


@pytest.fixture(scope="module")
def function_arn(aws, code_key):
    stack = deploy(aws, "destination", python_function_template(code_key))
    name = next(o["OutputValue"] for o in stack["Outputs"] if o["OutputKey"] == "FunctionName")
    return aws("lambda").get_function_configuration(FunctionName=name)["FunctionArn"]


def refusal(aws, bucket: str, function_arn: str) -> dict:
    with pytest.raises(ClientError) as raised:
        aws("s3").put_bucket_notification_configuration(
            Bucket=bucket, NotificationConfiguration=configuration(function_arn)
        )
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400, raised.value.response
    return raised.value.response["Error"]


def test_a_function_that_does_not_exist_is_refused_unless_validation_is_skipped(aws, bucket):
    """tests/aws/services/s3/test_s3_notifications_lambda.py::TestS3NotificationsToLambda::test_invalid_lambda_arn"""
    arn = "arn:aws:lambda:us-east-1:123456789012:function:my-lambda"
    assert refusal(aws, bucket, arn) == {
        "Code": "InvalidArgument",
        "Message": UNABLE,
        "ArgumentName1": f"{arn}, null",
        "ArgumentValue1": f"Not authorized to invoke function [{arn}]",
    }
    aws("s3").put_bucket_notification_configuration(
        Bucket=bucket, NotificationConfiguration=configuration(arn), SkipDestinationValidation=True
    )
    kept = aws("s3").get_bucket_notification_configuration(Bucket=bucket)["LambdaFunctionConfigurations"]
    assert [(c["Id"], c["LambdaFunctionArn"], c["Events"]) for c in kept] == [("id123", arn, ["s3:ObjectCreated:*"])]


def test_a_function_without_s3s_permission_is_refused_then_accepted_once_permitted(aws, bucket, function_arn):
    """Same record (test_invalid_lambda_arn): S3 validates by invoking as s3.amazonaws.com, so a
    function whose policy does not let it is "Not authorized" alike."""
    assert refusal(aws, bucket, function_arn)["Message"] == UNABLE
    lambda_client = aws("lambda")
    statement = f"s3-{bucket}"
    lambda_client.add_permission(
        FunctionName=function_arn,
        StatementId=statement,
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceArn=f"arn:aws:s3:::other-{bucket}",
    )
    assert refusal(aws, bucket, function_arn)["Message"] == UNABLE
    lambda_client.remove_permission(FunctionName=function_arn, StatementId=statement)
    permit_s3(aws, function_arn, bucket)
    rules = [{"Name": "Prefix", "Value": "testupload/"}, {"Name": "Suffix", "Value": "testfile.txt"}]
    aws("s3").put_bucket_notification_configuration(
        Bucket=bucket, NotificationConfiguration=configuration(function_arn, rules)
    )
    (kept,) = aws("s3").get_bucket_notification_configuration(Bucket=bucket)["LambdaFunctionConfigurations"]
    assert kept["LambdaFunctionArn"] == function_arn


def test_a_template_whose_bucket_notifies_a_function_without_permission_fails_as_on_aws(aws, code_key):
    """A template that forgot the AWS::Lambda::Permission (or the bucket's DependsOn on it) fails
    on AWS with the same InvalidArgument; the local cloud's CloudFormation applies the check."""
    template = python_function_template(code_key)
    template["Resources"]["Bucket"] = {
        "Type": "AWS::S3::Bucket",
        "Properties": {
            "NotificationConfiguration": {
                "LambdaConfigurations": [
                    {"Event": "s3:ObjectCreated:*", "Function": {"Fn::GetAtt": ["Function", "Arn"]}}
                ]
            }
        },
    }
    stack = deploy(aws, "forgot-permission", template)
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    events = aws("cloudformation").describe_stack_events(StackName=stack["StackId"])["StackEvents"]
    reasons = [e.get("ResourceStatusReason", "") for e in events if e["LogicalResourceId"] == "Bucket"]
    assert any(UNABLE in reason for reason in reasons)


def test_filter_rule_names_are_read_in_any_case_and_other_names_refused(aws, bucket):
    """tests/aws/services/s3/test_s3_notifications_sqs.py::TestS3NotificationsToSQS::test_filter_rules_case_insensitive,
    ::test_filter_rules_empty_value and
    tests/aws/services/s3/test_s3_api.py::TestS3BucketNotificationConfiguration::test_bucket_notification_with_invalid_filter_rules"""
    arn = "arn:aws:lambda:us-east-1:123456789012:function:my-lambda"
    s3 = aws("s3")
    for rules in (
        [{"Name": "suffix", "Value": ".txt"}, {"Name": "PREFIX", "Value": "notif-"}],
        [{"Name": "suffix", "Value": ""}],
    ):
        s3.put_bucket_notification_configuration(
            Bucket=bucket, NotificationConfiguration=configuration(arn, rules), SkipDestinationValidation=True
        )
        (kept,) = s3.get_bucket_notification_configuration(Bucket=bucket)["LambdaFunctionConfigurations"]
        assert [rule["Value"] for rule in kept["Filter"]["Key"]["FilterRules"]] == [rule["Value"] for rule in rules]
    with pytest.raises(ClientError) as raised:
        s3.put_bucket_notification_configuration(
            Bucket=bucket,
            NotificationConfiguration=configuration(arn, [{"Name": "INVALID", "Value": "does not matter"}]),
            SkipDestinationValidation=True,
        )
    error = raised.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("InvalidArgument", "filter rule name must be either prefix or suffix")
