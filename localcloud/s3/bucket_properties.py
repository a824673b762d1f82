"""AWS::S3::Bucket's NotificationConfiguration, PublicAccessBlockConfiguration and
VersioningConfiguration, which moto's CloudFormation ignores: applied after moto creates or updates
the bucket, as CloudFormation configures it."""

from __future__ import annotations

from moto.s3.models import FakeBucket, s3_backends
from moto.utilities.utils import get_partition


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
