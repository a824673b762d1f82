"""The prod template through a whole life on the local cloud: create, delete (what it keeps), a
re-create of the same name that fails on the kept upload bucket and rolls back without leaving
anything that blocks the retry, and the documented way to create it again."""

from __future__ import annotations

from generator.config import PROFILES
from generator.template import build_template
from tests.localcloud.stacks import code_parameters, deploy, events, outputs

STACK = "lifecycle-prod"
KEPT = ["AccessLogBucket", "DataEncryptionKey", "InvocationLogTable", "UploadsBucket"]


def statuses(aws, stack_id: str, status: str) -> list[str]:
    return sorted(logical for logical, seen, _ in events(aws, stack_id) if seen == status)


def test_prod_is_kept_on_delete_and_created_again_once_its_upload_bucket_is_gone(aws):
    template = build_template(PROFILES["prod"]).to_dict()
    parameters = code_parameters(aws, template)
    first = deploy(aws, STACK, template, parameters)
    assert first["StackStatus"] == "CREATE_COMPLETE"
    bucket = outputs(first)["BucketName"]
    aws("s3").put_object(Bucket=bucket, Key="kept.txt", Body=b"data")
    aws("cloudformation").delete_stack(StackName=STACK)
    assert statuses(aws, first["StackId"], "DELETE_SKIPPED") == KEPT

    again = deploy(aws, STACK, template, parameters)
    assert again["StackStatus"] == "ROLLBACK_COMPLETE"
    failed = [
        (logical, reason) for logical, status, reason in events(aws, again["StackId"]) if status == "CREATE_FAILED"
    ]
    assert failed[0][0] == "UploadsBucket" and "BucketAlreadyExists" in failed[0][1]
    # RetainExceptOnCreate: what this failed create made is deleted; only the protected table stays
    assert statuses(aws, again["StackId"], "DELETE_SKIPPED") == ["InvocationLogTable"]
    assert {"AccessLogBucket", "DataEncryptionKey"} <= set(statuses(aws, again["StackId"], "DELETE_COMPLETE"))

    s3 = aws("s3")  # the README's steps before a re-create: empty (every version) and delete the bucket
    for version in s3.list_object_versions(Bucket=bucket)["Versions"]:
        s3.delete_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"])
    s3.delete_bucket(Bucket=bucket)
    aws("cloudformation").delete_stack(StackName=again["StackId"])
    third = deploy(aws, STACK, template, parameters)
    assert third["StackStatus"] == "CREATE_COMPLETE", events(aws, third["StackId"])
    assert outputs(third)["BucketName"] == bucket
