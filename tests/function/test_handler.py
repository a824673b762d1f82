"""The invocation logger against moto's DynamoDB: items, skips, failures, response shape, logs."""

from __future__ import annotations

import importlib
import json
import logging
import uuid

import pytest
from botocore.exceptions import ClientError

from tests.function.conftest import TABLE, FakeContext, load_event


def items(client) -> list[dict]:
    found = client.scan(TableName=TABLE)["Items"]
    return [{k: next(iter(v.values())) for k, v in item.items()} for item in found]


def body(response: dict) -> dict:
    assert response["statusCode"] == 200
    return json.loads(response["body"])


def test_every_record_becomes_one_item(handler_module, table):
    response = handler_module.handler(load_event("s3_put_three_records"), FakeContext())
    result = body(response)
    assert result["processed"] == 3 and result["skipped"] == 0
    logged = {item["objectKey"]: item for item in items(table)}
    assert sorted(logged) == ["my fileé.txt", "photos/holiday (2).jpg", "reports/2026/summary.csv"]
    assert sorted(result["requestIds"]) == sorted(i["requestId"] for i in logged.values())
    assert result["message"] == "logged 3 record(s), 0 already logged, skipped 0"
    first = logged["reports/2026/summary.csv"]
    assert first["bucketName"] == "uploadtrail-dev-123456789012-us-east-1"
    assert first["eventName"] == "ObjectCreated:Put"
    assert first["functionName"] == "uploadtrail-logger"
    assert first["awsRequestId"] == "8f5e3c1a-0000-4000-8000-000000000001"
    assert first["objectSize"] == "1024"
    assert first["eTag"] == "d41d8cd98f00b204e9800998ecf8427e"
    assert first["eventTime"] == "2026-11-25T16:00:00.000Z"
    assert first["sequencer"] == "0055AED6DCD90281E5"
    assert "versionId" not in first
    assert logged["photos/holiday (2).jpg"]["versionId"] == "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"
    assert logged["my fileé.txt"]["objectSize"] == "0"


def test_the_sort_key_is_the_event_time_and_logged_at_the_time_of_writing(handler_module, table):
    from datetime import UTC, datetime

    before = datetime.now(UTC)
    handler_module.handler(load_event("s3_put_three_records"), FakeContext())
    logged = items(table)
    assert len({i["requestId"] for i in logged}) == 3
    for item in logged:
        assert uuid.UUID(item["requestId"]).version == 5
        assert item["timestamp"] == "2026-11-25T16:00:00.000000+00:00"  # the seed's form of S3's ...000Z
        assert before <= datetime.fromisoformat(item["loggedAt"]) <= datetime.now(UTC)
        assert item["loggedAt"].endswith("+00:00") and len(item["loggedAt"]) == len(item["timestamp"])


@pytest.mark.parametrize(
    "event_time, reason",
    [
        (None, "without an eventTime"),
        ("yesterday", "without an eventTime"),
        ("2026-11-25T16:00:00", "without an eventTime"),
    ],
)
def test_a_record_without_a_zoned_event_time_is_skipped(handler_module, table, caplog, event_time, reason):
    event = load_event("s3_put_three_records")
    event["Records"][0]["eventTime"] = event_time
    caplog.set_level(logging.INFO)
    result = body(handler_module.handler(event, FakeContext()))
    assert (result["processed"], result["skipped"]) == (2, 1)
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert reason in warning.reason and warning.recordIndex == 0


def test_an_event_time_in_another_zone_is_written_in_utc(handler_module, table):
    event = {"Records": [load_event("s3_put_three_records")["Records"][0]]}
    event["Records"][0]["eventTime"] = "2026-11-25T17:00:00.5+01:00"
    handler_module.handler(event, FakeContext())
    (item,) = items(table)
    assert (item["timestamp"], item["eventTime"]) == ("2026-11-25T16:00:00.500000+00:00", "2026-11-25T17:00:00.5+01:00")


