"""The bucket-cleanup custom resource against moto's S3, answering a local HTTP server."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import pytest

from tests.function.conftest import FakeContext

BUCKET = "uploadtrail-dev-123456789012-us-east-1"
TAG = {"Key": "uploadtrail:auto-delete-objects", "Value": "true"}


class CloudFormation:
    """A local ResponseURL: records every PUT that the function sends."""

    def __init__(self):
        self.answers: list[dict] = []
        answers = self.answers

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self):
                length = int(self.headers["Content-Length"])
                answers.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/response?signature=x"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def cloudformation():
    server = CloudFormation()
    yield server
    server.close()


def request(cloudformation, request_type: str, bucket: str = BUCKET, **extra) -> dict:
    return {
        "RequestType": request_type,
        "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:cleanup",
        "ResponseURL": cloudformation.url,
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/uploadtrail-dev/1",
        "RequestId": "req-1",
        "LogicalResourceId": "UploadsBucketAutoDelete",
        "ResourceType": "Custom::BucketAutoDelete",
        "ResourceProperties": {"ServiceToken": "x", "BucketName": bucket},
        **extra,
    }


@pytest.fixture
def s3(mocked):
    return boto3.client("s3")


def make_bucket(s3, tagged=True, versioned=False):
    s3.create_bucket(Bucket=BUCKET)
    if tagged:
        s3.put_bucket_tagging(Bucket=BUCKET, Tagging={"TagSet": [TAG]})
    if versioned:
        s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})


def every_version(s3) -> int:
    pages = s3.get_paginator("list_object_versions").paginate(Bucket=BUCKET)
    return sum(len(p.get("Versions", [])) + len(p.get("DeleteMarkers", [])) for p in pages)


def test_delete_empties_a_versioned_bucket_with_thousands_of_versions(cleanup_module, s3, cloudformation, monkeypatch):
    make_bucket(s3, versioned=True)
    for n in range(900):
        key = f"file-{n}.txt"
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"1")
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"2")
        s3.delete_object(Bucket=BUCKET, Key=key)  # a delete marker
    assert every_version(s3) == 2700
    batches = []
    original = cleanup_module.S3.delete_objects
    monkeypatch.setattr(
        cleanup_module.S3,
        "delete_objects",
        lambda **kw: batches.append(len(kw["Delete"]["Objects"])) or original(**kw),
    )
    cleanup_module.handler(request(cloudformation, "Delete", PhysicalResourceId="p-1"), FakeContext())
    assert every_version(s3) == 0
    assert max(batches) <= 1000 and sum(batches) == 2700 and len(batches) >= 3
    (answer,) = cloudformation.answers
    assert answer["Status"] == "SUCCESS"
    assert "deleted 2700 object version(s)" in answer["Reason"]
    assert answer["PhysicalResourceId"] == "p-1"
    assert answer["RequestId"] == "req-1" and answer["LogicalResourceId"] == "UploadsBucketAutoDelete"
    s3.delete_bucket(Bucket=BUCKET)  # empty now, as CloudFormation will find it


def test_while_emptying_new_uploads_are_denied(cleanup_module, s3, cloudformation):
    make_bucket(s3)
    s3.put_bucket_policy(
        Bucket=BUCKET,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "Keep",
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:DeleteBucket",
                        "Resource": f"arn:aws:s3:::{BUCKET}",
                    }
                ],
            }
        ),
    )
    cleanup_module.handler(request(cloudformation, "Delete"), FakeContext())
    statements = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])["Statement"]
    assert [s["Sid"] for s in statements] == ["Keep", "UploadtrailDenyUploadsWhileEmptying"]
    assert statements[1]["Action"] == "s3:PutObject" and statements[1]["Effect"] == "Deny"
    assert statements[1]["Resource"] == f"arn:aws:s3:::{BUCKET}/*"


def test_a_bucket_without_policy_gets_one_that_denies_uploads(cleanup_module, s3, cloudformation):
    make_bucket(s3)
    s3.put_object(Bucket=BUCKET, Key="a", Body=b"x")
    cleanup_module.handler(request(cloudformation, "Delete"), FakeContext())
    statements = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])["Statement"]
    assert [s["Sid"] for s in statements] == ["UploadtrailDenyUploadsWhileEmptying"]
    assert cloudformation.answers[0]["Status"] == "SUCCESS"


def test_a_retried_delete_keeps_one_deny_statement(cleanup_module, s3, cloudformation, monkeypatch):
    """S3 rejects a policy whose statements share a Sid (MalformedPolicy), so a Delete retried
    after a failure midway must replace its statement, not add a second one."""
    make_bucket(s3)
    s3.put_object(Bucket=BUCKET, Key="a", Body=b"x")
    original = cleanup_module.S3.delete_objects
    monkeypatch.setattr(
        cleanup_module.S3, "delete_objects", lambda **kw: {"Errors": [{"Key": "a", "Code": "SlowDown", "Message": "m"}]}
    )
    cleanup_module.handler(request(cloudformation, "Delete"), FakeContext())
    monkeypatch.setattr(cleanup_module.S3, "delete_objects", original)
    cleanup_module.handler(request(cloudformation, "Delete"), FakeContext())
    assert [a["Status"] for a in cloudformation.answers] == ["FAILED", "SUCCESS"]
    statements = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])["Statement"]
    assert [s["Sid"] for s in statements] == ["UploadtrailDenyUploadsWhileEmptying"]


def test_a_policy_with_a_single_statement_object_keeps_it(cleanup_module, s3, cloudformation):
    make_bucket(s3)
    keep = {
        "Sid": "Keep",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:DeleteBucket",
        "Resource": f"arn:aws:s3:::{BUCKET}",
    }
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": keep}))
    cleanup_module.handler(request(cloudformation, "Delete"), FakeContext())
    statements = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])["Statement"]
    assert statements[0] == keep and [s["Sid"] for s in statements] == ["Keep", "UploadtrailDenyUploadsWhileEmptying"]


def test_a_missing_bucket_is_success(cleanup_module, cloudformation):
    cleanup_module.handler(request(cloudformation, "Delete"), FakeContext())
    (answer,) = cloudformation.answers
    assert answer["Status"] == "SUCCESS" and "no longer exists" in answer["Reason"]


def test_a_bucket_without_the_tag_outlives_the_resource_untouched(cleanup_module, s3, cloudformation):
    make_bucket(s3, tagged=False)
    s3.put_object(Bucket=BUCKET, Key="keep-me", Body=b"x")
    cleanup_module.handler(request(cloudformation, "Delete"), FakeContext())
    assert every_version(s3) == 1
    (answer,) = cloudformation.answers
    assert answer["Status"] == "SUCCESS" and "left as it is" in answer["Reason"]
    with pytest.raises(s3.exceptions.ClientError):
        s3.get_bucket_policy(Bucket=BUCKET)


def test_a_bucket_with_other_tags_only_is_untouched(cleanup_module, s3, cloudformation):
    make_bucket(s3, tagged=False)
    s3.put_bucket_tagging(Bucket=BUCKET, Tagging={"TagSet": [{"Key": "team", "Value": "a"}]})
    s3.put_object(Bucket=BUCKET, Key="keep-me", Body=b"x")
    cleanup_module.handler(request(cloudformation, "Delete"), FakeContext())
    assert every_version(s3) == 1


@pytest.mark.parametrize("request_type", ["Create", "Update"])
def test_create_and_update_touch_nothing(cleanup_module, s3, cloudformation, request_type):
    make_bucket(s3)
    s3.put_object(Bucket=BUCKET, Key="keep-me", Body=b"x")
    extra = (
        {"PhysicalResourceId": "p-1", "OldResourceProperties": {"BucketName": "old-bucket"}}
        if request_type == "Update"
        else {}
    )
    cleanup_module.handler(request(cloudformation, request_type, **extra), FakeContext())
    assert every_version(s3) == 1
    (answer,) = cloudformation.answers
    assert answer["Status"] == "SUCCESS"
    expected_id = "p-1" if request_type == "Update" else f"UploadsBucketAutoDelete-{BUCKET}"
    assert answer["PhysicalResourceId"] == expected_id


def test_a_failure_still_answers_failed_with_the_reason(cleanup_module, s3, cloudformation, monkeypatch):
    make_bucket(s3)

    def refuse(**kwargs):
        raise s3.exceptions.ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "GetBucketPolicy")

    monkeypatch.setattr(cleanup_module.S3, "get_bucket_policy", refuse)
    cleanup_module.handler(request(cloudformation, "Delete"), FakeContext())
    (answer,) = cloudformation.answers
    assert answer["Status"] == "FAILED"
    assert "AccessDenied" in answer["Reason"] and "log stream: 2026/11/25" in answer["Reason"]


def test_objects_that_cannot_be_deleted_fail_the_request(cleanup_module, s3, cloudformation, monkeypatch):
    make_bucket(s3)
    s3.put_object(Bucket=BUCKET, Key="locked", Body=b"x")
    monkeypatch.setattr(
        cleanup_module.S3,
        "delete_objects",
        lambda **kw: {"Errors": [{"Key": "locked", "Code": "AccessDenied", "Message": "object lock"}]},
    )
    cleanup_module.handler(request(cloudformation, "Delete"), FakeContext())
    (answer,) = cloudformation.answers
    assert answer["Status"] == "FAILED" and "locked: AccessDenied object lock" in answer["Reason"]


@pytest.mark.parametrize("where", ["get_bucket_tagging", "list_object_versions"])
def test_other_s3_errors_fail_and_a_bucket_gone_midway_succeeds(cleanup_module, s3, cloudformation, monkeypatch, where):
    make_bucket(s3)
    code = "InternalError" if where == "get_bucket_tagging" else "NoSuchBucket"

    def broken(*args, **kwargs):
        raise s3.exceptions.ClientError({"Error": {"Code": code, "Message": "m"}}, where)

    monkeypatch.setattr(cleanup_module.S3, where, broken)
    cleanup_module.handler(request(cloudformation, "Delete"), FakeContext())
    (answer,) = cloudformation.answers
    if where == "get_bucket_tagging":
        assert answer["Status"] == "FAILED" and "InternalError" in answer["Reason"]
    else:
        assert answer["Status"] == "SUCCESS" and "no longer exists" in answer["Reason"]


def test_a_listing_error_fails_the_request(cleanup_module, s3, cloudformation, monkeypatch):
    make_bucket(s3)
    calls = []

    def paginate_fails(*args, **kwargs):
        calls.append(1)
        raise s3.exceptions.ClientError({"Error": {"Code": "SlowDown", "Message": "m"}}, "ListObjectVersions")

    monkeypatch.setattr(cleanup_module.S3, "list_object_versions", paginate_fails)
    cleanup_module.handler(request(cloudformation, "Delete"), FakeContext())
    assert cloudformation.answers[0]["Status"] == "FAILED" and calls


def test_time_out_guard_answers_failed_before_lambdas_timeout(cleanup_module, s3, cloudformation, monkeypatch):
    release = threading.Event()
    monkeypatch.setattr(cleanup_module, "handle", lambda event: release.wait(5) and "late")
    context = FakeContext(remaining_ms=cleanup_module.RESPONSE_MARGIN_SECONDS * 1000 + 50)
    worker = threading.Thread(target=cleanup_module.handler, args=(request(cloudformation, "Delete"), context))
    started = time.monotonic()
    worker.start()
    while not cloudformation.answers and time.monotonic() - started < 5:
        time.sleep(0.01)
    assert [a["Status"] for a in cloudformation.answers] == ["FAILED"]
    assert "timed out" in cloudformation.answers[0]["Reason"]
    release.set()
    worker.join(5)
    assert [a["Status"] for a in cloudformation.answers] == ["FAILED"]  # no second answer


def test_an_unreachable_response_url_is_retried_then_logged(cleanup_module, s3, cloudformation, caplog):
    event = request(cloudformation, "Create")
    cloudformation.close()
    cleanup_module.handler(event, FakeContext())
    attempts = [r.attempt for r in caplog.records if r.getMessage() == "could not answer CloudFormation"]
    assert attempts == [1, 2, 3]


def test_the_function_reads_the_tag_the_template_writes(cleanup_module):
    from generator.storage import AUTO_DELETE_TAG

    assert cleanup_module.AUTO_DELETE_TAG == AUTO_DELETE_TAG
