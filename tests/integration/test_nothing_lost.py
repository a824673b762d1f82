"""Nothing lost: every upload becomes exactly one item or, when the table refuses, exactly one
dead-letter message holding the original event (counted on both sides); multipart, copy and
presigned POST uploads each log one item with their own event name."""

from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote_plus

import pytest
import requests

from tests.integration.conftest import TARGET, stack_deployed

# Lambda retries a failed event after about one minute, then two: on AWS a dead letter takes minutes.
TIMEOUT = 120 if TARGET == "local" else 900
BURST = 200


def items_under(clients, outputs: dict, prefix: str) -> list[dict]:
    """Every item of the table whose object key starts with prefix (a consistent, paginated scan)."""
    pages = clients.dynamodb.get_paginator("scan").paginate(
        TableName=outputs["DynamoDBTableName"],
        FilterExpression="begins_with(objectKey, :p)",
        ExpressionAttributeValues={":p": {"S": prefix}},
        ConsistentRead=True,
    )
    return [item for page in pages for item in page["Items"]]


def wait_for(found, count: int) -> list:
    """found() once it holds `count` things (or at the deadline, whatever it holds)."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        things = found()
        if len(things) >= count or time.monotonic() > deadline:
            return things
        time.sleep(0.2)


def upload_burst(clients, bucket: str, keys: list[str]) -> None:
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda key: clients.s3.put_object(Bucket=bucket, Key=key, Body=b"burst"), keys))


def test_a_burst_of_uploads_becomes_exactly_one_item_each(clients, deployed):
    prefix = f"burst-{uuid.uuid4().hex[:8]}/"
    keys = [f"{prefix}{n} file.txt" for n in range(BURST)]
    upload_burst(clients, deployed["BucketName"], keys)
    items = wait_for(lambda: items_under(clients, deployed, prefix), BURST)
    assert sorted(item["objectKey"]["S"] for item in items) == sorted(keys)  # each once, none twice
    assert {item["eventName"]["S"] for item in items} == {"ObjectCreated:Put"}


@pytest.fixture
def second_stack(target_args, stack_name, tmp_path):
    """A stack of its own (its table gets deleted); destroyed afterwards."""
    args = list(target_args)
    args[args.index(stack_name)] = f"{stack_name}-dlq"
    with stack_deployed(args, tmp_path) as outputs:
        yield outputs


def dead_letter_keys(clients, outputs: dict) -> list[str]:
    """Receive (and delete) the dead-letter messages so far; the object key of each."""
    sqs = clients.client("sqs")
    keys = []
    while True:
        messages = sqs.receive_message(
            QueueUrl=outputs["DeadLetterQueueUrl"], MaxNumberOfMessages=10, MessageAttributeNames=["All"]
        ).get("Messages", [])
        if not messages:
            return keys
        for message in messages:
            assert {"RequestID", "ErrorCode", "ErrorMessage"} <= set(message["MessageAttributes"])
            (record,) = json.loads(message["Body"])["Records"]
            keys.append(unquote_plus(record["s3"]["object"]["key"]))
            sqs.delete_message(QueueUrl=outputs["DeadLetterQueueUrl"], ReceiptHandle=message["ReceiptHandle"])


def test_when_the_table_refuses_each_upload_becomes_one_dead_letter_message(clients, second_stack):
    keys = [f"refused/{n} file.txt" for n in range(BURST)]
    first, second = keys[: BURST // 2], keys[BURST // 2 :]
    upload_burst(clients, second_stack["BucketName"], first)
    items = wait_for(lambda: items_under(clients, second_stack, "refused/"), len(first))
    clients.dynamodb.delete_table(TableName=second_stack["DynamoDBTableName"])
    upload_burst(clients, second_stack["BucketName"], second)
    dead: list[str] = []

    def dead_so_far() -> list[str]:
        dead.extend(dead_letter_keys(clients, second_stack))
        return dead

    wait_for(dead_so_far, len(second))
    logged = [item["objectKey"]["S"] for item in items]
    assert sorted(logged) == sorted(first) and sorted(dead) == sorted(second)
    assert sorted(logged + dead) == sorted(keys)  # every upload on exactly one side


def test_multipart_copy_and_presigned_post_uploads_each_log_one_item_with_their_event_name(clients, deployed):
    bucket, prefix = deployed["BucketName"], f"kinds-{uuid.uuid4().hex[:8]}/"
    s3 = clients.s3
    upload = s3.create_multipart_upload(Bucket=bucket, Key=f"{prefix}multipart.bin")["UploadId"]
    parts = [
        {
            "PartNumber": n,
            "ETag": s3.upload_part(
                Bucket=bucket, Key=f"{prefix}multipart.bin", UploadId=upload, PartNumber=n, Body=body
            )["ETag"],
        }
        for n, body in ((1, b"m" * 5 * 1024 * 1024), (2, b"end"))
    ]
    s3.complete_multipart_upload(
        Bucket=bucket, Key=f"{prefix}multipart.bin", UploadId=upload, MultipartUpload={"Parts": parts}
    )
    s3.copy_object(
        Bucket=bucket, Key=f"{prefix}copy.bin", CopySource={"Bucket": bucket, "Key": f"{prefix}multipart.bin"}
    )
    post = s3.generate_presigned_post(bucket, f"{prefix}posted.txt")
    assert requests.post(post["url"], data=post["fields"], files={"file": ("f", b"posted")}, timeout=60).ok
    items = wait_for(lambda: items_under(clients, deployed, prefix), 3)
    assert sorted((item["objectKey"]["S"], item["eventName"]["S"]) for item in items) == [
        (f"{prefix}copy.bin", "ObjectCreated:Copy"),
        (f"{prefix}multipart.bin", "ObjectCreated:CompleteMultipartUpload"),
        (f"{prefix}posted.txt", "ObjectCreated:Post"),
    ]
