"""S3 event notifications as S3 sends them (event structure version 2.1): userIdentity,
requestParameters, responseElements, the bucket's ownerIdentity, the object's sequencer and
versionId, "/" in keys left unencoded (moto lacks them all, or encodes it), built from the request
that caused each; one event per multipart upload (moto sends an ObjectCreated:Put first)."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time
from typing import Any
from urllib.parse import quote_plus, unquote_plus

from moto.core.utils import iso_8601_datetime_with_milliseconds
from moto.iam.models import iam_backends
from moto.s3 import notifications
from moto.s3.models import FakeBucket, FakeKey, S3Backend
from moto.s3.responses import S3Response
from moto.sts.models import sts_backends
from moto.utilities.utils import get_partition

from localcloud.cloud import LocalCloud

ACCESS_KEY = re.compile(r"Credential=([^/,\s]+)/|^AWS ([^:\s]+):")


def customer_id(account_id: str) -> str:
    """A stable Amazon customer ID for an account (S3 names bucket owners and root users so)."""
    digest = base64.b32encode(hashlib.sha256(account_id.encode()).digest()).decode()
    return "A" + digest[:13]


def access_key_of(request: Any) -> str:
    """The access key that signed a request: header, presigned URL or POST form; "" if unsigned."""
    match = ACCESS_KEY.search(request.headers.get("Authorization", ""))
    if match:
        return match.group(1) or match.group(2)
    for source in (request.args, request.form):
        credential = source.get("X-Amz-Credential") or source.get("x-amz-credential") or source.get("AWSAccessKeyId")
        if credential:
            return credential.split("/", 1)[0]
    return ""


def principal_id(account_id: str, partition: str, access_key: str) -> str:
    """userIdentity.principalId: the assumed role or IAM user that holds the key, else the
    account's root user; ANONYMOUS for an unsigned request."""
    if not access_key:
        return "ANONYMOUS"
    role = sts_backends[account_id][partition].get_assumed_role_from_access_key(access_key)
    if role is not None:
        return f"AWS:{role.user_id}"
    user = iam_backends[account_id][partition].get_user_from_access_key_id(access_key)
    return f"AWS:{user.id}" if user is not None else customer_id(account_id)


def next_sequencer(cloud: LocalCloud) -> str:
    """Hexadecimal, increasing across every event this server sends (so per key as well)."""
    with cloud.sequencer_lock:
        cloud.last_sequencer = max(cloud.last_sequencer + 1, time.time_ns() // 1000)
        return f"{cloud.last_sequencer:018X}"


def response_ids() -> dict[str, str]:
    """x-amz-request-id and x-amz-id-2 of one S3 response."""
    return {
        "x-amz-request-id": secrets.token_hex(8).upper(),
        "x-amz-id-2": base64.b64encode(secrets.token_bytes(48)).decode(),
    }


def serve_with_context(
    cloud: LocalCloud, original: Any, self: S3Response, request: Any, full_url: str, headers: Any
) -> Any:
    """S3Response.key_response / bucket_response: remember the request for the events it causes,
    and answer with x-amz-request-id and x-amz-id-2 as S3 does (the same values as the event's
    responseElements), without the x-amzn-requestid that moto adds and S3 never sends."""
    current = cloud.s3_request
    current.request, current.ids = request, response_ids()
    try:
        status, response_headers, body = original(self, request, full_url, headers)
    finally:
        current.request = None
    headers = {name: value for name, value in response_headers.items() if name.lower() != "x-amzn-requestid"}
    return status, {**headers, **current.ids}, body


def s3_event(
    cloud: LocalCloud, original: Any, event_name: str, bucket: FakeBucket, key: FakeKey, notification_id: str
) -> dict:
    """moto.s3.notifications._get_s3_event: the record S3 sends (event structure version 2.1)."""
    request = getattr(cloud.s3_request, "request", None)
    partition = get_partition(bucket.region_name)
    obj = {
        "key": quote_plus(key.name, safe="/"),
        "size": key.size,
        "eTag": key.etag.replace('"', ""),
        "sequencer": next_sequencer(cloud),
    }
    if bucket.is_versioned:
        obj["versionId"] = key.version_id
    record = {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": bucket.region_name,
        "eventTime": iso_8601_datetime_with_milliseconds(),
        "eventName": event_name.removeprefix("s3:"),
        "userIdentity": {
            "principalId": principal_id(bucket.account_id, partition, access_key_of(request)) if request else "AmazonS3"
        },
        "requestParameters": {"sourceIPAddress": (request.remote_addr if request else None) or "s3.amazonaws.com"},
        "responseElements": cloud.s3_request.ids if request else response_ids(),
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": notification_id,
            "bucket": {
                "name": bucket.name,
                "ownerIdentity": {"principalId": customer_id(bucket.account_id)},
                "arn": bucket.arn,
            },
            "object": obj,
        },
    }
    event = {"Records": [record]}
    if cloud.options.record_event is not None:
        cloud.options.record_event(event)
    return event


def send_event(cloud: LocalCloud, original: Any, account_id: str, event_name: str, bucket: Any, key: Any) -> None:
    """moto.s3.notifications.send_event, without the ObjectCreated:Put that moto sends while it
    completes a multipart upload (S3 sends CompleteMultipartUpload alone)."""
    put = notifications.S3NotificationEvent.OBJECT_CREATED_PUT_EVENT
    if getattr(cloud.s3_request, "completing", False) and event_name == put:
        return
    original(account_id, event_name, bucket, key)


def complete_multipart_upload(cloud: LocalCloud, original: Any, self: S3Backend, *args: Any, **kwargs: Any) -> Any:
    """S3Backend.complete_multipart_upload: mark the thread as completing one."""
    cloud.s3_request.completing = True
    try:
        return original(self, *args, **kwargs)
    finally:
        cloud.s3_request.completing = False


def objects_named(event: Any) -> list[str]:
    """The s3://bucket/key of each record of an S3 event (keys decoded as S3 encoded them); [] for
    any other event."""
    records = event.get("Records", []) if isinstance(event, dict) else []
    return [
        f"s3://{record['s3']['bucket']['name']}/{unquote_plus(record['s3']['object']['key'])}"
        for record in records
        if isinstance(record, dict) and record.get("eventSource") == "aws:s3"
    ]
