"""The settings of this stack that LocalStack 4.14 (community) does not apply, one row each citing
the LocalStack source file that shows it, and the lines a deploy to LocalStack tells them in; the
README's LocalStack section has the same table."""

from __future__ import annotations

from dataclasses import dataclass

# Every source path is under localstack-core/localstack/ in LocalStack's v4.14.0 tag.
SOURCE_ROOT = "localstack-core/localstack/"
DELETION_POLICY = "DeletionPolicy: "
UPDATES = "updates"
WHOLE = "the resource itself"
CUSTOM = "Custom::"  # every custom resource type
S3_BUCKET_PROVIDER = "services/s3/resource_providers/aws_s3_bucket.py"
TABLE_PROVIDER = "services/dynamodb/resource_providers/aws_dynamodb_table.py"


@dataclass(frozen=True)
class Gap:
    """Resources of these types, with one of these settings (a property, "DeletionPolicy: X",
    "updates": any change, or the resource itself), are not treated as AWS treats them; effect says
    how, source where."""

    types: tuple[str, ...]
    settings: tuple[str, ...]
    effect: str
    source: str


GAPS = (
    Gap(
        ("AWS::S3::Bucket", "AWS::KMS::Key"),
        (DELETION_POLICY + "RetainExceptOnCreate",),
        "treated as Delete: the resource is deleted with the stack (only Retain keeps it)",
        "services/cloudformation/engine/v2/change_set_model_executor.py",
    ),
    Gap(
        ("AWS::S3::BucketPolicy",),
        ("PolicyDocument",),
        "stored, never enforced: the TLS-only and other denials let every request through",
        "services/s3/provider.py",
    ),
    Gap(
        ("AWS::IAM::Role",),
        ("Policies", "ManagedPolicyArns"),
        "stored, never enforced: the functions may call anything",
        "services/iam/provider.py",
    ),
    Gap(
        ("AWS::Lambda::Permission",),
        ("SourceAccount",),
        "dropped: only FunctionName, Action, Principal and SourceArn reach AddPermission",
        "services/lambda_/resource_providers/aws_lambda_permission.py",
    ),
    Gap(
        ("AWS::Lambda::Function",),
        ("ReservedConcurrentExecutions",),
        "not set: the function has no reserved concurrency",
        "services/lambda_/resource_providers/aws_lambda_function.py",
    ),
    Gap(
        ("AWS::Lambda::Function",),
        ("LoggingConfig",),
        'mocked ("Advanced Lambda Logging Configuration is currently mocked"): the logs go to '
        "/aws/lambda/<function name>, not to LogGroup",
        "services/lambda_/provider.py",
    ),
    Gap(
        ("AWS::DynamoDB::Table",),
        ("PointInTimeRecoverySpecification",),
        "not applied: no point-in-time recovery",
        TABLE_PROVIDER,
    ),
    Gap(
        ("AWS::DynamoDB::Table",),
        ("DeletionProtectionEnabled",),
        "not applied: the table can be deleted",
        TABLE_PROVIDER,
    ),
    Gap(
        ("AWS::S3::Bucket",),
        ("LifecycleConfiguration",),
        "not applied: nothing expires and incomplete uploads stay",
        S3_BUCKET_PROVIDER,
    ),
    Gap(
        ("AWS::S3::Bucket",),
        ("LoggingConfiguration",),
        "not applied: no server access logs",
        S3_BUCKET_PROVIDER,
    ),
    Gap(
        ("AWS::S3::Bucket",),
        ("PublicAccessBlockConfiguration", "OwnershipControls"),
        "not applied: the bucket is created with the ACL public-read",
        S3_BUCKET_PROVIDER,
    ),
    Gap(
        ("AWS::Logs::LogGroup",),
        ("RetentionInDays", "KmsKeyId"),
        "not applied: the group is created by name only, kept forever and unencrypted",
        "services/logs/resource_providers/aws_logs_loggroup.py",
    ),
    Gap(
        ("AWS::S3::Bucket", "AWS::S3::BucketPolicy", "AWS::DynamoDB::Table", "AWS::Logs::LogGroup", "AWS::KMS::Key"),
        (UPDATES,),
        "a change is reported UPDATE_COMPLETE and not applied: their providers do not implement update",
        "services/cloudformation/resource_provider.py",
    ),
    Gap(
        (CUSTOM,),
        (WHOLE,),
        "faked: CREATE_COMPLETE with a mocked id, the function never runs (destroy empties the upload bucket itself)",
        "services/cloudformation/engine/v2/change_set_model_executor.py",
    ),
)


def of_type(gap: Gap, resource_type: str) -> bool:
    return resource_type in gap.types or (CUSTOM in gap.types and resource_type.startswith(CUSTOM))


def has_setting(gap: Gap, resource: dict) -> bool:
    """Whether the resource has one of the gap's settings (every resource of its type, for updates
    and the resource itself)."""
    properties = resource.get("Properties", {})
    return any(
        setting in (UPDATES, WHOLE)
        or (setting.startswith(DELETION_POLICY) and resource.get("DeletionPolicy") == setting[len(DELETION_POLICY) :])
        or setting in properties
        for setting in gap.settings
    )


def touched(gap: Gap, template: dict) -> list[str]:
    """The template's logical IDs the gap concerns, sorted."""
    return sorted(
        logical
        for logical, resource in template.get("Resources", {}).items()
        if of_type(gap, resource["Type"]) and has_setting(gap, resource)
    )


def gap_of(setting: str) -> Gap:
    """The row of a setting (a property such as "Policies")."""
    return next(gap for gap in GAPS if setting in gap.settings)


def told(template: dict) -> list[str]:
    """One line per gap that concerns the template: the resources, the setting, what LocalStack does, where."""
    lines = []
    for gap in GAPS:
        logical_ids = touched(gap, template)
        if logical_ids:
            settings = ", ".join(gap.settings)
            lines.append(f"  - {', '.join(logical_ids)}: {settings}: {gap.effect} ({SOURCE_ROOT}{gap.source})")
    return lines
