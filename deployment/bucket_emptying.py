"""Empties a dev stack's upload bucket before the stack is deleted, where the target does not run the
custom resource that would (LocalStack community fakes it): every version and delete marker, 1000 at
a time, and only a bucket that carries the tag the cleanup function honours."""

from __future__ import annotations

from dataclasses import dataclass

from botocore.exceptions import ClientError

from deployment.errors import BucketNotEmptied
from generator.storage import AUTO_DELETE_TAG

AUTO_DELETE_TYPE = "Custom::BucketAutoDelete"
# DeleteObjects takes at most 1000 keys; ListObjectVersions answers at most 1000 entries.
BATCH = 1000


@dataclass(frozen=True)
class Emptied:
    """What was done to the bucket the stack's auto-delete resource names: deleted is the number of
    versions and delete markers deleted, None when the bucket lacks the tag and was left alone."""

    resource: str
    bucket: str
    deleted: int | None


def auto_deleted_bucket(cloudformation, stack_name: str, template: dict) -> tuple[str, str] | None:
    """The auto-delete resource's logical ID and the physical name of the bucket it names (a Ref to
    a bucket of the stack), or None when the template has none (prod)."""
    for logical, resource in sorted(template.get("Resources", {}).items()):
        if resource.get("Type") == AUTO_DELETE_TYPE:
            return logical, physical_id(cloudformation, stack_name, resource["Properties"]["BucketName"]["Ref"])
    return None


def physical_id(cloudformation, stack_name: str, logical: str) -> str:
    """The physical ID of one of the stack's resources, from ListStackResources (every target
    answers it; moto's DescribeStackResource fails on a stack with a custom resource)."""
    return next(
        summary["PhysicalResourceId"]
        for page in cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack_name)
        for summary in page["StackResourceSummaries"]
        if summary["LogicalResourceId"] == logical
    )


def tagged(s3, bucket: str) -> bool | None:
    """Whether the bucket carries the auto-delete tag; None when it no longer exists."""
    try:
        tag_set = s3.get_bucket_tagging(Bucket=bucket)["TagSet"]
    except ClientError as error:
        code = error.response["Error"]["Code"]
        if code == "NoSuchBucket":
            return None
        if code == "NoSuchTagSet":
            return False
        raise
    return any(tag["Key"] == AUTO_DELETE_TAG and tag["Value"] == "true" for tag in tag_set)


def delete_every_version(s3, bucket: str) -> int:
    """Delete every version and delete marker, a page of at most 1000 at a time, each page listed
    from the start (the last page's markers name what is gone) until a listing is empty; the number
    deleted. BucketNotEmptied when S3 refuses any of them."""
    deleted = 0
    while True:
        page = s3.list_object_versions(Bucket=bucket, MaxKeys=BATCH)
        entries = page.get("Versions", []) + page.get("DeleteMarkers", [])
        if not entries:
            return deleted
        batch = [{"Key": e["Key"], "VersionId": e["VersionId"]} for e in entries[:BATCH]]
        errors = s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True}).get("Errors", [])
        if errors:
            first = errors[0]
            raise BucketNotEmptied(
                bucket, len(errors), f"{first.get('Key')}: {first.get('Code')} {first.get('Message')}"
            )
        deleted += len(batch)


def empty_upload_bucket(cloudformation, s3, stack_name: str, template: dict) -> Emptied | None:
    """Empty the bucket the stack's auto-delete resource names, under its tag guard; None when the
    stack has no such resource or its bucket is already gone."""
    found = auto_deleted_bucket(cloudformation, stack_name, template)
    if found is None:
        return None
    resource, bucket = found
    guard = tagged(s3, bucket)
    if guard is None:
        return None
    return Emptied(resource, bucket, delete_every_version(s3, bucket) if guard else None)
