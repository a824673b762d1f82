"""Whether a resource the stack records still exists, asked of its own service: CloudFormation
keeps recording a resource deleted outside it (and a deploy then finds "no changes")."""

from __future__ import annotations

from collections.abc import Callable

from botocore.exceptions import ClientError

# The codes with which each service answers for a resource that does not exist.
NOT_FOUND = frozenset(
    {
        "ResourceNotFoundException",  # DynamoDB, Lambda, CloudWatch Logs
        "404",  # S3 HeadBucket
        "NoSuchBucket",
        "NoSuchEntity",  # IAM
        "NotFound",  # SNS
        "NotFoundException",  # KMS
        "AWS.SimpleQueueService.NonExistentQueue",  # SQS, query protocol
        "QueueDoesNotExist",  # SQS, JSON protocol
    }
)


def log_group_exists(logs, name: str) -> bool:
    groups = logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"]
    return any(group["logGroupName"] == name for group in groups)


def key_exists(kms, key_id: str) -> bool:
    """A key scheduled for deletion counts as gone: nothing can use it."""
    return kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] != "PendingDeletion"


# Resource type -> (service, probe(client, physical id) that answers or raises a not-found code).
PROBES: dict[str, tuple[str, Callable[[object, str], object]]] = {
    "AWS::DynamoDB::Table": ("dynamodb", lambda c, name: c.describe_table(TableName=name)),
    "AWS::S3::Bucket": ("s3", lambda c, name: c.head_bucket(Bucket=name)),
    "AWS::Lambda::Function": ("lambda", lambda c, name: c.get_function_configuration(FunctionName=name)),
    "AWS::SQS::Queue": ("sqs", lambda c, url: c.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])),
    "AWS::IAM::Role": ("iam", lambda c, name: c.get_role(RoleName=name)),
    "AWS::SNS::Topic": ("sns", lambda c, arn: c.get_topic_attributes(TopicArn=arn)),
    "AWS::Logs::LogGroup": ("logs", log_group_exists),
    "AWS::KMS::Key": ("kms", key_exists),
}


def exists(client_for: Callable[[str], object], resource_type: str, physical_id: str) -> bool | None:
    """True or False, or None for a type not probed."""
    probe = PROBES.get(resource_type)
    if probe is None:
        return None
    service, ask = probe
    try:
        answer = ask(client_for(service), physical_id)
    except ClientError as error:
        if error.response["Error"]["Code"] in NOT_FOUND:
            return False
        raise
    return answer is not False
