"""The artifacts bucket (private, encrypted, TLS-only, created on first use) and the upload of a
function package into it, only when its content-named key is absent."""

from __future__ import annotations

import json

from botocore.exceptions import ClientError

from deployment.function_package import FunctionPackage


def artifacts_bucket_name(account_id: str, region: str) -> str:
    return f"uploadtrail-artifacts-{account_id}-{region}"


def tls_only_policy(bucket: str, partition: str) -> str:
    arn = f"arn:{partition}:s3:::{bucket}"
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [arn, f"{arn}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ],
        }
    )


def ensure_artifacts_bucket(s3, bucket: str, region: str, partition: str) -> bool:
    """Create the bucket if it is missing; True when it was created."""
    try:
        s3.head_bucket(Bucket=bucket)
        return False
    except ClientError as error:
        if error.response["Error"]["Code"] not in {"404", "NoSuchBucket", "NotFound"}:
            raise
    arguments = {"Bucket": bucket}
    if region != "us-east-1":
        arguments["CreateBucketConfiguration"] = {"LocationConstraint": region}
    s3.create_bucket(**arguments)
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    s3.put_bucket_policy(Bucket=bucket, Policy=tls_only_policy(bucket, partition))
    return True


def upload_if_absent(s3, bucket: str, package: FunctionPackage) -> bool:
    """Upload the package unless its key is already there; True when it was uploaded."""
    try:
        s3.head_object(Bucket=bucket, Key=package.key)
        return False
    except ClientError as error:
        if error.response["Error"]["Code"] not in {"404", "NoSuchKey", "NotFound"}:
            raise
    s3.put_object(Bucket=bucket, Key=package.key, Body=package.data, ContentType="application/zip")
    return True
