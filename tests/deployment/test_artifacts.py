"""The artifacts bucket is created private, encrypted and TLS-only; packages upload once."""

import json

import boto3
import pytest
from moto import mock_aws

from deployment.artifacts import artifacts_bucket_name, ensure_artifacts_bucket, upload_if_absent
from deployment.function_package import FunctionPackage


@pytest.fixture
def s3(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        yield boto3.client("s3", region_name="eu-west-1")


def test_created_once_private_encrypted_and_tls_only(s3):
    bucket = artifacts_bucket_name("123456789012", "eu-west-1")
    assert ensure_artifacts_bucket(s3, bucket, "eu-west-1", "aws") is True
    assert ensure_artifacts_bucket(s3, bucket, "eu-west-1", "aws") is False
    assert s3.get_bucket_location(Bucket=bucket)["LocationConstraint"] == "eu-west-1"
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values()) and len(block) == 4
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    (statement,) = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]
    assert statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert statement["Resource"] == [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]


def test_us_east_1_takes_no_location_constraint(monkeypatch, s3):
    east = boto3.client("s3", region_name="us-east-1")
    assert ensure_artifacts_bucket(east, "artifacts-east", "us-east-1", "aws") is True


def test_a_package_is_uploaded_only_when_absent(s3):
    # a bucket without the TLS-only policy: plain moto denies every request under a condition
    s3.create_bucket(Bucket="artifacts", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    package = FunctionPackage(b"zip bytes")
    assert upload_if_absent(s3, "artifacts", package) is True
    assert upload_if_absent(s3, "artifacts", package) is False
    assert s3.get_object(Bucket="artifacts", Key=package.key)["Body"].read() == b"zip bytes"


def test_access_errors_are_not_taken_for_absence(s3, monkeypatch):
    def forbidden(**kwargs):
        raise s3.exceptions.ClientError({"Error": {"Code": "403", "Message": "Forbidden"}}, "HeadBucket")

    monkeypatch.setattr(s3, "head_bucket", forbidden)
    monkeypatch.setattr(s3, "head_object", forbidden)
    with pytest.raises(s3.exceptions.ClientError):
        ensure_artifacts_bucket(s3, "theirs", "eu-west-1", "aws")
    with pytest.raises(s3.exceptions.ClientError):
        upload_if_absent(s3, "theirs", FunctionPackage(b"x"))
