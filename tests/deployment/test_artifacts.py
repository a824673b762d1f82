"""The artifacts bucket is yours (ExpectedBucketOwner on every call), created private, encrypted and
TLS-only; a found object is trusted only when its SHA-256 matches; large templates go as TemplateURL."""

import json

import boto3
import pytest
from botocore.stub import ANY
from moto import mock_aws

from deployment.artifacts import ArtifactsBucket, artifacts_bucket_name, sha256_base64
from deployment.errors import DeploymentFailed
from deployment.function_package import FunctionPackage
from deployment.template_source import MAX_TEMPLATE_BODY, compact, template_source

OWNER = "123456789012"


@pytest.fixture
def s3(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        yield boto3.client("s3", region_name="eu-west-1")


def bucket_of(s3, name="artifacts", region="eu-west-1") -> ArtifactsBucket:
    return ArtifactsBucket(s3, name, OWNER, region, "aws")


def test_created_once_private_encrypted_and_tls_only(s3):
    bucket = bucket_of(s3, artifacts_bucket_name(OWNER, "eu-west-1"))
    assert bucket.ensure() is True
    assert bucket.ensure() is False
    name = bucket.name
    assert s3.get_bucket_location(Bucket=name)["LocationConstraint"] == "eu-west-1"
    block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
    assert all(block.values()) and len(block) == 4
    rule = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    (statement,) = json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])["Statement"]
    assert statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert statement["Resource"] == [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"]


def test_us_east_1_takes_no_location_constraint(s3):
    east = boto3.client("s3", region_name="us-east-1")
    assert bucket_of(east, "artifacts-east", "us-east-1").ensure() is True


def test_a_package_is_uploaded_only_when_absent_and_trusted_only_when_its_bytes_match(s3):
    # a bucket without the TLS-only policy: plain moto denies every request under a condition
    s3.create_bucket(Bucket="artifacts", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    package = FunctionPackage("invocation-logger", b"zip bytes")
    bucket = bucket_of(s3)
    assert bucket.upload(package.key, package.data, "application/zip") == "uploaded"
    assert bucket.upload(package.key, package.data, "application/zip") == "present"
    s3.put_object(Bucket="artifacts", Key=package.key, Body=b"someone else's bytes")
    assert bucket.upload(package.key, package.data, "application/zip") == "replaced"
    assert s3.get_object(Bucket="artifacts", Key=package.key)["Body"].read() == b"zip bytes"


@pytest.fixture
def s3_stub(stubbed):
    return stubbed("s3")


def test_every_call_names_the_expected_owner(s3_stub):
    client, stubber = s3_stub
    owned = {"Bucket": "artifacts", "ExpectedBucketOwner": OWNER}
    stubber.add_client_error("head_bucket", "404", "Not Found", 404, expected_params=owned)
    stubber.add_response(
        "create_bucket",
        {},
        {"Bucket": "artifacts"},
    )
    stubber.add_response("put_public_access_block", {}, {**owned, "PublicAccessBlockConfiguration": ANY})
    stubber.add_response("put_bucket_encryption", {}, {**owned, "ServerSideEncryptionConfiguration": ANY})
    stubber.add_response("put_bucket_policy", {}, {**owned, "Policy": ANY})
    stubber.add_client_error("get_object", "NoSuchKey", "gone", 404, expected_params={**owned, "Key": "k"})
    stubber.add_response(
        "put_object",
        {},
        {**owned, "Key": "k", "Body": b"data", "ContentType": "text/plain", "ChecksumSHA256": sha256_base64(b"data")},
    )
    bucket = bucket_of(client, region="us-east-1")
    assert bucket.ensure() is True
    assert bucket.upload("k", b"data", "text/plain") == "uploaded"


@pytest.mark.parametrize("operation, code", [("head_bucket", "403"), ("create_bucket", "BucketAlreadyExists")])
def test_a_name_another_account_owns_is_reported_with_the_way_out(s3_stub, operation, code):
    client, stubber = s3_stub
    if operation == "create_bucket":
        stubber.add_client_error("head_bucket", "404", "Not Found", 404)
    stubber.add_client_error(operation, code, "taken", 403 if code == "403" else 409)
    with pytest.raises(DeploymentFailed) as failure:
        bucket_of(client).ensure()
    assert "another account owns that name" in str(failure.value)
    assert "--artifacts-bucket NAME" in str(failure.value)


def test_other_errors_are_not_taken_for_absence_or_ownership(s3_stub):
    client, stubber = s3_stub
    stubber.add_client_error("head_bucket", "SlowDown", "slow", 503)
    stubber.add_client_error("head_bucket", "404", "Not Found", 404)
    stubber.add_client_error("create_bucket", "InvalidBucketName", "bad", 400)
    stubber.add_client_error("get_object", "AccessDenied", "no", 403)
    bucket = bucket_of(client)
    for _ in range(2):
        with pytest.raises(client.exceptions.ClientError):
            bucket.ensure()
    with pytest.raises(client.exceptions.ClientError):
        bucket.upload("k", b"x", "text/plain")


def test_a_template_that_fits_is_sent_compact_as_its_body():
    template = {"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}

    def no_bucket():
        raise AssertionError("a small template needs no bucket")

    assert template_source(template, no_bucket) == {"TemplateBody": '{"Resources":{"B":{"Type":"AWS::S3::Bucket"}}}'}


def test_a_template_above_the_body_limit_goes_through_the_bucket_as_a_url(s3):
    s3.create_bucket(Bucket="artifacts", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    template = {"Description": "x" * MAX_TEMPLATE_BODY}
    source = template_source(template, lambda: bucket_of(s3))
    (url,) = source.values()
    assert list(source) == ["TemplateURL"]
    assert url.startswith("https://s3.eu-west-1.amazonaws.com/artifacts/uploadtrail/template-")
    key = url.split("/artifacts/", 1)[1]
    assert s3.get_object(Bucket="artifacts", Key=key)["Body"].read() == compact(template).encode()
