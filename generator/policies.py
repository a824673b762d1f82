"""Small pure functions that build this stack's IAM statements and documents with awacs."""

from __future__ import annotations

from awacs import dynamodb, kms, logs, s3, sns, sqs, sts
from awacs.aws import (
    Action,
    Allow,
    ArnLike,
    Bool,
    Condition,
    Deny,
    NumericLessThan,
    Policy,
    PolicyDocument,
    Principal,
    Statement,
    StringEquals,
)
from troposphere import AWSObject, GetAtt, Ref, Sub

from generator.naming import alarm_arns, upload_bucket_arn, upload_objects_arn

VERSION = "2012-10-17"


def document(statements: list[Statement]) -> PolicyDocument:
    """A policy document holding statements."""
    return PolicyDocument(Version=VERSION, Statement=statements)


def service_assume_role_policy(service: str) -> PolicyDocument:
    """Trust policy that lets one AWS service (e.g. lambda.amazonaws.com) assume a role."""
    return document(
        [
            Statement(
                Effect=Allow,
                Principal=Principal("Service", [service]),
                Action=[sts.AssumeRole],
            )
        ]
    )


def deny_log_group_creation_statements() -> list[Statement]:
    """Deny creating any log group. The stack owns its functions' log groups, but the managed
    AWSLambdaBasicExecutionRole allows logs:CreateLogGroup on "*": late log delivery during a
    stack delete would re-create a group CloudFormation just deleted, and the next create of the
    same stack fails with "already exists". A Deny grants nothing, so "*" is safe here."""
    return [
        Statement(
            Sid="DenyCreatingLogGroups",
            Effect=Deny,
            Action=[logs.CreateLogGroup],
            Resource=["*"],
        )
    ]


def object_read_statements() -> list[Statement]:
    """Read the upload bucket's objects (and their versions)."""
    return [
        Statement(
            Effect=Allow,
            Action=[s3.GetObject, s3.GetObjectVersion],
            Resource=[upload_objects_arn()],
        )
    ]


def table_write_statements(table: AWSObject) -> list[Statement]:
    """Write items to one table."""
    return [Statement(Effect=Allow, Action=[dynamodb.PutItem], Resource=[GetAtt(table, "Arn")])]


def queue_send_statements(queue: AWSObject) -> list[Statement]:
    """Send messages to one queue (Lambda's dead-letter delivery uses the function's role)."""
    return [Statement(Effect=Allow, Action=[sqs.SendMessage], Resource=[GetAtt(queue, "Arn")])]


def key_use_statements(key: AWSObject) -> list[Statement]:
    """Encrypt and decrypt data with one KMS key (queue messages, environment, table items)."""
    return [
        Statement(
            Effect=Allow,
            Action=[kms.Decrypt, kms.GenerateDataKey],
            Resource=[GetAtt(key, "Arn")],
        )
    ]


def bucket_cleanup_statements() -> list[Statement]:
    """Empty the upload bucket: read its guard tag, list and delete every object version, and
    deny new uploads in its policy while emptying."""
    return [
        Statement(
            Effect=Allow,
            Action=[
                s3.ListBucket,
                s3.ListBucketVersions,
                s3.GetBucketTagging,
                s3.GetBucketPolicy,
                s3.PutBucketPolicy,
            ],
            Resource=[upload_bucket_arn()],
        ),
        Statement(
            Effect=Allow,
            Action=[s3.DeleteObject, s3.DeleteObjectVersion],
            Resource=[upload_objects_arn()],
        ),
    ]


def tls_only_statements(bucket_arn: Sub | GetAtt) -> list[Statement]:
    """Deny every request to a bucket that is not over TLS 1.2 or newer.

    A Deny on every S3 action ("s3:*") for every principal is the point of these statements:
    they grant nothing.
    """
    resources = [bucket_arn, Sub("${Arn}/*", Arn=bucket_arn)]
    every_s3_action = Action("s3", "*")
    anyone = Principal("AWS", "*")
    denied_when = [
        ("DenyInsecureTransport", Bool("aws:SecureTransport", "false")),
        ("DenyTlsBelow12", NumericLessThan("s3:TlsVersion", "1.2")),
    ]
    return [
        Statement(
            Sid=sid,
            Effect=Deny,
            Principal=anyone,
            Action=[every_s3_action],
            Resource=resources,
            Condition=Condition(condition),
        )
        for sid, condition in denied_when
    ]


