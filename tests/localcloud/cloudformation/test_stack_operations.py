"""localcloud/cloudformation/stack_operations.py: deletion refuses a non-empty bucket, counts
resources removed by hand as deleted and honours RetainExceptOnCreate; change sets list
parameter-only changes."""

from __future__ import annotations

import json

from tests.localcloud.sample_app import custom_resource_template
from tests.localcloud.stacks import deploy, events


def test_a_non_empty_bucket_fails_the_delete_as_in_aws(aws):
    template = {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "full-bucket"}}}}
    stack = deploy(aws, "full-bucket", template)
    aws("s3").put_object(Bucket="full-bucket", Key="k", Body=b"x")
    aws("cloudformation").delete_stack(StackName="full-bucket")
    assert aws("cloudformation").describe_stacks(StackName="full-bucket")["Stacks"][0]["StackStatus"] == "DELETE_FAILED"
    reasons = [reason for _, status, reason in events(aws, stack["StackId"]) if status == "DELETE_FAILED"]
    assert "not empty" in reasons[0]
    aws("s3").delete_object(Bucket="full-bucket", Key="k")
    aws("cloudformation").delete_stack(StackName="full-bucket")
    assert (
        aws("cloudformation").describe_stacks(StackName=stack["StackId"])["Stacks"][0]["StackStatus"]
        == "DELETE_COMPLETE"
    )


def test_resources_removed_by_hand_do_not_block_the_stack_delete_as_in_aws(aws):
    table = {
        "Type": "AWS::DynamoDB::Table",
        "Properties": {
            "TableName": "gone-table",
            "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
            "BillingMode": "PAY_PER_REQUEST",
        },
    }
    bucket = {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "gone-bucket"}}
    stack = deploy(aws, "gone", {"Resources": {"Table": table, "Bucket": bucket}})
    aws("dynamodb").delete_table(TableName="gone-table")
    aws("s3").delete_bucket(Bucket="gone-bucket")
    aws("cloudformation").delete_stack(StackName="gone")
    described = aws("cloudformation").describe_stacks(StackName=stack["StackId"])["Stacks"][0]
    assert described["StackStatus"] == "DELETE_COMPLETE"
    deleted = {logical for logical, status, _ in events(aws, stack["StackId"]) if status == "DELETE_COMPLETE"}
    assert {"Table", "Bucket"} <= deleted


def retaining_template(bucket: str, fail: bool, code_key: str) -> dict:
    """Two buckets, one RetainExceptOnCreate and one Retain, and (when fail) a custom resource
    created after them that fails the create."""
    template = custom_resource_template(code_key, Answer="FAILED" if fail else "SUCCESS")
    template["Resources"]["Custom"]["DependsOn"] = ["KeptExceptOnCreate", "Kept"]
    for logical, policy in [("KeptExceptOnCreate", "RetainExceptOnCreate"), ("Kept", "Retain")]:
        template["Resources"][logical] = {
            "Type": "AWS::S3::Bucket",
            "DeletionPolicy": policy,
            "Properties": {"BucketName": f"{bucket}-{logical.lower()}"},
        }
    return template


def bucket_names(aws) -> set[str]:
    return {b["Name"] for b in aws("s3").list_buckets()["Buckets"]}


def test_retain_except_on_create_is_deleted_by_a_failed_create_and_kept_by_a_delete(aws, code_key):
    failed = deploy(aws, "retain-failed", retaining_template("rf", True, code_key))
    assert failed["StackStatus"] == "ROLLBACK_COMPLETE"
    assert "rf-keptexceptoncreate" not in bucket_names(aws) and "rf-kept" in bucket_names(aws)
    assert ("KeptExceptOnCreate", "DELETE_COMPLETE", None) in events(aws, failed["StackId"])
    aws("cloudformation").delete_stack(StackName=failed["StackId"])
    created = deploy(aws, "retain-deleted", retaining_template("rd", False, code_key))
    aws("cloudformation").delete_stack(StackName="retain-deleted")
    assert {"rd-keptexceptoncreate", "rd-kept"} <= bucket_names(aws)
    skipped = [logical for logical, status, _ in events(aws, created["StackId"]) if status == "DELETE_SKIPPED"]
    assert sorted(skipped) == ["Kept", "KeptExceptOnCreate"]


def test_a_parameter_only_change_is_listed_in_the_change_set(aws):
    import uuid

    template = {
        "Parameters": {"Retention": {"Type": "Number"}},
        "Resources": {
            "Group": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": {"Ref": "Retention"}}}
        },
    }
    deploy(aws, "params", template, {"Retention": "7"})
    cloudformation = aws("cloudformation")
    change_set = cloudformation.create_change_set(
        StackName="params",
        ChangeSetName=f"c-{uuid.uuid4().hex[:6]}",
        ChangeSetType="UPDATE",
        TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": "Retention", "ParameterValue": "14"}],
    )
    changes = cloudformation.describe_change_set(ChangeSetName=change_set["Id"])["Changes"]
    assert [(c["ResourceChange"]["Action"], c["ResourceChange"]["LogicalResourceId"]) for c in changes] == [
        ("Modify", "Group")
    ]
