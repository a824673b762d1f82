"""Typed settings for each template profile, and the rule that stack names must follow."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The upload bucket is named "<stack>-<account>-<region>" so that the Lambda permission can name
# it before the bucket exists. Account IDs are 12 digits; the longest region names
# (ap-southeast-2, ap-northeast-3, ...) have 14 characters; a bucket name has at most 63.
ACCOUNT_ID_LENGTH = 12
LONGEST_REGION_LENGTH = 14
BUCKET_NAME_MAX = 63
RESERVED_BUCKET_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
STACK_NAME_PATTERN = re.compile(r"[a-z][a-z0-9-]*")


@dataclass(frozen=True)
class Profile:
    """What differs between a throwaway stack and one a team runs for real.

    name: the profile's name, used in template file names.
    retain_data: keep the table, the buckets and the queue when the stack is deleted.
    auto_delete_objects: empty the upload bucket on stack deletion (custom resource).
    versioned_bucket: keep every version of every uploaded object.
    access_logs: write S3 server access logs to a dedicated log bucket.
    customer_managed_key: one KMS key for table, log groups, queue and function environment.
    reserved_concurrency: reserved concurrent executions of the logger (None: unreserved).
    log_retention_days: how long the function log groups keep their events.
    function_timeout: seconds the logger may run per invocation.
    function_memory: megabytes given to the logger.
    noncurrent_version_days: days a versioned bucket keeps an object's older versions.
    access_log_days: days the access-log bucket keeps a log object.
    """

    name: str
    retain_data: bool = False
    auto_delete_objects: bool = True
    versioned_bucket: bool = False
    access_logs: bool = False
    customer_managed_key: bool = False
    reserved_concurrency: int | None = None
    log_retention_days: int = 14
    function_timeout: int = 30
    function_memory: int = 256
    noncurrent_version_days: int = 90
    access_log_days: int = 365

    @property
    def deletion_policy(self) -> str:
        """DeletionPolicy of the resources that hold data: kept when the stack is deleted, but
        deleted when the create that made them rolls back (the retry can then reuse their names)."""
        return "RetainExceptOnCreate" if self.retain_data else "Delete"

    @property
    def replace_policy(self) -> str:
        """UpdateReplacePolicy of the same resources (RetainExceptOnCreate is not valid there)."""
        return "Retain" if self.retain_data else "Delete"


PROFILES = {
    "dev": Profile(name="dev"),
    "prod": Profile(
        name="prod",
        retain_data=True,
        auto_delete_objects=False,
        versioned_bucket=True,
        access_logs=True,
        customer_managed_key=True,
        reserved_concurrency=50,
        log_retention_days=365,
    ),
}


def stack_name_problem(stack_name: str, region: str | None = None) -> str | None:
    """Why stack_name cannot name this stack's upload bucket, or None when it can.

    The rule: a lowercase letter first, then lowercase letters, digits and hyphens, short enough
    that "<stack>-<12-digit account>-<region>" fits S3's 63 characters (with the longest region
    when none is given), and none of S3's reserved prefixes.
    """
    region_length = len(region) if region else LONGEST_REGION_LENGTH
    longest = BUCKET_NAME_MAX - ACCOUNT_ID_LENGTH - region_length - 2
    if not STACK_NAME_PATTERN.fullmatch(stack_name):
        return (
            f"stack name {stack_name!r} cannot form the upload bucket name: use a lowercase "
            "letter first, then only lowercase letters, digits and hyphens"
        )
    if len(stack_name) > longest:
        return (
            f"stack name {stack_name!r} is {len(stack_name)} characters; the upload bucket "
            f"name '<stack>-<account>-<region>' allows at most {longest} here"
        )
    for prefix in RESERVED_BUCKET_PREFIXES:
        if stack_name.startswith(prefix):
            return f"stack name {stack_name!r} starts with {prefix!r}, which S3 reserves"
    return None
