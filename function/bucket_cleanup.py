"""Custom resource Custom::BucketAutoDelete: on Delete, empties the bucket (every version and
delete marker) so that CloudFormation can delete it; always answers CloudFormation in time."""

from __future__ import annotations

import json
import threading
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from .structured_log import get_logger

# Only a bucket with this tag is emptied: the template tags the bucket together with adding this
# resource, and a template that drops the resource drops the tag first (resources are updated
# before removed ones are deleted), so a bucket that outlives the resource is never wiped.
AUTO_DELETE_TAG = "uploadtrail:auto-delete-objects"
DENY_UPLOADS_SID = "UploadtrailDenyUploadsWhileEmptying"
BATCH = 1000
# Answer FAILED this long before Lambda's timeout, so the stack never waits for nothing.
RESPONSE_MARGIN_SECONDS = 10
RESPONSE_ATTEMPTS = 3

LOGGER = get_logger("uploadtrail.bucket_cleanup")
S3 = boto3.client("s3", config=Config(retries={"mode": "standard"}))
GONE = {"NoSuchBucket"}


class Responder:
    """Sends the one answer CloudFormation waits for; every later attempt is ignored."""

    def __init__(self, event: dict, context):
        self.event = event
        self.context = context
        self.lock = threading.Lock()
        self.sent = False

    def send(self, status: str, reason: str, physical_id: str) -> None:
        """PUT the response to the event's ResponseURL, unless one was already sent."""
        with self.lock:
            if self.sent:
                return
            self.sent = True
        log_stream = getattr(self.context, "log_stream_name", "")
        body = json.dumps(
            {
                "Status": status,
                "Reason": f"{reason} (log stream: {log_stream})" if log_stream else reason,
                "PhysicalResourceId": physical_id,
                "StackId": self.event["StackId"],
                "RequestId": self.event["RequestId"],
                "LogicalResourceId": self.event["LogicalResourceId"],
                "NoEcho": False,
                "Data": {},
            }
        ).encode()
        request = urllib.request.Request(
            self.event["ResponseURL"],
            data=body,
            method="PUT",
            headers={"Content-Type": "", "Content-Length": str(len(body))},
        )
        for attempt in range(1, RESPONSE_ATTEMPTS + 1):
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    LOGGER.info("answered", extra={"status": status, "http": response.status})
                    return
            except OSError:
                LOGGER.exception("could not answer CloudFormation", extra={"attempt": attempt})


def bucket_tags(bucket: str) -> dict[str, str] | None:
    """The bucket's tags, or None when the bucket no longer exists."""
    try:
        tag_set = S3.get_bucket_tagging(Bucket=bucket)["TagSet"]
    except ClientError as error:
        code = error.response["Error"]["Code"]
        if code in GONE:
            return None
        if code == "NoSuchTagSet":
            return {}
        raise
    return {tag["Key"]: tag["Value"] for tag in tag_set}


def deny_uploads(bucket: str, partition: str) -> None:
    """Set the statement in the bucket policy that denies new objects while the bucket empties.

    A retried Delete finds the statement already there and replaces it: S3 rejects a policy in
    which two statements share a Sid, before anything is emptied.
    """
    try:
        policy = json.loads(S3.get_bucket_policy(Bucket=bucket)["Policy"])
    except ClientError as error:
        if error.response["Error"]["Code"] != "NoSuchBucketPolicy":
            raise
        policy = {"Version": "2012-10-17", "Statement": []}
    statements = policy["Statement"]
    statements = [statements] if isinstance(statements, dict) else statements
    policy["Statement"] = [s for s in statements if s.get("Sid") != DENY_UPLOADS_SID] + [
        {
            "Sid": DENY_UPLOADS_SID,
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": f"arn:{partition}:s3:::{bucket}/*",
        }
    ]
    S3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))


def delete_every_version(bucket: str) -> int:
    """Delete every object version and delete marker, a page of at most 1000 at a time, until a
    listing comes back empty; the number deleted.

    Each page is listed from the start rather than from a marker: the previous page's markers
    name objects that no longer exist.
    """
    deleted = 0
    while True:
        page = S3.list_object_versions(Bucket=bucket, MaxKeys=BATCH)
        entries = page.get("Versions", []) + page.get("DeleteMarkers", [])
        if not entries:
            return deleted
        batch = [{"Key": e["Key"], "VersionId": e["VersionId"]} for e in entries[:BATCH]]
        result = S3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
        if result.get("Errors"):
            first = result["Errors"][0]
            raise RuntimeError(
                f"could not delete {len(result['Errors'])} object(s) of {bucket}, e.g. "
                f"{first.get('Key')}: {first.get('Code')} {first.get('Message')}"
            )
        deleted += len(batch)


def empty_bucket(bucket: str, partition: str) -> str:
    """Empty a tagged bucket; what was done, as the reason to report."""
    tags = bucket_tags(bucket)
    if tags is None:
        return f"bucket {bucket} no longer exists"
    if tags.get(AUTO_DELETE_TAG) != "true":
        return f"bucket {bucket} lacks the tag {AUTO_DELETE_TAG}=true; left as it is"
    deny_uploads(bucket, partition)
    try:
        deleted = delete_every_version(bucket)
    except ClientError as error:
        if error.response["Error"]["Code"] in GONE:
            return f"bucket {bucket} no longer exists"
        raise
    return f"emptied bucket {bucket}: deleted {deleted} object version(s) and delete marker(s)"


def handle(event: dict) -> str:
    """Carry out one request; the reason to report on success."""
    request = event["RequestType"]
    bucket = event["ResourceProperties"]["BucketName"]
    if request == "Delete":
        partition = event["ServiceToken"].split(":")[1]
        return empty_bucket(bucket, partition)
    return f"{request}: bucket {bucket} will be emptied when this resource is deleted"


def handler(event: dict, context) -> None:
    """Answer SUCCESS or FAILED (with the reason) for every request, and FAILED shortly before
    Lambda's timeout if the work is not done by then."""
    responder = Responder(event, context)
    bucket = (event.get("ResourceProperties") or {}).get("BucketName", "")
    physical_id = event.get("PhysicalResourceId") or f"{event.get('LogicalResourceId')}-{bucket}"
    LOGGER.info(
        "request",
        extra={"requestType": event.get("RequestType"), "physicalResourceId": physical_id},
    )
    seconds_left = context.get_remaining_time_in_millis() / 1000 - RESPONSE_MARGIN_SECONDS
    timer = threading.Timer(
        max(0.0, seconds_left),
        responder.send,
        args=("FAILED", "timed out before the bucket was emptied", physical_id),
    )
    timer.daemon = True
    timer.start()
    try:
        reason = handle(event)
    except Exception as error:
        LOGGER.exception("request failed")
        responder.send("FAILED", f"{type(error).__name__}: {error}", physical_id)
    else:
        LOGGER.info("request done", extra={"reason": reason})
        responder.send("SUCCESS", reason, physical_id)
    finally:
        timer.cancel()
