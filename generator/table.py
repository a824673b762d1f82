"""The DynamoDB table where every Lambda invocation is logged."""

from __future__ import annotations

from troposphere import GetAtt, NoValue, Ref, Template, dynamodb, kms

from generator.config import Profile
from generator.metadata import annotate
from generator.outputs import add_output

AWS_MANAGED_KEY = (
    "The dev profile encrypts with the AWS-managed key aws/dynamodb; prod uses the stack's customer-managed key."
)


def add_invocation_table(template: Template, profile: Profile, key: kms.Key | None):
    """Table keyed by requestId and timestamp, on-demand, with point-in-time recovery.

    Kept as Retain, not RetainExceptOnCreate: prod protects the table from deletion, and
    CloudFormation cannot delete a protected table, so a rollback that tried would end in
    ROLLBACK_FAILED. Its name is generated, so a table left by a failed create never blocks the
    retry.
    """
    policy = profile.replace_policy
    encryption = dynamodb.SSESpecification(
        SSEEnabled=True,
        SSEType="KMS" if key else NoValue,
        KMSMasterKeyId=GetAtt(key, "Arn") if key else NoValue,
    )
    table = template.add_resource(
        dynamodb.Table(
            "InvocationLogTable",
            AttributeDefinitions=[
                dynamodb.AttributeDefinition(AttributeName="requestId", AttributeType="S"),
                dynamodb.AttributeDefinition(AttributeName="timestamp", AttributeType="S"),
            ],
            KeySchema=[
                dynamodb.KeySchema(AttributeName="requestId", KeyType="HASH"),
                dynamodb.KeySchema(AttributeName="timestamp", KeyType="RANGE"),
            ],
            BillingMode="PAY_PER_REQUEST",
            PointInTimeRecoverySpecification=dynamodb.PointInTimeRecoverySpecification(PointInTimeRecoveryEnabled=True),
            SSESpecification=encryption,
            DeletionProtectionEnabled=profile.retain_data,
            DeletionPolicy=policy,
            UpdateReplacePolicy=policy,
        )
    )
    annotate(
        table,
        "One item per logged S3 record; on-demand billing because uploads come in bursts.",
        must=["key schema requestId (HASH) + timestamp (RANGE): the function writes both"],
        skips={} if key else {"CKV_AWS_119": AWS_MANAGED_KEY},
    )
    add_output(template, "DynamoDBTableName", Ref(table), "Table of logged invocations")
    return table
