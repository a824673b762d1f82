"""Contract of localcloud/s3/events.py: plain moto's S3 events fail S3Model, encode slashes, and a
multipart upload sends two."""

from __future__ import annotations

import pytest

from tests.localcloud.plain_moto import queued_events


def test_plain_moto_sends_events_that_s3model_rejects_with_slashes_encoded(plain_moto):
    from aws_lambda_powertools.utilities.parser.models import S3Model
    from pydantic import ValidationError

    bucket, records = queued_events(plain_moto)
    plain_moto("s3").put_object(Bucket=bucket, Key="reports/a b.txt", Body=b"x")
    (record,) = records()
    assert not {"userIdentity", "requestParameters", "responseElements"} & set(record)
    assert "ownerIdentity" not in record["s3"]["bucket"] and "sequencer" not in record["s3"]["object"]
    assert record["s3"]["object"]["key"] == "reports%2Fa+b.txt"  # S3: reports/a+b.txt
    with pytest.raises(ValidationError):
        S3Model.model_validate({"Records": [record]})


def test_plain_moto_sends_two_events_for_one_multipart_upload(plain_moto):
    bucket, records = queued_events(plain_moto)
    s3 = plain_moto("s3")
    upload = s3.create_multipart_upload(Bucket=bucket, Key="big")["UploadId"]
    etag = s3.upload_part(Bucket=bucket, Key="big", UploadId=upload, PartNumber=1, Body=b"x")["ETag"]
    s3.complete_multipart_upload(
        Bucket=bucket, Key="big", UploadId=upload, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]}
    )
    assert [record["eventName"] for record in records()] == [
        "ObjectCreated:Put",
        "ObjectCreated:CompleteMultipartUpload",
    ]
