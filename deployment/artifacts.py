"""The artifacts bucket you own (private, encrypted, TLS-only, created on first use, every call
made with ExpectedBucketOwner) and the content-named objects in it: a found object is trusted only
when its bytes match the SHA-256 its key was made from."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass

from botocore.exceptions import ClientError

from deployment.errors import DeploymentFailed

MISSING = {"404", "NoSuchBucket", "NoSuchKey", "NotFound"}
# S3 answers 403 when ExpectedBucketOwner is not the bucket's owner, and BucketAlreadyExists when
# another account holds the name a CreateBucket asks for (bucket names are global).
NOT_OURS = {"403", "AccessDenied", "BucketAlreadyExists"}


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


def sha256_base64(data: bytes) -> str:
    """The SHA-256 of data as S3's ChecksumSHA256 writes it."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def error_code(error: ClientError) -> str:
    return error.response["Error"]["Code"]


@dataclass(frozen=True)
class ArtifactsBucket:
    """A bucket of account `owner` that holds function packages and large templates."""

    s3: object
    name: str
    owner: str
    region: str
    partition: str

    def taken(self) -> DeploymentFailed:
        return DeploymentFailed(
            f"the artifacts bucket {self.name} is not in account {self.owner}: another account owns that name "
            "(or your credentials may not read it). Pass --artifacts-bucket NAME with a bucket of your own, "
            "or a new name to create"
        )

    def ensure(self) -> bool:
        """Create the bucket if it is missing; True when it was created. DeploymentFailed when
        another account owns the name."""
        try:
            self.s3.head_bucket(Bucket=self.name, ExpectedBucketOwner=self.owner)
            return False
        except ClientError as error:
            if error_code(error) in NOT_OURS:
                raise self.taken() from None
            if error_code(error) not in MISSING:
                raise
        arguments = {"Bucket": self.name}
        if self.region != "us-east-1":
            arguments["CreateBucketConfiguration"] = {"LocationConstraint": self.region}
        try:
            self.s3.create_bucket(**arguments)
        except ClientError as error:
            if error_code(error) in NOT_OURS:
                raise self.taken() from None
            raise
        owned = {"Bucket": self.name, "ExpectedBucketOwner": self.owner}
        self.s3.put_public_access_block(
            **owned,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )
        self.s3.put_bucket_encryption(
            **owned,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
            },
        )
        self.s3.put_bucket_policy(**owned, Policy=tls_only_policy(self.name, self.partition))
        return True

    def upload(self, key: str, data: bytes, content_type: str) -> str:
        """Put data at key unless the same bytes are there: "uploaded", "present" (its SHA-256
        checked) or "replaced" (something else was at the key)."""
        try:
            found = self.s3.get_object(Bucket=self.name, Key=key, ExpectedBucketOwner=self.owner)["Body"].read()
        except ClientError as error:
            if error_code(error) not in MISSING:
                raise
            found = None
        if found is not None and hashlib.sha256(found).digest() == hashlib.sha256(data).digest():
            return "present"
        self.s3.put_object(
            Bucket=self.name,
            Key=key,
            Body=data,
            ContentType=content_type,
            ChecksumSHA256=sha256_base64(data),
            ExpectedBucketOwner=self.owner,
        )
        return "uploaded" if found is None else "replaced"

    def url(self, key: str) -> str:
        """The object's path-style HTTPS URL, as CloudFormation's TemplateURL takes it."""
        return f"{self.s3.meta.endpoint_url}/{self.name}/{key}"
