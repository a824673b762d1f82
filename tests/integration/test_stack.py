"""The deployed stack, as its users meet it: the seed's list, on the target chosen for the suite."""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime, timedelta

import pytest

from deployment import cli as deploy
from generator.config import PROFILES
from tests.integration.inventory import bucket_exists, change_rows, deploy_changed_code, function_names, table_names

ITEM_SCHEMA = {
    "requestId": "S",
    "timestamp": "S",
    "loggedAt": "S",
    "eventTime": "S",
    "bucketName": "S",
    "objectKey": "S",
    "eventName": "S",
    "functionName": "S",
    "awsRequestId": "S",
}
OPTIONAL = {
    "objectSize": "N",
    "eTag": "S",
    "versionId": "S",
    "sequencer": "S",
    "awsRegion": "S",
    "sourceIPAddress": "S",
}


def items_for(clients, outputs, key: str, count: int = 1, timeout: float = 60) -> list[dict]:
    """The table's items for an object key, once `count` of them are visible."""
    deadline = time.monotonic() + timeout
    while True:
        items = clients.dynamodb.scan(
            TableName=outputs["DynamoDBTableName"],
            FilterExpression="objectKey = :k",
            ExpressionAttributeValues={":k": {"S": key}},
            ConsistentRead=True,
        )["Items"]
        if len(items) >= count or time.monotonic() > deadline:
            return items
        time.sleep(0.2)


def s3_event(bucket: str, key: str) -> dict:
    return {
        "Records": [
            {
                "eventSource": "aws:s3",
                "eventName": "ObjectCreated:Put",
                "eventTime": "2026-12-01T20:31:45.123Z",
                "s3": {"bucket": {"name": bucket}, "object": {"key": key, "size": 1}},
            }
        ]
    }


def invoke(clients, outputs, payload) -> tuple[dict, str | None]:
    response = clients.client("lambda").invoke(
        FunctionName=outputs["LambdaFunctionName"], Payload=json.dumps(payload).encode()
    )
    return json.loads(response["Payload"].read()), response.get("FunctionError")


def stack_events(clients, stack_name: str) -> list[str]:
    pages = clients.cloudformation.get_paginator("describe_stack_events").paginate(StackName=stack_name)
    return [event["EventId"] for page in pages for event in page["StackEvents"]]


def test_the_bucket_is_reachable(clients, deployed):
    bucket = deployed["BucketName"]
    clients.s3.head_bucket(Bucket=bucket)
    clients.s3.put_object(Bucket=bucket, Key="reachable.txt", Body=b"hello")
    assert clients.s3.get_object(Bucket=bucket, Key="reachable.txt")["Body"].read() == b"hello"


def test_the_table_reads_and_writes(clients, deployed):
    item = {"requestId": {"S": f"probe-{uuid.uuid4()}"}, "timestamp": {"S": "2026-01-01T00:00:00+00:00"}}
    clients.dynamodb.put_item(TableName=deployed["DynamoDBTableName"], Item=item)
    read = clients.dynamodb.get_item(TableName=deployed["DynamoDBTableName"], Key=item, ConsistentRead=True)
    assert read["Item"] == item
    clients.dynamodb.delete_item(TableName=deployed["DynamoDBTableName"], Key=item)


def test_invoking_the_function_directly_logs_the_record(clients, deployed):
    key = f"direct/{uuid.uuid4()}.txt"
    payload, error = invoke(clients, deployed, s3_event(deployed["BucketName"], key))
    assert error is None and payload["statusCode"] == 200
    body = json.loads(payload["body"])
    assert body["processed"] == 1 and len(body["requestIds"]) == 1
    (item,) = items_for(clients, deployed, key)
    assert item["requestId"]["S"] == body["requestIds"][0]


def test_an_upload_becomes_an_item(clients, deployed):
    key = f"uploads/{uuid.uuid4()} é+.txt"
    clients.s3.put_object(Bucket=deployed["BucketName"], Key=key, Body=b"x" * 42)
    (item,) = items_for(clients, deployed, key)
    assert item["bucketName"]["S"] == deployed["BucketName"]
    assert item["eventName"]["S"].startswith("ObjectCreated:")
    assert item["functionName"]["S"] == deployed["LambdaFunctionName"]
    assert item["objectSize"]["N"] == "42"


def test_several_uploads_become_as_many_items(clients, deployed):
    prefix = f"batch-{uuid.uuid4().hex[:8]}"
    keys = [f"{prefix}/{n}.csv" for n in range(5)]
    for key in keys:
        clients.s3.put_object(Bucket=deployed["BucketName"], Key=key, Body=b"a,b\n")
    for key in keys:
        assert len(items_for(clients, deployed, key)) == 1


@pytest.mark.parametrize(
    "payload", ["just a string", {"Records": "not a list"}, {"Records": [{"eventSource": "aws:sqs"}]}, {}]
)
def test_a_malformed_payload_is_skipped_not_crashed(clients, deployed, payload):
    response, error = invoke(clients, deployed, payload)
    assert error is None
    assert json.loads(response["body"])["skipped"] == 1


def test_a_key_that_does_not_exist(clients, deployed):
    key = f"missing/{uuid.uuid4()}.txt"
    with pytest.raises(clients.s3.exceptions.NoSuchKey):
        clients.s3.get_object(Bucket=deployed["BucketName"], Key=key)
    payload, error = invoke(clients, deployed, s3_event(deployed["BucketName"], key))
    assert error is None and json.loads(payload["body"])["processed"] == 1  # logs what S3 said


