"""`uploadtrail history KEY` with stubbed clients: the index queried page by page, oldest first,
plain values in JSON, a table for people, and a key with no item said so."""

from __future__ import annotations

import json

import pytest

from deployment.aws_clients import Clients
from deployment.commands import main as uploadtrail
from deployment.commands import target

OUTPUTS = [
    {"OutputKey": "DynamoDBTableName", "OutputValue": "table-1"},
    {"OutputKey": "ObjectKeyIndexName", "OutputValue": "ObjectKeyTimestampIndex"},
]
QUERY = {
    "TableName": "table-1",
    "IndexName": "ObjectKeyTimestampIndex",
    "KeyConditionExpression": "objectKey = :key",
    "ExpressionAttributeValues": {":key": {"S": "a b.txt"}},
    "ScanIndexForward": True,
}


def item(timestamp: str, size: int) -> dict:
    return {
        "objectKey": {"S": "a b.txt"},
        "timestamp": {"S": timestamp},
        "objectSize": {"N": str(size)},
        "eventName": {"S": "ObjectCreated:Put"},
    }


@pytest.fixture
def history(stubbed, monkeypatch):
    """The stubbers of a history run's CloudFormation and DynamoDB clients."""
    cloudformation, cfn_stub = stubbed("cloudformation")
    dynamodb, ddb_stub = stubbed("dynamodb")
    clients = Clients(lambda service: None, cloudformation, None, None, dynamodb)
    monkeypatch.setattr(target, "make_clients", lambda *args: clients)
    cfn_stub.add_response(
        "describe_stacks",
        {
            "Stacks": [
                {"StackName": "s", "CreationTime": "2026-01-01", "StackStatus": "CREATE_COMPLETE", "Outputs": OUTPUTS}
            ]
        },
        {"StackName": "uploadtrail-dev"},
    )
    return ddb_stub


ARGS = ["history", "a b.txt", "--endpoint", "http://localhost:1"]


def test_history_reads_every_page_of_the_index_oldest_first_as_json(history, capsys):
    history.add_response("query", {"Items": [item("2026-01-01T00:00:01Z", 1)], "LastEvaluatedKey": item("x", 1)}, QUERY)
    history.add_response(
        "query", {"Items": [item("2026-01-01T00:00:02Z", 22)]}, {**QUERY, "ExclusiveStartKey": item("x", 1)}
    )
    assert uploadtrail.main(ARGS + ["--output", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(i["timestamp"], i["objectSize"]) for i in listed] == [
        ("2026-01-01T00:00:01Z", 1),
        ("2026-01-01T00:00:02Z", 22),
    ]


def test_history_shows_a_table_by_default(history, capsys):
    history.add_response("query", {"Items": [item("2026-01-01T00:00:01Z", 1)]}, QUERY)
    assert uploadtrail.main(ARGS) == 0
    out = capsys.readouterr().out
    assert out.startswith("timestamp") and "2026-01-01T00:00:01Z  ObjectCreated:Put" in out


def test_history_of_a_key_never_logged_says_so(history, capsys):
    history.add_response("query", {"Items": []}, QUERY)
    assert uploadtrail.main(ARGS) == 0
    assert "No item logged for 'a b.txt' in stack uploadtrail-dev." in capsys.readouterr().out
