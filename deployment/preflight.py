"""Checks made before a change set, each with a message that says what to do: the credentials work
(and which account they reach), the account's Lambda concurrency leaves room for the
reserved concurrency the template asks for, and the upload bucket's name is free or this stack's."""

from __future__ import annotations

from dataclasses import dataclass

from botocore.exceptions import ClientError

from deployment.errors import NoConcurrencyParameter

# Lambda keeps this much of the account's concurrency unreserved (the whole limit when the limit is
# lower): "decreases account's UnreservedConcurrentExecution below its minimum value".
MINIMUM_UNRESERVED = 100


@dataclass(frozen=True)
class Identity:
    account: str
    arn: str
    partition: str


def identity(sts) -> Identity:
    """Who the credentials are."""
    found = sts.get_caller_identity()
    return Identity(found["Account"], found["Arn"], found["Arn"].split(":")[1])


def needed_concurrency(template: dict, flag: int | None) -> int:
    """The reserved concurrency the template asks for: the ReservedConcurrency parameter (the flag,
    else its default), or the functions' literal ReservedConcurrentExecutions."""
    parameter = template.get("Parameters", {}).get("ReservedConcurrency")
    if parameter is not None:
        value = flag if flag is not None else parameter.get("Default", "")
        return int(value or 0)
    if flag is not None:
        raise NoConcurrencyParameter
    return sum(
        resource["Properties"]["ReservedConcurrentExecutions"]
        for resource in template.get("Resources", {}).values()
        if resource.get("Type") == "AWS::Lambda::Function"
        and isinstance(resource.get("Properties", {}).get("ReservedConcurrentExecutions"), int)
    )


def reserved_by_stack(lambda_client, functions: list[str]) -> int:
    """What the stack's functions reserve today (it returns to the pool when they change)."""
    return sum(
        lambda_client.get_function_concurrency(FunctionName=name).get("ReservedConcurrentExecutions", 0)
        for name in functions
    )


def concurrency_problem(lambda_client, needed: int, functions: list[str]) -> str | None:
    """Why the account cannot reserve `needed`, or None."""
    if needed == 0:
        return None
    try:
        limits = lambda_client.get_account_settings()["AccountLimit"]
    except ClientError as error:
        code = error.response["Error"]["Code"]
        return (
            f"cannot read the account's Lambda concurrency ({code}: {error.response['Error']['Message']}): "
            "allow lambda:GetAccountSettings, or deploy with --reserved-concurrency 0"
        )
    limit = limits["ConcurrentExecutions"]
    minimum = min(MINIMUM_UNRESERVED, limit)
    room = limits["UnreservedConcurrentExecutions"] + reserved_by_stack(lambda_client, functions) - minimum
    if needed <= room:
        return None
    return (
        f"the template reserves {needed} concurrent executions, but the account's Lambda limit is {limit} and "
        f"Lambda keeps {minimum} unreserved, so at most {max(room, 0)} can be reserved here. Deploy with "
        f"--reserved-concurrency {max(room, 0)} (0: unreserved), or ask for a higher limit in Service Quotas "
        "(Lambda: Concurrent executions)"
    )


def upload_bucket_problem(s3, bucket: str, owner: str, stack_name: str, physical_ids: set[str]) -> str | None:
    """Why the stack cannot have its upload bucket, or None: the name is free, or the bucket is
    already this stack's."""
    if bucket in physical_ids:
        return None
    try:
        s3.head_bucket(Bucket=bucket, ExpectedBucketOwner=owner)
    except ClientError as error:
        code = error.response["Error"]["Code"]
        if code in {"404", "NoSuchBucket", "NotFound"}:
            return None
        if code in {"403", "AccessDenied"}:
            return (
                f"the upload bucket name {bucket} belongs to another account (bucket names are global): "
                "choose another --stack-name"
            )
        raise
    return (
        f"bucket {bucket} already exists in account {owner} but is not part of stack {stack_name}: it was most "
        f"likely kept (DeletionPolicy Retain) by an earlier stack named {stack_name}. Keep its data elsewhere, "
        f"then delete it with every object version and delete marker (it is versioned): "
        f"{delete_versioned_bucket_command(bucket)} (with the AWS_PROFILE and AWS_REGION of this deploy); "
        "or choose another --stack-name"
    )


def delete_versioned_bucket_command(bucket: str) -> str:
    """One shell command that deletes every object version and delete marker of a bucket, then the
    bucket (boto3's batch delete pages through any number of versions)."""
    return (
        f"`python -c \"import boto3; bucket = boto3.resource('s3').Bucket('{bucket}'); "
        'bucket.object_versions.delete(); bucket.delete()"`'
    )
