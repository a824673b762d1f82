"""Contract of localcloud/s3/bucket_policy.py: plain moto evaluates no condition of a bucket policy
and ignores its principals and bucket requests."""

from __future__ import annotations

import json

import pytest

from tests.localcloud.plain_moto import BUCKET


def test_plain_moto_denies_every_upload_under_a_conditional_deny(plain_moto):
    s3 = plain_moto("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_policy(
        Bucket=BUCKET,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:*",
                        "Resource": f"arn:aws:s3:::{BUCKET}/*",
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    }
                ],
            }
        ),
    )
    with pytest.raises(s3.exceptions.ClientError, match="Forbidden"):
        s3.put_object(Bucket=BUCKET, Key="k", Body=b"x")


def test_plain_moto_ignores_principals_and_bucket_requests(plain_moto):
    s3 = plain_moto("s3")
    s3.create_bucket(Bucket=BUCKET)
    statements = [
        {"Effect": "Deny", "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:*", "Resource": "*"},
        {"Effect": "Deny", "Principal": "*", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{BUCKET}"},
    ]
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": statements}))
    with pytest.raises(s3.exceptions.ClientError, match="Forbidden"):  # AWS: the service's statement is not ours
        s3.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    s3.list_objects_v2(Bucket=BUCKET)  # AWS: AccessDenied
