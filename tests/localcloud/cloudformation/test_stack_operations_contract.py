"""Contract of localcloud/cloudformation/stack_operations.py: plain moto deletes non-empty buckets
and RetainExceptOnCreate resources with the stack, and leaves parameter-only changes out of a
change set."""

from __future__ import annotations

import json

import pytest

from tests.localcloud.plain_moto import BUCKET, create_stack


def test_plain_moto_deletes_a_stack_whose_bucket_is_not_empty(plain_moto):
    stack_id = create_stack(plain_moto, {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": BUCKET}}})
    plain_moto("s3").put_object(Bucket=BUCKET, Key="k", Body=b"x")
    plain_moto("cloudformation").delete_stack(StackName="contract")
    status = plain_moto("cloudformation").describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"]
    assert status == "DELETE_COMPLETE"  # AWS: DELETE_FAILED, the bucket is not empty


def test_plain_moto_leaves_parameter_only_changes_out_of_a_change_set(plain_moto):
    template = json.dumps(
        {
            "Parameters": {"Retention": {"Type": "Number"}},
            "Resources": {
                "Group": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": {"Ref": "Retention"}}}
            },
        }
    )
    cloudformation = plain_moto("cloudformation")
    cloudformation.create_stack(
        StackName="params", TemplateBody=template, Parameters=[{"ParameterKey": "Retention", "ParameterValue": "7"}]
    )
    change_set = cloudformation.create_change_set(
        StackName="params",
        ChangeSetName="c",
        ChangeSetType="UPDATE",
        TemplateBody=template,
        Parameters=[{"ParameterKey": "Retention", "ParameterValue": "14"}],
    )
    assert cloudformation.describe_change_set(ChangeSetName=change_set["Id"]).get("Changes", []) == []


def test_plain_moto_deletes_a_retain_except_on_create_resource_with_the_stack(plain_moto):
    bucket = {"Type": "AWS::S3::Bucket", "DeletionPolicy": "RetainExceptOnCreate", "Properties": {"BucketName": BUCKET}}
    create_stack(plain_moto, {"Bucket": bucket})
    plain_moto("cloudformation").delete_stack(StackName="contract")
    assert BUCKET not in [b["Name"] for b in plain_moto("s3").list_buckets()["Buckets"]]  # AWS keeps it


def test_a_protected_table_cannot_be_deleted_so_the_table_stays_retain(plain_moto):
    """moto refuses DeleteTable on a table with deletion protection, as DynamoDB does; so does a
    CloudFormation rollback, which is why prod's table keeps DeletionPolicy Retain."""
    dynamodb = plain_moto("dynamodb")
    dynamodb.create_table(
        TableName="protected",
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
        DeletionProtectionEnabled=True,
    )
    with pytest.raises(dynamodb.exceptions.ClientError, match="protected"):
        dynamodb.delete_table(TableName="protected")