@pytest.mark.parametrize(
    "event, reason",
    [
        (load_event("s3_test_event"), "s3:TestEvent"),
        ({}, "without Records"),
        ({"Records": []}, "without Records"),
        ({"Records": "oops"}, "without Records"),
        ("a plain string", "without Records"),
        (None, "without Records"),
    ],
)
def test_events_without_records_are_skipped_with_one_log_line(handler_module, table, caplog, event, reason):
    caplog.set_level(logging.INFO)
    result = body(handler_module.handler(event, FakeContext()))
    assert result == {
        "message": "logged 0 record(s), 0 already logged, skipped 1",
        "processed": 0,
        "duplicates": 0,
        "skipped": 1,
        "requestIds": [],
    }
    assert items(table) == []
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and reason in warnings[0].reason


def test_bad_records_are_skipped_and_counted_and_good_ones_kept(handler_module, table, caplog):
    caplog.set_level(logging.INFO)
    result = body(handler_module.handler(load_event("mixed_bad_records"), FakeContext()))
    assert result["processed"] == 1 and result["skipped"] == 4
    assert [i["objectKey"] for i in items(table)] == ["kept.txt"]
    reasons = [(r.recordIndex, r.reason) for r in caplog.records if r.levelno == logging.WARNING]
    assert reasons == [
        (0, "not an S3 record"),
        (2, "S3 record without bucket name or object key"),
        (3, "S3 record without bucket name or object key"),
        (4, "not an S3 record"),
    ]


def test_a_failed_write_is_logged_and_raised(handler_module, table, caplog, monkeypatch):
    table.delete_table(TableName=TABLE)
    caplog.set_level(logging.INFO)
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        handler_module.handler(load_event("s3_put_three_records"), FakeContext())
    failure = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failure) == 1 and failure[0].exc_info and failure[0].recordIndex == 0
    assert (failure[0].table, failure[0].objectKey) == (TABLE, "reports/2026/summary.csv")


def test_a_missing_table_name_is_a_clear_error(handler_module, monkeypatch):
    monkeypatch.setattr(handler_module, "TABLE_NAME", "")
    with pytest.raises(RuntimeError, match="TABLE_NAME is not set"):
        handler_module.handler(load_event("s3_put_three_records"), FakeContext())


def test_without_context_the_function_name_comes_from_the_environment(handler_module, table, monkeypatch):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "from-env")
    handler_module.handler(load_event("s3_put_three_records"), None)
    assert {(i["functionName"], i["awsRequestId"]) for i in items(table)} == {("from-env", "unknown")}


def test_aws_endpoint_url_sends_the_client_there(table, monkeypatch):
    """botocore reads AWS_ENDPOINT_URL itself: LocalStack and the local cloud need no code."""
    from function import handler

    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://localhost:4566")
    reloaded = importlib.reload(handler)
    assert reloaded.DYNAMODB.meta.endpoint_url == "http://localhost:4566"
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    assert importlib.reload(handler).DYNAMODB.meta.endpoint_url.startswith("https://dynamodb.")


def test_the_client_retries_in_standard_mode(handler_module):
    assert handler_module.DYNAMODB.meta.config.retries["mode"] == "standard"


def test_a_record_without_size_or_extras_keeps_the_required_attributes(handler_module, table):
    event = {
        "Records": [
            {
                "eventSource": "aws:s3",
                "eventName": "ObjectCreated:Post",
                "eventTime": "2026-11-25T16:00:00Z",
                "s3": {"bucket": {"name": "b"}, "object": {"key": "k%2Bplus+space"}},
            }
        ]
    }
    body(handler_module.handler(event, FakeContext()))
    (item,) = items(table)
    assert set(item) == {
        "requestId",
        "timestamp",
        "loggedAt",
        "eventTime",
        "bucketName",
        "objectKey",
        "eventName",
        "functionName",
        "awsRequestId",
    }
    assert item["objectKey"] == "k+plus space"


def test_the_item_id_survives_the_lambda_runtimes_json_log_format(handler_module, table, caplog):
    """With LogFormat JSON, the runtime writes its own requestId (the invocation's) and drops an
    `extra` field of the same name: the item's id must travel under a name it does not own."""
    from localcloud.lambda_.runtime_logging import JsonFormatter

    caplog.set_level("INFO")
    result = json.loads(handler_module.handler(load_event("s3_put_three_records"), FakeContext())["body"])
    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.getMessage() == "logged upload"]
    assert sorted(line["itemRequestId"] for line in lines) == sorted(result["requestIds"])
    assert not [line for line in lines if "requestId" in line]  # the runtime's, None outside Lambda