def access_log_delivery_statements(log_bucket: AWSObject) -> list[Statement]:
    """Let S3's logging service write the upload bucket's access logs into log_bucket."""
    return [
        Statement(
            Sid="AllowServerAccessLogDelivery",
            Effect=Allow,
            Principal=Principal("Service", ["logging.s3.amazonaws.com"]),
            Action=[s3.PutObject],
            Resource=[Sub("${Arn}/*", Arn=GetAtt(log_bucket, "Arn"))],
            Condition=Condition(
                [
                    ArnLike("aws:SourceArn", upload_bucket_arn()),
                    StringEquals("aws:SourceAccount", Ref("AWS::AccountId")),
                ]
            ),
        )
    ]


CLOUDWATCH = "cloudwatch.amazonaws.com"


def from_this_stacks_alarms() -> Condition:
    """Only on behalf of this account's alarms of this stack (confused-deputy prevention)."""
    return Condition(
        [
            StringEquals("aws:SourceAccount", Ref("AWS::AccountId")),
            ArnLike("aws:SourceArn", alarm_arns()),
        ]
    )


def alarm_publish_statements(topic: AWSObject) -> list[Statement]:
    """Let CloudWatch publish this stack's alarm state changes to topic."""
    return [
        Statement(
            Sid="CloudWatchPublishesThisStacksAlarms",
            Effect=Allow,
            Principal=Principal("Service", [CLOUDWATCH]),
            Action=[sns.Publish],
            Resource=[Ref(topic)],
            Condition=from_this_stacks_alarms(),
        )
    ]


def alarm_key_use_statements() -> list[Statement]:
    """Let CloudWatch use the key of an encrypted alarm topic: SNS asks KMS for a data key on the
    publisher's behalf, so the publisher needs kms:GenerateDataKey* and kms:Decrypt (SNS developer
    guide, "Enable compatibility between event sources from AWS services and encrypted topics").
    An AWS-managed key (alias/aws/sns) cannot grant this, so its alarm actions would fail."""
    return [
        Statement(
            Sid="CloudWatchEncryptsThisStacksAlarmNotifications",
            Effect=Allow,
            Principal=Principal("Service", [CLOUDWATCH]),
            Action=[Action("kms", "GenerateDataKey*"), kms.Decrypt],
            Resource=["*"],  # a key policy names its own key as "*"
            Condition=from_this_stacks_alarms(),
        )
    ]


def key_policy() -> Policy:
    """Policy of the stack's customer-managed key.

    Key policies must name the key as Resource "*" ("this key"); AWS requires it. The account
    root gets "kms:*": that is AWS's default key policy ("Allows access to the AWS account and
    enables IAM policies"), which hands every decision to IAM, so the key never outlives an
    action list frozen today and cannot become unmanageable. CloudWatch Logs gets the actions
    its guide documents for encrypted log groups, for this stack's log groups only; CloudWatch
    what its alarms need to notify the encrypted alarm topic, for this stack's alarms only;
    DynamoDB, SQS and Lambda reach the key through the roles' own grants (key_use_statements).
    """
    this_key = "*"
    account_root = Principal("AWS", [Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")])
    return document(
        [
            Statement(
                Sid="AccountAdministersKeyThroughIam",
                Effect=Allow,
                Principal=account_root,
                Action=[Action("kms", "*")],
                Resource=[this_key],
            ),
            Statement(
                Sid="LogsEncryptThisStacksLogGroups",
                Effect=Allow,
                Principal=Principal("Service", [Sub("logs.${AWS::Region}.${AWS::URLSuffix}")]),
                Action=[
                    Action("kms", "Encrypt*"),
                    Action("kms", "Decrypt*"),
                    Action("kms", "ReEncrypt*"),
                    Action("kms", "GenerateDataKey*"),
                    Action("kms", "Describe*"),
                ],
                Resource=[this_key],
                Condition=Condition(
                    ArnLike(
                        "kms:EncryptionContext:aws:logs:arn",
                        Sub(
                            "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}"
                            ":log-group:/uploadtrail/${AWS::StackName}/*"
                        ),
                    )
                ),
            ),
            *alarm_key_use_statements(),
        ]
    )
