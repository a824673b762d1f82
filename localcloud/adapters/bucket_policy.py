"""Gap: moto has no AWS::S3::BucketPolicy resource. Define it (bucket_policy_conditions.py makes
moto evaluate the stored policy as S3 does)."""

from __future__ import annotations

import json
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.s3.models import s3_backends
from moto.utilities.utils import get_partition

from localcloud.adapters import resource_types


def define_bucket_policy_model() -> type:
    """AWS::S3::BucketPolicy for moto. Defining any CloudFormationModel subclass registers it
    with moto, so this happens only in install(), never on import."""

    class BucketPolicy(CloudFormationModel):
        """AWS::S3::BucketPolicy, which moto lacks: stores the policy on the bucket."""

        __module__ = "moto.s3.uploadtrail"  # moto files every model under the service its module names

        def __init__(self, bucket_name: str, account_id: str, region_name: str):
            self.bucket_name = bucket_name
            self.backend = s3_backends[account_id][get_partition(region_name)]

        @staticmethod
        def cloudformation_type() -> str:
            return "AWS::S3::BucketPolicy"

        @staticmethod
        def cloudformation_name_type() -> str:
            return ""

        @property
        def physical_resource_id(self) -> str:
            return self.bucket_name

        @classmethod
        def create_from_cloudformation_json(
            cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
        ) -> BucketPolicy:
            properties = cloudformation_json["Properties"]
            policy = cls(properties["Bucket"], account_id, region_name)
            policy.backend.put_bucket_policy(policy.bucket_name, json.dumps(properties["PolicyDocument"]).encode())
            return policy

        @classmethod
        def update_from_cloudformation_json(
            cls,
            original_resource: BucketPolicy,
            new_resource_name: str,
            cloudformation_json: dict,
            account_id: str,
            region_name: str,
        ) -> BucketPolicy:
            return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

        def delete(self, account_id: str, region_name: str) -> None:
            if self.bucket_name in self.backend.buckets:
                self.backend.delete_bucket_policy(self.bucket_name)

    return BucketPolicy


def install() -> None:
    resource_types.register("AWS::S3::BucketPolicy", define_bucket_policy_model)
