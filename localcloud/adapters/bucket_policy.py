"""Gap: moto has no AWS::S3::BucketPolicy resource. Define it (bucket_policy_conditions.py makes
moto evaluate the stored policy as S3 does)."""

from __future__ import annotations

import json

from moto.s3.models import s3_backends
from moto.utilities.utils import get_partition

from localcloud.adapters import resource_types


def put_policy(bucket: str, properties: dict, account_id: str, region_name: str) -> None:
    backend = s3_backends[account_id][get_partition(region_name)]
    backend.put_bucket_policy(bucket, json.dumps(properties["PolicyDocument"]).encode())


def remove_policy(bucket: str, account_id: str, region_name: str) -> None:
    backend = s3_backends[account_id][get_partition(region_name)]
    if bucket in backend.buckets:
        backend.delete_bucket_policy(bucket)


def install() -> None:
    resource_types.register("AWS::S3::BucketPolicy", "s3", "Bucket", put_policy, remove_policy)
