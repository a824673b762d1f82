"""Whether a resource still exists, asked of its own service on the local cloud: each probed type
found while it exists and reported missing once deleted by hand; a key pending deletion counts as
gone; a type not probed says so; a refusal that is not "not found" is raised."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from deployment.resource_presence import exists
from localcloud import LOCAL_CREDENTIALS
from localcloud import server as localcloud


@pytest.fixture(scope="module")
def client_for():
    with localcloud.running() as endpoint:
        yield lambda service: boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", **LOCAL_CREDENTIALS)


def made_and_deleted(client_for, resource_type: str):
    """(physical id, delete()) of one resource of the type, made on the local cloud."""
    c = client_for
    if resource_type == "AWS::DynamoDB::Table":
        c("dynamodb").create_table(
            TableName="presence",
            KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        return "presence", lambda: c("dynamodb").delete_table(TableName="presence")
    if resource_type == "AWS::S3::Bucket":
        c("s3").create_bucket(Bucket="presence-bucket")
        return "presence-bucket", lambda: c("s3").delete_bucket(Bucket="presence-bucket")
    if resource_type == "AWS::SQS::Queue":
        url = c("sqs").create_queue(QueueName="presence")["QueueUrl"]
        return url, lambda: c("sqs").delete_queue(QueueUrl=url)
    if resource_type == "AWS::IAM::Role":
        c("iam").create_role(RoleName="presence", AssumeRolePolicyDocument="{}")
        return "presence", lambda: c("iam").delete_role(RoleName="presence")
    if resource_type == "AWS::SNS::Topic":
        arn = c("sns").create_topic(Name="presence")["TopicArn"]
        return arn, lambda: c("sns").delete_topic(TopicArn=arn)
    if resource_type == "AWS::Logs::LogGroup":
        c("logs").create_log_group(logGroupName="/presence/group")
        c("logs").create_log_group(logGroupName="/presence/group-longer")  # same prefix, another group
        return "/presence/group", lambda: c("logs").delete_log_group(logGroupName="/presence/group")
    key = c("kms").create_key()["KeyMetadata"]["KeyId"]
    return key, lambda: c("kms").schedule_key_deletion(KeyId=key, PendingWindowInDays=7)


@pytest.mark.parametrize(
    "resource_type",
    [
        "AWS::DynamoDB::Table",
        "AWS::S3::Bucket",
        "AWS::SQS::Queue",
        "AWS::IAM::Role",
        "AWS::SNS::Topic",
        "AWS::Logs::LogGroup",
        "AWS::KMS::Key",
    ],
)
def test_a_resource_exists_until_it_is_deleted_by_hand(client_for, resource_type):
    physical_id, delete = made_and_deleted(client_for, resource_type)
    assert exists(client_for, resource_type, physical_id) is True
    delete()
    assert exists(client_for, resource_type, physical_id) is False


def test_a_function_that_does_not_exist_is_missing(client_for):
    assert exists(client_for, "AWS::Lambda::Function", "no-such-function") is False


def test_a_type_that_is_not_probed_is_neither(client_for):
    assert exists(client_for, "AWS::Lambda::Permission", "p") is None


def test_a_refusal_that_is_not_not_found_is_raised(stubbed):
    client, stub = stubbed("dynamodb")
    stub.add_client_error("describe_table", "AccessDeniedException", "no")
    with pytest.raises(ClientError):
        exists(lambda service: client, "AWS::DynamoDB::Table", "t")
