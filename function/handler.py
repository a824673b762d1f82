"""The invocation logger: every record of an S3 event becomes one item in the DynamoDB table
named by TABLE_NAME."""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime
from urllib.parse import unquote_plus

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from .structured_log import get_logger

TABLE_NAME = os.environ.get("TABLE_NAME", "")
LOGGER = get_logger("uploadtrail.handler")
# Created once per cold start. When AWS_ENDPOINT_URL is set (LocalStack, the local cloud),
# botocore itself sends this client there: no code path differs between the targets.
DYNAMODB = boto3.client("dynamodb", config=Config(retries={"mode": "standard"}))

# S3 record fields worth querying later, stored under these item attribute names when present.
OPTIONAL_STRING_FIELDS = {
    "eTag": ("s3", "object", "eTag"),
    "versionId": ("s3", "object", "versionId"),
    "sequencer": ("s3", "object", "sequencer"),
    "eventTime": ("eventTime",),
    "awsRegion": ("awsRegion",),
    "sourceIPAddress": ("requestParameters", "sourceIPAddress"),
}


def dig(record: dict, path: tuple[str, ...]):
    """The value at path inside nested dicts, or None where any step is missing."""
    value = record
    for step in path:
        if not isinstance(value, dict):
            return None
        value = value.get(step)
    return value


def skip_reason(record) -> str | None:
    """Why a record cannot be logged, or None when it is an S3 record with bucket and key."""
    if not isinstance(record, dict) or record.get("eventSource") != "aws:s3":
        return "not an S3 record"
    if not dig(record, ("s3", "bucket", "name")) or not dig(record, ("s3", "object", "key")):
        return "S3 record without bucket name or object key"
    return None


def invocation_item(record: dict, context) -> dict:
    """The DynamoDB item (typed attributes) for one S3 record."""
    item = {
        "requestId": {"S": str(uuid.uuid4())},
        "timestamp": {"S": datetime.now(UTC).isoformat(timespec="microseconds")},
        "bucketName": {"S": record["s3"]["bucket"]["name"]},
        "objectKey": {"S": unquote_plus(record["s3"]["object"]["key"])},
        "eventName": {"S": str(record.get("eventName", ""))},
        "functionName": {
            "S": getattr(context, "function_name", None) or os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "unknown")
        },
        "awsRequestId": {"S": getattr(context, "aws_request_id", None) or "unknown"},
    }
    size = dig(record, ("s3", "object", "size"))
    if isinstance(size, int):
        item["objectSize"] = {"N": str(size)}
    for name, path in OPTIONAL_STRING_FIELDS.items():
        value = dig(record, path)
        if value:
            item[name] = {"S": str(value)}
    return item


def event_records(event) -> tuple[list, str | None]:
    """The records to look at, or why the whole event is skipped."""
    if isinstance(event, dict) and event.get("Event") == "s3:TestEvent":
        return [], "s3:TestEvent sent when the notification was configured"
    records = event.get("Records") if isinstance(event, dict) else None
    if not isinstance(records, list) or not records:
        return [], "event without Records"
    return records, None


def handler(event, context):
    """Log every S3 record of the event; skip (log and count) what is not one.

    A failed write is logged with its exception and re-raised, so that Lambda retries the
    invocation and then hands the event to the dead-letter queue.
    """
    if not TABLE_NAME:
        raise RuntimeError("TABLE_NAME is not set: the function cannot know where to log")
    records, event_skip = event_records(event)
    skipped = 0
    if event_skip:
        LOGGER.warning("skipped event", extra={"reason": event_skip})
        skipped = 1
    request_ids = []
    for index, record in enumerate(records):
        reason = skip_reason(record)
        if reason:
            LOGGER.warning("skipped record", extra={"reason": reason, "recordIndex": index})
            skipped += 1
            continue
        item = invocation_item(record, context)
        try:
            DYNAMODB.put_item(TableName=TABLE_NAME, Item=item)
        except (ClientError, BotoCoreError):
            LOGGER.exception(
                "could not log the record; failing the invocation so that Lambda retries it",
                extra={"recordIndex": index, "table": TABLE_NAME},
            )
            raise
        request_ids.append(item["requestId"]["S"])
        LOGGER.info(
            "logged upload",
            extra={
                "itemRequestId": item["requestId"]["S"],
                "bucketName": item["bucketName"]["S"],
                "objectKey": item["objectKey"]["S"],
            },
        )
    body = {
        "message": f"logged {len(request_ids)} record(s), skipped {skipped}",
        "processed": len(request_ids),
        "skipped": skipped,
        "requestIds": request_ids,
    }
    return {"statusCode": 200, "body": json.dumps(body)}