def test_every_item_validates_against_the_schema(clients, deployed):
    clients.s3.put_object(Bucket=deployed["BucketName"], Key="schema.txt", Body=b"s")
    items_for(clients, deployed, "schema.txt")
    items = clients.dynamodb.scan(TableName=deployed["DynamoDBTableName"], ConsistentRead=True)["Items"]
    assert items
    for item in items:
        for name, kind in ITEM_SCHEMA.items():
            assert kind in item[name], (name, item)
        assert set(item) <= set(ITEM_SCHEMA) | set(OPTIONAL), item
        assert uuid.UUID(item["requestId"]["S"]).version == 5
        moment = datetime.fromisoformat(item["timestamp"]["S"])
        assert moment == datetime.fromisoformat(item["eventTime"]["S"]) and moment.utcoffset() == timedelta(0)
        assert datetime.fromisoformat(item["loggedAt"]["S"]).utcoffset() == timedelta(0)
        assert int(item.get("objectSize", {"N": "0"})["N"]) >= 0


def test_every_upload_of_one_key_is_found_through_the_object_key_index_oldest_first(clients, deployed):
    key = f"history/{uuid.uuid4()}.txt"
    for body in (b"1", b"2", b"3"):
        clients.s3.put_object(Bucket=deployed["BucketName"], Key=key, Body=body)
        assert len(items_for(clients, deployed, key, count=int(body))) == int(body)  # one at a time: ordered
    deadline = time.monotonic() + 60  # an index is eventually consistent
    while True:
        items = clients.dynamodb.query(
            TableName=deployed["DynamoDBTableName"],
            IndexName=deployed["ObjectKeyIndexName"],
            KeyConditionExpression="objectKey = :k",
            ExpressionAttributeValues={":k": {"S": key}},
        )["Items"]
        if len(items) == 3 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    stamps = [item["timestamp"]["S"] for item in items]
    assert len(stamps) == 3 and stamps == sorted(stamps)
    assert {item["objectSize"]["N"] for item in items} == {"1"}  # every attribute is projected


def test_an_unchanged_redeploy_is_a_no_op(clients, deployed, target_args, stack_name, capsys):
    from deployment.artifacts import artifacts_bucket_name

    bucket = artifacts_bucket_name(clients.sts.get_caller_identity()["Account"], clients.s3.meta.region_name)
    objects_before = clients.s3.list_objects_v2(Bucket=bucket).get("KeyCount")
    events_before = stack_events(clients, stack_name)
    capsys.readouterr()
    assert deploy.main(target_args) == 0
    assert f"No changes: stack {stack_name} is up to date." in capsys.readouterr().out
    assert stack_events(clients, stack_name) == events_before
    assert clients.s3.list_objects_v2(Bucket=bucket).get("KeyCount") == objects_before


def test_a_changed_template_updates_the_stack(clients, deployed, target_args, stack_name, monkeypatch, capsys):
    from dataclasses import replace

    monkeypatch.setitem(PROFILES, "dev", replace(PROFILES["dev"], function_memory=512))
    assert deploy.main(target_args) == 0
    out = capsys.readouterr().out
    assert "Modify  InvocationLoggerFunction" in out and "update complete" in out
    configuration = clients.client("lambda").get_function_configuration(FunctionName=deployed["LambdaFunctionName"])
    assert configuration["MemorySize"] == 512
    key = f"after-update/{uuid.uuid4()}.txt"
    clients.s3.put_object(Bucket=deployed["BucketName"], Key=key, Body=b"u")
    assert len(items_for(clients, deployed, key)) == 1


def test_changed_handler_code_is_uploaded_and_deployed_to_the_logger_only(
    clients, deployed, target_args, monkeypatch, tmp_path, capsys
):
    assert deploy.main(target_args) == 0  # the checkout's code and template, whatever ran before
    lambda_client = clients.client("lambda")
    before = lambda_client.get_function_configuration(FunctionName=deployed["LambdaFunctionName"])["CodeSha256"]
    capsys.readouterr()
    assert deploy_changed_code(monkeypatch, tmp_path, target_args) == 0
    out = capsys.readouterr().out
    rows = [row[:3] for row in change_rows(out)]
    assert rows == [["Modify", "InvocationLoggerFunction", "AWS::Lambda::Function"]], out
    assert "Uploaded s3://" in out and "/uploadtrail/invocation-logger-" in out
    after = lambda_client.get_function_configuration(FunctionName=deployed["LambdaFunctionName"])["CodeSha256"]
    assert after != before
    key = f"after-code-change/{uuid.uuid4()}.txt"
    clients.s3.put_object(Bucket=deployed["BucketName"], Key=key, Body=b"c")
    assert len(items_for(clients, deployed, key)) == 1


def test_destroy_leaves_nothing_behind(clients, deployed, target_args, stack_name):
    clients.s3.put_object(Bucket=deployed["BucketName"], Key="still-here.txt", Body=b"x")
    stack_id = clients.cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]["StackId"]
    assert deploy.main(target_args + ["--destroy", "--yes"]) == 0
    assert clients.cloudformation.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"] == "DELETE_COMPLETE"
    assert not bucket_exists(clients, deployed["BucketName"])
    assert deployed["DynamoDBTableName"] not in table_names(clients)
    assert deployed["LambdaFunctionName"] not in function_names(clients)
    queue_name = deployed["DeadLetterQueueUrl"].rsplit("/", 1)[1]
    queues = clients.client("sqs").list_queues(QueueNamePrefix=queue_name).get("QueueUrls", [])
    assert queue_name not in [q.rsplit("/", 1)[1] for q in queues]
    groups = clients.client("logs").describe_log_groups(logGroupNamePrefix=f"/uploadtrail/{stack_name}/")["logGroups"]
    assert groups == []
