"""The generated dev template, deployed through the local cloud's CloudFormation API with the
real function package: uploads become items, and deleting the stack leaves nothing behind."""

from __future__ import annotations

import json
import time

import pytest

from generator.config import PROFILES
from generator.naming import upload_bucket_name
from generator.template import build_template
from tests.localcloud.conftest import REGION
from tests.localcloud.stacks import code_parameters, deploy, events, outputs

STACK = "uploadtrail-e2e"
KEYS = ["reports/2026/summary.csv", "my fileé.txt", "a+b (1).txt"]


def wait_for_items(dynamodb, table: str, count: int, timeout: float = 10) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        items = dynamodb.scan(TableName=table)["Items"]
        if len(items) >= count or time.monotonic() > deadline:
            return items
        time.sleep(0.05)


@pytest.fixture(scope="module")
def stack(aws):
    template = build_template(PROFILES["dev"]).to_dict()
    described = deploy(aws, STACK, template, code_parameters(aws, template))
    return described


def test_stack_is_created_with_its_outputs(stack, aws):
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    values = outputs(stack)
    assert values["BucketName"] == upload_bucket_name(STACK, "123456789012", REGION)
    assert set(values) >= {
        "BucketName",
        "DynamoDBTableName",
        "LambdaFunctionName",
        "DeadLetterQueueUrl",
        "LogGroupName",
    }
    created = [(logical, status) for logical, status, _ in events(aws, stack["StackId"]) if status == "CREATE_COMPLETE"]
    assert ("UploadsBucketAutoDelete", "CREATE_COMPLETE") in created
    assert created[-1] == (STACK, "CREATE_COMPLETE")


def test_properties_moto_ignores_are_applied(stack, aws):
    values = outputs(stack)
    s3 = aws("s3")
    notification = s3.get_bucket_notification_configuration(Bucket=values["BucketName"])
    (target,) = notification["LambdaFunctionConfigurations"]
    assert target["Events"] == ["s3:ObjectCreated:*"] and target["LambdaFunctionArn"].endswith(
        values["LambdaFunctionName"]
    )
    block = s3.get_public_access_block(Bucket=values["BucketName"])["PublicAccessBlockConfiguration"]
    assert block == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    policy = json.loads(s3.get_bucket_policy(Bucket=values["BucketName"])["Policy"])
    assert {s["Sid"] for s in policy["Statement"]} == {"DenyInsecureTransport", "DenyTlsBelow12"}
    backups = aws("dynamodb").describe_continuous_backups(TableName=values["DynamoDBTableName"])
    assert (
        backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]
        == "ENABLED"
    )


def test_uploads_become_items_and_logs(stack, aws):
    values = outputs(stack)
    for key in KEYS:
        aws("s3").put_object(Bucket=values["BucketName"], Key=key, Body=b"data")
    items = wait_for_items(aws("dynamodb"), values["DynamoDBTableName"], len(KEYS))
    assert sorted(i["objectKey"]["S"] for i in items) == sorted(KEYS)
    assert {i["functionName"]["S"] for i in items} == {values["LambdaFunctionName"]}
    logs = aws("logs").filter_log_events(logGroupName=values["LogGroupName"])["events"]
    logged = [json.loads(e["message"]) for e in logs if e["message"].startswith("{")]
    uploads = [entry for entry in logged if entry["message"] == "logged upload"]
    assert sorted(entry["objectKey"] for entry in uploads) == sorted(KEYS)
    # the item's id under its own name; requestId is the invocation's, as the Lambda runtime writes it
    assert sorted(entry["itemRequestId"] for entry in uploads) == sorted(i["requestId"]["S"] for i in items)
    assert not {entry["requestId"] for entry in uploads} & {i["requestId"]["S"] for i in items}


def test_the_function_can_be_invoked_directly(stack, aws):
    response = aws("lambda").invoke(FunctionName=outputs(stack)["LambdaFunctionName"], Payload=b'{"Records": []}')
    assert "FunctionError" not in response
    body = json.loads(json.loads(response["Payload"].read())["body"])
    assert body["skipped"] == 1 and body["processed"] == 0


def test_deleting_the_stack_empties_the_bucket_and_leaves_nothing(stack, aws):
    values = outputs(stack)
    aws("s3").put_object(Bucket=values["BucketName"], Key="left-behind.txt", Body=b"x")
    aws("cloudformation").delete_stack(StackName=STACK)
    described = aws("cloudformation").describe_stacks(StackName=stack["StackId"])["Stacks"][0]
    assert described["StackStatus"] == "DELETE_COMPLETE"
    deleted = [logical for logical, status, _ in events(aws, stack["StackId"]) if status == "DELETE_COMPLETE"]
    assert (
        deleted.index("UploadsBucketAutoDelete") < deleted.index("UploadsBucketPolicy") < deleted.index("UploadsBucket")
    )
    assert values["BucketName"] not in [b["Name"] for b in aws("s3").list_buckets()["Buckets"]]
    assert values["DynamoDBTableName"] not in aws("dynamodb").list_tables()["TableNames"]
    assert values["LambdaFunctionName"] not in [f["FunctionName"] for f in aws("lambda").list_functions()["Functions"]]
    groups = [g["logGroupName"] for g in aws("logs").describe_log_groups()["logGroups"]]
    assert not [g for g in groups if STACK in g]
    assert not [q for q in aws("sqs").list_queues().get("QueueUrls", []) if STACK in q]
    # described again after deletion, nothing comes back to life
    aws("cloudformation").describe_stacks(StackName=stack["StackId"])
    assert values["DynamoDBTableName"] not in aws("dynamodb").list_tables()["TableNames"]
