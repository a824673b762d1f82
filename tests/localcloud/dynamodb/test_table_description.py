"""DescribeTable answers as DynamoDB recorded it (LocalStack's parity snapshots, taken on AWS)."""

from __future__ import annotations

import uuid

from tests.localcloud.stacks import deploy, outputs

KEY_SCHEMA = [{"AttributeName": "id", "KeyType": "HASH"}]
ATTRIBUTES = [{"AttributeName": "id", "AttributeType": "S"}]


def table_template(encryption: dict | None = None) -> dict:
    properties = {"KeySchema": KEY_SCHEMA, "AttributeDefinitions": ATTRIBUTES, "BillingMode": "PAY_PER_REQUEST"}
    if encryption:
        properties["SSESpecification"] = encryption
    return {
        "Resources": {"Table": {"Type": "AWS::DynamoDB::Table", "Properties": properties}},
        "Outputs": {"TableName": {"Value": {"Ref": "Table"}}},
    }


def described_table(aws, encryption: dict | None = None) -> dict:
    stack = deploy(aws, f"table-{uuid.uuid4().hex[:8]}", table_template(encryption))
    return aws("dynamodb").describe_table(TableName=outputs(stack)["TableName"])["Table"]


def test_a_table_has_a_table_id_and_no_empty_index_lists(aws):
    """tests/aws/services/dynamodb/test_dynamodb.py::TestDynamoDB::test_table_crud: TableId (a
    UUID) is answered, GlobalSecondaryIndexes and LocalSecondaryIndexes are absent without
    indexes, and no SSEDescription without SSESpecification."""
    table = described_table(aws)
    assert str(uuid.UUID(table["TableId"])) == table["TableId"]
    assert aws("dynamodb").describe_table(TableName=table["TableName"])["Table"]["TableId"] == table["TableId"]
    assert not {"GlobalSecondaryIndexes", "LocalSecondaryIndexes", "SSEDescription"} & set(table)


def test_a_re_created_table_has_a_new_table_id(aws):
    """A table created again under the same name is a new table (test_table_crud's TableId)."""
    dynamodb = aws("dynamodb")
    name = f"recreated-{uuid.uuid4().hex[:8]}"
    create = {"TableName": name, "KeySchema": KEY_SCHEMA, "AttributeDefinitions": ATTRIBUTES}
    first = dynamodb.create_table(**create, BillingMode="PAY_PER_REQUEST")["TableDescription"]["TableId"]
    dynamodb.delete_table(TableName=name)
    second = dynamodb.create_table(**create, BillingMode="PAY_PER_REQUEST")["TableDescription"]["TableId"]
    assert first != second


def test_a_global_secondary_index_is_still_described(aws):
    """Only empty index lists are dropped: a table's GSI stays in DescribeTable."""
    dynamodb = aws("dynamodb")
    name = f"indexed-{uuid.uuid4().hex[:8]}"
    dynamodb.create_table(
        TableName=name,
        KeySchema=KEY_SCHEMA,
        AttributeDefinitions=[*ATTRIBUTES, {"AttributeName": "kind", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[
            {
                "IndexName": "byKind",
                "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    table = dynamodb.describe_table(TableName=name)["Table"]
    assert [index["IndexName"] for index in table["GlobalSecondaryIndexes"]] == ["byKind"]
    assert "LocalSecondaryIndexes" not in table


def test_a_template_s_sse_specification_is_described(aws):
    """tests/aws/services/cloudformation/resources/test_dynamodb.py::test_table_with_ttl_and_sse:
    SSESpecification {SSEEnabled: true, SSEType: KMS} gives SSEDescription {KMSMasterKeyArn: a KMS
    key ARN, SSEType: KMS, Status: ENABLED}."""
    table = described_table(aws, {"SSEEnabled": True, "SSEType": "KMS"})
    encryption = table["SSEDescription"]
    assert encryption["SSEType"] == "KMS" and encryption["Status"] == "ENABLED"
    assert encryption["KMSMasterKeyArn"].startswith("arn:aws:kms:us-east-1:123456789012:key/")
