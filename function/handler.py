"""The invocation logger: every record of an S3 event becomes one item in the DynamoDB table
named by TABLE_NAME, however often the event is delivered."""

from __future__ import annotations

import copy
import hashlib
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

# The namespace of every item's requestId, fixed forever: uuid5(NAMESPACE_URL,
# "urn:uploadtrail:s3-record-identity"). Changing it, or the encoding in record_identity, would
# stop the next version from recognising the deliveries this one logged.
IDENTITY_NAMESPACE = uuid.UUID("1a496336-2263-5c76-81c9-e4f3a93f07e8")
# Fields that may differ between deliveries of one event or say nothing about which upload it was.
NOT_IDENTITY = (("eventTime",), ("s3", "object", "eTag"), ("s3", "configurationId"))
# Only a new item is written: a second delivery of a record finds its item and changes nothing.
FIRST_WRITE_ONLY = {
    "ConditionExpression": "attribute_not_exists(requestId)",
    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
}

# S3 record fields worth querying later, stored under these item attribute names when present.
OPTIONAL_STRING_FIELDS = {
    "eTag": ("s3", "object", "eTag"),
    "versionId": ("s3", "object", "versionId"),
    "sequencer": ("s3", "object", "sequencer"),
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


def event_moment(record: dict) -> str | None:
    """The record's eventTime as ISO 8601 in UTC with microseconds and zone, or None when it is
    missing, not a time, or without a zone."""
    try:
        moment = datetime.fromisoformat(record["eventTime"])
    except (KeyError, TypeError, ValueError):
        return None
    if moment.utcoffset() is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def skip_reason(record) -> str | None:
    """Why a record cannot be logged, or None when it is an S3 record with bucket, key and time."""
    if not isinstance(record, dict) or record.get("eventSource") != "aws:s3":
        return "not an S3 record"
    if not dig(record, ("s3", "bucket", "name")) or not dig(record, ("s3", "object", "key")):
        return "S3 record without bucket name or object key"
    if event_moment(record) is None:
        return "S3 record without an eventTime in ISO 8601 with a time zone"
    return None


def canonical_record(record: dict) -> str:
    """The record as compact JSON with sorted keys, without the fields that are not its identity."""
    identity_fields = copy.deepcopy(record)
    for path in NOT_IDENTITY:  # each parent exists in a record that skip_reason accepts
        dig(identity_fields, path[:-1]).pop(path[-1], None)
    return json.dumps(identity_fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def record_identity(record: dict) -> str:
    """The item's requestId: a version-5 UUID of which upload the record reports, the same for
    every delivery of it. The upload is told apart by S3's sequencer, else the upload's
    x-amz-request-id, else a SHA-256 of the canonical record."""
    sequencer = dig(record, ("s3", "object", "sequencer"))
    upload_request = dig(record, ("responseElements", "x-amz-request-id"))
    if sequencer:
        told_apart_by = ["sequencer", str(sequencer)]
    elif upload_request:
        told_apart_by = ["x-amz-request-id", str(upload_request)]
    else:
        told_apart_by = ["sha256", hashlib.sha256(canonical_record(record).encode()).hexdigest()]
    encoded = json.dumps(
        [
            record["s3"]["bucket"]["name"],
            unquote_plus(record["s3"]["object"]["key"]),
            str(dig(record, ("s3", "object", "versionId")) or ""),
            str(record.get("eventName", "")),
            *told_apart_by,
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return str(uuid.uuid5(IDENTITY_NAMESPACE, encoded))


def invocation_item(record: dict, context) -> dict:
    """The DynamoDB item (typed attributes) for one S3 record that skip_reason accepts."""
    item = {
        "requestId": {"S": record_identity(record)},
        "timestamp": {"S": event_moment(record)},
        "loggedAt": {"S": datetime.now(UTC).isoformat(timespec="microseconds")},
        "eventTime": {"S": record["eventTime"]},
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


def write_once(item: dict) -> dict | None:
    """Write the item unless it is already logged: None when written, else the item found."""
    try:
        DYNAMODB.put_item(TableName=TABLE_NAME, Item=item, **FIRST_WRITE_ONLY)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise
        return error.response.get("Item", {})
    return None


def handler(event, context):
    """Log every S3 record of the event once; skip (log and count) what is not one, and count a
    record already logged by an earlier delivery as a duplicate.

    A failed write is logged with its exception and re-raised, so that Lambda retries the
    invocation and then hands the event to the dead-letter queue; the retry writes only the
    records still missing.
    """
    if not TABLE_NAME:
        raise RuntimeError("TABLE_NAME is not set: the function cannot know where to log")
    records, event_skip = event_records(event)
    skipped = 0
    if event_skip:
        LOGGER.warning("skipped event", extra={"reason": event_skip})
        skipped = 1
    request_ids, duplicates = [], 0
    for index, record in enumerate(records):
        reason = skip_reason(record)
        if reason:
            LOGGER.warning("skipped record", extra={"reason": reason, "recordIndex": index})
            skipped += 1
            continue
        item = invocation_item(record, context)
        where = {
            "itemRequestId": item["requestId"]["S"],
            "bucketName": item["bucketName"]["S"],
            "objectKey": item["objectKey"]["S"],
        }
        try:
            found = write_once(item)
        except (ClientError, BotoCoreError):
            LOGGER.exception(
                "could not log the record; failing the invocation so that Lambda retries it",
                extra={"recordIndex": index, "table": TABLE_NAME, **where},
            )
            raise
        request_ids.append(item["requestId"]["S"])
        if found is None:
            LOGGER.info("logged upload", extra=where)
            continue
        duplicates += 1
        LOGGER.info(
            "duplicate delivery: the record is already logged",
            extra={**where, "firstAwsRequestId": found.get("awsRequestId", {}).get("S", "unknown")},
        )
    processed = len(request_ids) - duplicates
    body = {
        "message": f"logged {processed} record(s), {duplicates} already logged, skipped {skipped}",
        "processed": processed,
        "duplicates": duplicates,
        "skipped": skipped,
        "requestIds": request_ids,
    }
    return {"statusCode": 200, "body": json.dumps(body)}
