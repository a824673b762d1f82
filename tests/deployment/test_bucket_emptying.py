"""Emptying the dev upload bucket before a destroy where custom resources do not run (LocalStack
community): pages of versions and delete markers, the tag guard, refusals; then on the local cloud."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import boto3
import pytest
from botocore.stub import ANY

from deployment import bucket_emptying
from deployment.aws_clients import Clients
from deployment.bucket_emptying import Emptied, empty_upload_bucket
from deployment.errors import BucketNotEmptied
from deployment.reporter import Reporter
from deployment.target_kind import TargetKind
from deployment.workflow import Request, Run
from generator.storage import AUTO_DELETE_TAG
from localcloud import LOCAL_CREDENTIALS
from localcloud import server as localcloud
from tests.deployment.conftest import Lines

STACK = "uploadtrail-dev"
BUCKET = "uploadtrail-dev-123456789012-us-east-1"
TEMPLATE = {
    "Resources": {
        "UploadsBucket": {"Type": "AWS::S3::Bucket"},
        "UploadsBucketAutoDelete": {
            "Type": "Custom::BucketAutoDelete",
            "Properties": {"ServiceToken": "arn", "BucketName": {"Ref": "UploadsBucket"}},
        },
    }
}
NOW = datetime(2026, 12, 1, tzinfo=UTC)
LOCALSTACK = TargetKind("LocalStack", "4.14.0", "community")
TAGGED = {"TagSet": [{"Key": "team", "Value": "x"}, {"Key": AUTO_DELETE_TAG, "Value": "true"}]}


@pytest.fixture
def clients(stubbed):
    cloudformation, cloudformation_stubber = stubbed("cloudformation")
    s3, s3_stubber = stubbed("s3")
    return cloudformation, cloudformation_stubber, s3, s3_stubber


def bucket_found(stubber) -> None:
    summary = {"ResourceType": "AWS::S3::Bucket", "LastUpdatedTimestamp": NOW, "ResourceStatus": "CREATE_COMPLETE"}
    stubber.add_response(
        "list_stack_resources",
        {
            "StackResourceSummaries": [
                summary | {"LogicalResourceId": "UploadsBucketPolicy"},
                summary | {"LogicalResourceId": "UploadsBucket", "PhysicalResourceId": BUCKET},
            ]
        },
        {"StackName": STACK},
    )


def versions(count: int, prefix: str) -> list[dict]:
    return [{"Key": f"{prefix}{n}", "VersionId": f"v{n}"} for n in range(count)]


def listed(stubber, found: list[dict], markers: list[dict]) -> None:
    stubber.add_response(
        "list_object_versions", {"Versions": found, "DeleteMarkers": markers}, {"Bucket": BUCKET, "MaxKeys": 1000}
    )


def test_every_version_and_delete_marker_goes_a_thousand_at_a_time(clients):
    cloudformation, cloudformation_stubber, s3, s3_stubber = clients
    bucket_found(cloudformation_stubber)
    s3_stubber.add_response("get_bucket_tagging", TAGGED, {"Bucket": BUCKET})
    first = versions(600, "old/") + versions(400, "gone/")
    listed(s3_stubber, first[:600], first[600:])
    s3_stubber.add_response("delete_objects", {}, {"Bucket": BUCKET, "Delete": {"Objects": first, "Quiet": True}})
    listed(s3_stubber, versions(2, "late/"), versions(1, "late/"))
    s3_stubber.add_response("delete_objects", {}, {"Bucket": BUCKET, "Delete": {"Objects": ANY, "Quiet": True}})
    s3_stubber.add_response("list_object_versions", {}, {"Bucket": BUCKET, "MaxKeys": 1000})
    assert empty_upload_bucket(cloudformation, s3, STACK, TEMPLATE) == Emptied("UploadsBucketAutoDelete", BUCKET, 1003)


@pytest.mark.parametrize(
    "tagging",
    [{"TagSet": [{"Key": AUTO_DELETE_TAG, "Value": "false"}]}, None],
    ids=["tag not true", "no tags"],
)
def test_a_bucket_without_the_tag_is_left_as_it_is(clients, tagging):
    cloudformation, cloudformation_stubber, s3, s3_stubber = clients
    bucket_found(cloudformation_stubber)
    if tagging is None:
        s3_stubber.add_client_error("get_bucket_tagging", "NoSuchTagSet", "The TagSet does not exist")
    else:
        s3_stubber.add_response("get_bucket_tagging", tagging)
    assert empty_upload_bucket(cloudformation, s3, STACK, TEMPLATE) == Emptied("UploadsBucketAutoDelete", BUCKET, None)


def test_a_bucket_already_gone_needs_nothing(clients):
    cloudformation, cloudformation_stubber, s3, s3_stubber = clients
    bucket_found(cloudformation_stubber)
    s3_stubber.add_client_error("get_bucket_tagging", "NoSuchBucket", "The specified bucket does not exist")
    assert empty_upload_bucket(cloudformation, s3, STACK, TEMPLATE) is None


def test_another_tagging_error_is_raised(clients):
    cloudformation, cloudformation_stubber, s3, s3_stubber = clients
    bucket_found(cloudformation_stubber)
    s3_stubber.add_client_error("get_bucket_tagging", "AccessDenied", "Access Denied")
    with pytest.raises(s3.exceptions.ClientError, match="Access Denied"):
        empty_upload_bucket(cloudformation, s3, STACK, TEMPLATE)


def test_a_stack_without_the_auto_delete_resource_is_left_to_cloudformation(clients):
    cloudformation, _, s3, _ = clients
    prod = {"Resources": {"UploadsBucket": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "RetainExceptOnCreate"}}}
    assert empty_upload_bucket(cloudformation, s3, STACK, prod) is None


def test_versions_s3_refuses_stop_the_destroy_naming_one(clients):
    cloudformation, cloudformation_stubber, s3, s3_stubber = clients
    bucket_found(cloudformation_stubber)
    s3_stubber.add_response("get_bucket_tagging", TAGGED)
    listed(s3_stubber, versions(2, "k"), [])
    s3_stubber.add_response(
        "delete_objects",
        {"Errors": [{"Key": "k1", "VersionId": "v1", "Code": "AccessDenied", "Message": "Access Denied"}]},
    )
    with pytest.raises(BucketNotEmptied) as stop:
        empty_upload_bucket(cloudformation, s3, STACK, TEMPLATE)
    assert stop.value == BucketNotEmptied(BUCKET, 1, "k1: AccessDenied Access Denied")


def test_on_the_local_cloud_a_versioned_bucket_is_emptied_page_by_page(monkeypatch):
    """Pages of two, so that versions, delete markers and a later page all occur."""
    monkeypatch.setattr(bucket_emptying, "BATCH", 2)
    with localcloud.running() as endpoint:
        made = {
            service: boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", **LOCAL_CREDENTIALS)
            for service in ("s3", "cloudformation")
        }
        s3 = made["s3"]
        template = {
            "Resources": {
                "UploadsBucket": {
                    "Type": "AWS::S3::Bucket",
                    "Properties": {
                        "VersioningConfiguration": {"Status": "Enabled"},
                        "Tags": [{"Key": AUTO_DELETE_TAG, "Value": "true"}],
                    },
                },
                "UploadsBucketAutoDelete": TEMPLATE["Resources"]["UploadsBucketAutoDelete"],
            }
        }
        bucket_only = {"Resources": {"UploadsBucket": template["Resources"]["UploadsBucket"]}}
        made["cloudformation"].create_stack(StackName=STACK, TemplateBody=json.dumps(bucket_only))
        waiter = made["cloudformation"].get_waiter("stack_create_complete")
        waiter.wait(StackName=STACK, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
        bucket = made["cloudformation"].describe_stack_resource(StackName=STACK, LogicalResourceId="UploadsBucket")[
            "StackResourceDetail"
        ]["PhysicalResourceId"]
        for body in (b"1", b"2", b"3"):
            s3.put_object(Bucket=bucket, Key="a.txt", Body=body)
        s3.delete_object(Bucket=bucket, Key="a.txt")
        s3.put_object(Bucket=bucket, Key="b.txt", Body=b"b")
        emptied = empty_upload_bucket(made["cloudformation"], s3, STACK, template)
        assert emptied == Emptied("UploadsBucketAutoDelete", bucket, 5)
        answer = s3.list_object_versions(Bucket=bucket)
        assert answer.get("Versions", []) == [] and answer.get("DeleteMarkers", []) == []
        s3.delete_bucket(Bucket=bucket)


@pytest.mark.parametrize(
    "kind, template, tagging, said",
    [
        (TargetKind("LocalStack", "4.14.0", "pro"), TEMPLATE, None, []),
        (None, TEMPLATE, None, []),
        (LOCALSTACK, {"Resources": {}}, None, []),
        (
            LOCALSTACK,
            TEMPLATE,
            {"TagSet": []},
            [
                "LocalStack 4.14.0 (community) does not run custom resources, so UploadsBucketAutoDelete would not "
                f"empty bucket {BUCKET}; it lacks the tag {AUTO_DELETE_TAG}=true, so it is left as it is (the "
                "stack's delete may fail on it)."
            ],
        ),
    ],
    ids=["LocalStack Pro runs them", "AWS runs them", "no auto-delete resource", "untagged"],
)
def test_a_destroy_empties_the_bucket_only_where_custom_resources_do_not_run(clients, kind, template, tagging, said):
    cloudformation, cloudformation_stubber, s3, s3_stubber = clients
    if kind is LOCALSTACK:
        cloudformation_stubber.add_response(
            "get_template", {"TemplateBody": json.dumps(template)}, {"StackName": STACK, "TemplateStage": "Original"}
        )
    if tagging is not None:
        bucket_found(cloudformation_stubber)
        s3_stubber.add_response("get_bucket_tagging", tagging)
    lines = Lines()
    clients_ = Clients(client=None, cloudformation=cloudformation, s3=s3, sts=None, dynamodb=None)
    Run(Request(STACK), clients_, "us-east-1", Reporter(out=lines), dict, kind).before_delete()
    assert lines == said
