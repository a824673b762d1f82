"""Contract of localcloud/s3/bucket_properties.py, localcloud/dynamodb/table_properties.py and
localcloud/cloudformation/resource_types.py: plain moto's CloudFormation ignores these properties
and has no AWS::S3::BucketPolicy."""

from __future__ import annotations

import pytest

from tests.localcloud.plain_moto import BUCKET, create_stack
from tests.localcloud.stacks import zipped


def test_plain_moto_ignores_these_properties_and_has_no_bucket_policy(plain_moto):
    role = plain_moto("iam").create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    function = plain_moto("lambda").create_function(
        FunctionName="f",
        Runtime="python3.13",
        Role=role,
        Handler="app.handler",
        Code={"ZipFile": zipped({"app.py": ""})},
    )["FunctionArn"]
    create_stack(
        plain_moto,
        {
            "Bucket": {
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "BucketName": BUCKET,
                    "NotificationConfiguration": {
                        "LambdaConfigurations": [{"Event": "s3:ObjectCreated:*", "Function": function}]
                    },
                    "PublicAccessBlockConfiguration": {"BlockPublicAcls": True},
                },
            },
            "Policy": {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {"Bucket": BUCKET, "PolicyDocument": {"Version": "2012-10-17", "Statement": []}},
            },
            "Table": {
                "Type": "AWS::DynamoDB::Table",
                "Properties": {
                    "TableName": "t",
                    "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
                    "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
                    "BillingMode": "PAY_PER_REQUEST",
                    "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
                },
            },
        },
    )
    s3 = plain_moto("s3")
    assert "LambdaFunctionConfigurations" not in s3.get_bucket_notification_configuration(Bucket=BUCKET)
    with pytest.raises(s3.exceptions.ClientError, match="NoSuchPublicAccessBlockConfiguration"):
        s3.get_public_access_block(Bucket=BUCKET)
    with pytest.raises(s3.exceptions.ClientError, match="NoSuchBucketPolicy"):
        s3.get_bucket_policy(Bucket=BUCKET)
    backups = plain_moto("dynamodb").describe_continuous_backups(TableName="t")["ContinuousBackupsDescription"]
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "DISABLED"
