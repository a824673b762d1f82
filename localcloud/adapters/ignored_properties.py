"""Gap: moto's CloudFormation ignores NotificationConfiguration, PublicAccessBlockConfiguration and
VersioningConfiguration of AWS::S3::Bucket and PointInTimeRecoverySpecification of
AWS::DynamoDB::Table. Apply them after moto creates the resource."""

from __future__ import annotations

from typing import Any

from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import Table
from moto.s3.models import FakeBucket, s3_backends
from moto.utilities.utils import get_partition

ORIGINAL: dict[str, Any] = {}


# 3. Properties moto ignores: NotificationConfiguration, PublicAccessBlockConfiguration and
#    VersioningConfiguration of AWS::S3::Bucket, PointInTimeRecoverySpecification of
#    AWS::DynamoDB::Table; and AWS::S3::BucketPolicy does not exist in moto at all.
def apply_bucket_properties(bucket: FakeBucket, properties: dict, account_id: str, region_name: str) -> None:
    backend = s3_backends[account_id][get_partition(region_name)]
    functions = properties.get("NotificationConfiguration", {}).get("LambdaConfigurations", [])
    backend.put_bucket_notification_configuration(
        bucket.name,
        {
            "CloudFunctionConfiguration": [
                {"CloudFunction": f["Function"], "Event": [f["Event"]], "Filter": f.get("Filter")} for f in functions
            ]
        },
    )
    block = properties.get("PublicAccessBlockConfiguration")
    if block:
        backend.put_public_access_block(bucket.name, {key: str(value).lower() for key, value in block.items()})
    versioning = properties.get("VersioningConfiguration")
    if versioning:
        backend.put_bucket_versioning(bucket.name, versioning["Status"])


def create_bucket(
    cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
) -> FakeBucket:
    bucket = ORIGINAL["bucket_create"].__func__(
        cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
    )
    apply_bucket_properties(bucket, cloudformation_json.get("Properties", {}), account_id, region_name)
    return bucket


def update_bucket(
    cls,
    original_resource: FakeBucket,
    new_resource_name: str,
    cloudformation_json: dict,
    account_id: str,
    region_name: str,
) -> FakeBucket:
    bucket = ORIGINAL["bucket_update"].__func__(
        cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name
    )
    apply_bucket_properties(bucket, cloudformation_json.get("Properties", {}), account_id, region_name)
    return bucket


def create_table(
    cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
) -> Table:
    table = ORIGINAL["table_create"].__func__(
        cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
    )
    recovery = cloudformation_json["Properties"].get("PointInTimeRecoverySpecification")
    if recovery:
        dynamodb_backends[account_id][region_name].update_continuous_backups(table.name, recovery)
    return table


def install() -> None:
    if ORIGINAL:
        return
    ORIGINAL.update(
        bucket_create=FakeBucket.create_from_cloudformation_json,
        bucket_update=FakeBucket.update_from_cloudformation_json,
        table_create=Table.create_from_cloudformation_json,
    )
    FakeBucket.create_from_cloudformation_json = classmethod(create_bucket)
    FakeBucket.update_from_cloudformation_json = classmethod(update_bucket)
    Table.create_from_cloudformation_json = classmethod(create_table)
