"""Writes answer ConsumedCapacity and ItemCollectionMetrics only when asked, as DynamoDB recorded."""

from __future__ import annotations

import uuid

import pytest

KEY = {"id": {"S": "a"}}


@pytest.fixture
def table(aws):
    name = f"writes-{uuid.uuid4().hex[:8]}"
    aws("dynamodb").create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return name


def writes(dynamodb, table: str, **asked) -> dict[str, dict]:
    """Each write's answer without its ResponseMetadata."""
    answers = {
        "put_item": dynamodb.put_item(TableName=table, Item=KEY, **asked),
        "update_item": dynamodb.update_item(
            TableName=table,
            Key=KEY,
            UpdateExpression="SET n = :n",
            ExpressionAttributeValues={":n": {"N": "1"}},
            **asked,
        ),
        "batch_write_item": dynamodb.batch_write_item(
            RequestItems={table: [{"PutRequest": {"Item": {"id": {"S": "b"}}}}]}, **asked
        ),
        "transact_write_items": dynamodb.transact_write_items(
            TransactItems=[{"Put": {"TableName": table, "Item": {"id": {"S": "c"}}}}], **asked
        ),
        "delete_item": dynamodb.delete_item(TableName=table, Key=KEY, **asked),
    }
    for answer in answers.values():
        answer.pop("ResponseMetadata")
    return answers


def test_writes_answer_no_metrics_nobody_asked_for(aws, table):
    """tests/aws/services/dynamodb/test_dynamodb.py::TestDynamoDB::test_return_values_in_put_item:
    without ReturnConsumedCapacity a write answers neither ConsumedCapacity nor
    ItemCollectionMetrics (PutItem's body is {})."""
    answers = writes(aws("dynamodb"), table)
    assert answers == {
        "put_item": {},
        "update_item": {},
        "batch_write_item": {"UnprocessedItems": {}},
        "transact_write_items": {},
        "delete_item": {},
    }


def test_consumed_capacity_is_answered_when_asked(aws, table):
    """ReturnConsumedCapacity=TOTAL: every write names the capacity it consumed (API reference)."""
    answers = writes(aws("dynamodb"), table, ReturnConsumedCapacity="TOTAL")
    assert all("ConsumedCapacity" in answer for answer in answers.values())
