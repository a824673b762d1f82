"""The DynamoDB table where every Lambda invocation is logged."""

from __future__ import annotations

from troposphere import GetAtt, NoValue, Ref, Template, dynamodb, kms

from generator.config import Profile
from generator.metadata import annotate
from generator.outputs import add_output

# Every item logged for one object key, oldest first: `Query` on objectKey, sorted by timestamp.
OBJECT_KEY_INDEX = "ObjectKeyTimestampIndex"
AWS_MANAGED_KEY = (
    "The dev profile encrypts with the AWS-managed key aws/dynamodb; prod uses the stack's customer-managed key."
)


def add_invocation_table(template: Template, profile: Profile, key: kms.Key | None):
    """Table keyed by requestId and timestamp, on-demand, with point-in-time recovery, and an
    index by objectKey and timestamp.

    The index projects ALL attributes: an item is a few hundred bytes, and a history read should
    need no second request per item. On-demand billing gives the index no throughput to set.
    Adding the index to a deployed table is an in-place update (GlobalSecondaryIndexes and
    AttributeDefinitions update without interruption; DynamoDB builds one new index per update).

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
                dynamodb.AttributeDefinition(AttributeName="objectKey", AttributeType="S"),
            ],
            KeySchema=[
                dynamodb.KeySchema(AttributeName="requestId", KeyType="HASH"),
                dynamodb.KeySchema(AttributeName="timestamp", KeyType="RANGE"),
            ],
            GlobalSecondaryIndexes=[
                dynamodb.GlobalSecondaryIndex(
                    IndexName=OBJECT_KEY_INDEX,
                    KeySchema=[
                        dynamodb.KeySchema(AttributeName="objectKey", KeyType="HASH"),
                        dynamodb.KeySchema(AttributeName="timestamp", KeyType="RANGE"),
                    ],
                    Projection=dynamodb.Projection(ProjectionType="ALL"),
                )
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
        must=[
            "key schema requestId (HASH) + timestamp (RANGE): the function writes both",
            f"{OBJECT_KEY_INDEX}: objectKey (HASH) + timestamp (RANGE), one object's history in order",
        ],
        skips={} if key else {"CKV_AWS_119": AWS_MANAGED_KEY},
    )
    add_output(template, "DynamoDBTableName", Ref(table), "Table of logged invocations")
    add_output(template, "ObjectKeyIndexName", OBJECT_KEY_INDEX, "Index of the table by objectKey and timestamp")
    return table
