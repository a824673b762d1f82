"""S3 events as S3 sends them: every documented field, one event per upload whatever its kind,
keys encoded as S3 encodes them, a sequencer that grows per key, the response's request ids."""

from __future__ import annotations

import json
import time
import uuid

import pytest
import requests
from aws_lambda_powertools.utilities.parser.models import S3Model

DEADLINE = 30.0


@pytest.fixture
def notified(aws):
    """A fresh versioned bucket whose ObjectCreated events go to a queue; (bucket, events) where
    events(n) waits for n more event records and returns them."""
    bucket = f"events-{uuid.uuid4().hex[:12]}"
    sqs = aws("sqs")
    queue = sqs.create_queue(QueueName=bucket)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    s3 = aws("s3")
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={"QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]},
    )

    def events(count: int) -> list[dict]:
        records: list[dict] = []
        deadline = time.monotonic() + DEADLINE
        while len(records) < count and time.monotonic() < deadline:
            for message in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", []):
                sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
                records += json.loads(message["Body"]).get("Records", [])  # skips the s3:TestEvent
        return records

    return bucket, events


def test_a_put_sends_every_documented_field(aws, notified):
    bucket, events = notified
    response = aws("s3").put_object(Bucket=bucket, Key="reports/2026/a b+c é.txt", Body=b"12345")
    (record,) = events(1)
    assert record["eventVersion"] == "2.1" and record["eventSource"] == "aws:s3" and record["awsRegion"] == "us-east-1"
    assert record["eventName"] == "ObjectCreated:Put" and record["eventTime"].endswith("Z")
    assert record["userIdentity"]["principalId"]
    assert record["requestParameters"] == {"sourceIPAddress": "127.0.0.1"}
    metadata = response["ResponseMetadata"]
    assert record["responseElements"] == {"x-amz-request-id": metadata["RequestId"], "x-amz-id-2": metadata["HostId"]}
    s3 = record["s3"]
    assert s3["s3SchemaVersion"] == "1.0" and s3["configurationId"]
    assert s3["bucket"]["name"] == bucket and s3["bucket"]["arn"] == f"arn:aws:s3:::{bucket}"
    assert s3["bucket"]["ownerIdentity"]["principalId"] == record["userIdentity"]["principalId"]  # the root user
    assert s3["object"]["key"] == "reports/2026/a+b%2Bc+%C3%A9.txt"  # slashes kept, spaces as +
    assert s3["object"]["size"] == 5 and s3["object"]["eTag"] == response["ETag"].strip('"')
    assert s3["object"]["versionId"] == response["VersionId"]
    int(s3["object"]["sequencer"], 16)


def test_the_sequencer_grows_for_each_event_of_a_key(aws, notified):
    bucket, events = notified
    for body in (b"1", b"2", b"3"):
        aws("s3").put_object(Bucket=bucket, Key="same", Body=body)
    sequencers = [record["s3"]["object"]["sequencer"] for record in events(3)]
    assert sorted(sequencers) == sequencers and len(set(sequencers)) == 3


def test_a_multipart_upload_sends_one_complete_multipart_upload_event(aws, notified):
    bucket, events = notified
    s3 = aws("s3")
    upload = s3.create_multipart_upload(Bucket=bucket, Key="big.bin")["UploadId"]
    parts = [
        {
            "PartNumber": n,
            "ETag": s3.upload_part(Bucket=bucket, Key="big.bin", UploadId=upload, PartNumber=n, Body=body)["ETag"],
        }
        for n, body in ((1, b"a" * 5 * 1024 * 1024), (2, b"b"))
    ]
    s3.complete_multipart_upload(Bucket=bucket, Key="big.bin", UploadId=upload, MultipartUpload={"Parts": parts})
    s3.put_object(Bucket=bucket, Key="after.txt", Body=b"x")  # the next event shows nothing came between
    first, second = events(2)
    assert (first["eventName"], first["s3"]["object"]["key"]) == ("ObjectCreated:CompleteMultipartUpload", "big.bin")
    assert first["s3"]["object"]["eTag"].endswith("-2") and first["s3"]["object"]["size"] == 5 * 1024 * 1024 + 1
    assert second["s3"]["object"]["key"] == "after.txt"


def test_a_copy_and_a_presigned_post_send_their_own_event_names(aws, notified):
    bucket, events = notified
    s3 = aws("s3")
    s3.put_object(Bucket=bucket, Key="original.txt", Body=b"x")
    s3.copy_object(Bucket=bucket, Key="copy.txt", CopySource={"Bucket": bucket, "Key": "original.txt"})
    post = s3.generate_presigned_post(bucket, "posted file.txt")
    assert requests.post(post["url"], data=post["fields"], files={"file": ("f", b"posted")}, timeout=DEADLINE).ok
    names = [(record["eventName"], record["s3"]["object"]["key"]) for record in events(3)]
    assert names == [
        ("ObjectCreated:Put", "original.txt"),
        ("ObjectCreated:Copy", "copy.txt"),
        ("ObjectCreated:Post", "posted+file.txt"),
    ]


def test_the_principal_is_the_iam_user_that_signed_the_upload(aws, endpoint, notified):
    import boto3

    bucket, events = notified
    iam = aws("iam")
    user = iam.create_user(UserName=f"uploader-{uuid.uuid4().hex[:8]}")["User"]
    key = iam.create_access_key(UserName=user["UserName"])["AccessKey"]
    session = boto3.session.Session(key["AccessKeyId"], key["SecretAccessKey"], region_name="us-east-1")
    session.client("s3", endpoint_url=endpoint).put_object(Bucket=bucket, Key="by-user.txt", Body=b"u")
    (record,) = events(1)
    assert record["userIdentity"]["principalId"] == f"AWS:{user['UserId']}"


def test_a_presigned_put_names_the_signer_and_an_unsigned_one_nobody(aws, endpoint, notified):
    bucket, events = notified
    url = aws("s3").generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "presigned.txt"})
    assert requests.put(url, data=b"p", timeout=DEADLINE).ok
    assert requests.put(f"{endpoint}/{bucket}/unsigned.txt", data=b"u", timeout=DEADLINE).ok
    signed, unsigned = events(2)
    assert signed["userIdentity"] == {"principalId": signed["s3"]["bucket"]["ownerIdentity"]["principalId"]}
    assert unsigned["userIdentity"] == {"principalId": "ANONYMOUS"}


def test_the_suites_local_cloud_hands_every_event_it_sends_to_the_recording_option(aws, notified, s3_event_log):
    """The check after each test (tests/conftest.py) sees the events: S3Model validates each."""
    bucket, events = notified
    s3_event_log.new_events()
    aws("s3").put_object(Bucket=bucket, Key="recorded.txt", Body=b"x")
    (sent,) = events(1)
    recorded = [record for event in s3_event_log.new_events() for record in event["Records"]]
    assert recorded == [sent]
    S3Model.model_validate({"Records": recorded})
