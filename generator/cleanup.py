"""The custom resource that empties the upload bucket when the stack is deleted (dev profile)."""

from __future__ import annotations

from troposphere import GetAtt, Ref, Template, kms, s3
from troposphere.validators.cloudformation import AWSCustomObject  # the class alone, not every CloudFormation type

from generator.config import Profile
from generator.function import CLEANUP_CODE_KEY, FunctionCode, add_python_function
from generator.metadata import annotate
from generator.policies import bucket_cleanup_statements

# The function answers before its own timeout; CloudFormation stops waiting a minute later
# instead of after the default hour.
CLEANUP_TIMEOUT = 900
INVOKED_BY_CLOUDFORMATION = (
    "Invoked only by CloudFormation for this stack's custom resource, which reports every failure in the stack events"
)


class BucketAutoDelete(AWSCustomObject):
    """Custom::BucketAutoDelete: empties BucketName when it is deleted."""

    resource_type = "Custom::BucketAutoDelete"
    props = {"ServiceToken": (str, True), "ServiceTimeout": (int, False), "BucketName": (str, True)}


def add_bucket_auto_delete(
    template: Template,
    profile: Profile,
    bucket: s3.Bucket,
    bucket_policy: s3.BucketPolicy,
    key: kms.Key | None,
    code: FunctionCode,
) -> BucketAutoDelete:
    """Cleanup function (allowed to list and delete this bucket's objects only) and the custom
    resource that calls it. The resource depends on the bucket policy, so on deletion it runs
    while the policy still stands and can deny new uploads."""
    function = add_python_function(
        template,
        "BucketCleanup",
        "bucket-cleanup",
        profile=profile,
        key=key,
        code=code,
        code_key=CLEANUP_CODE_KEY,
        handler="function.bucket_cleanup.handler",
        statements=bucket_cleanup_statements(),
        why="Empties the upload bucket (every version) when the stack deletes it.",
        checkov_reasons={
            "CKV_AWS_115": INVOKED_BY_CLOUDFORMATION + "; one invocation per stack operation.",
            "CKV_AWS_116": INVOKED_BY_CLOUDFORMATION + "; a dead-letter queue would add nothing.",
        },
        Description="uploadtrail: empties the upload bucket when the stack is deleted",
        Timeout=CLEANUP_TIMEOUT,
        MemorySize=256,
    )
    auto_delete = template.add_resource(
        BucketAutoDelete(
            "UploadsBucketAutoDelete",
            ServiceToken=GetAtt(function, "Arn"),
            ServiceTimeout=CLEANUP_TIMEOUT + 60,
            BucketName=Ref(bucket),
            DependsOn=[bucket_policy],
        )
    )
    return annotate(
        auto_delete,
        "Deleting it empties the bucket so that CloudFormation can delete the bucket too.",
        must=["the bucket carries the auto-delete tag; without it nothing is deleted"],
    )
