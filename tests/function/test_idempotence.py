"""One item per S3 record, however often it is delivered: the record's identity, duplicates,
concurrent deliveries, a retry after a partial failure, and the errors that still fail."""

from __future__ import annotations

import copy
import logging
import threading
import uuid

import pytest
from botocore.exceptions import ClientError

from tests.function.conftest import TABLE, FakeContext, load_event
from tests.function.test_handler import body, items

NAMESPACE = uuid.UUID("1a496336-2263-5c76-81c9-e4f3a93f07e8")
SECOND_DELIVERY = FakeContext(aws_request_id="8f5e3c1a-0000-4000-8000-000000000002")


def bare_record(**object_fields) -> dict:
    """An S3 record with neither a sequencer nor responseElements unless given."""
    return {
        "eventSource": "aws:s3",
        "eventName": "ObjectCreated:Put",
        "eventTime": "2026-12-01T20:31:45.123Z",
        "s3": {"bucket": {"name": "b"}, "object": {"key": "a+b/c%2B.txt", **object_fields}},
    }


def test_the_namespace_and_the_encoding_never_change(handler_module):
    """A change here would make the next version log every redelivered event a second time."""
    assert (
        handler_module.IDENTITY_NAMESPACE
        == NAMESPACE
        == uuid.uuid5(uuid.NAMESPACE_URL, "urn:uploadtrail:s3-record-identity")
    )
    first, second, third = load_event("s3_put_three_records")["Records"]
    encoded = (
        '["uploadtrail-dev-123456789012-us-east-1","reports/2026/summary.csv","",'
        '"ObjectCreated:Put","sequencer","0055AED6DCD90281E5"]'
    )
    assert (
        handler_module.record_identity(first)
        == str(uuid.uuid5(NAMESPACE, encoded))
        == "79360c62-0ad7-5c1d-a594-faf60524834d"
    )
    assert (
        handler_module.record_identity(second) == "3f51475d-7466-5b22-927e-a6e1024af123"
    )  # decoded key "my fileé.txt"
    assert handler_module.record_identity(third) == "102e01ba-5a80-5fac-8da9-eb890c8269b7"  # with its versionId


def test_without_a_sequencer_the_uploads_request_id_tells_the_upload_apart(handler_module):
    record = bare_record(versionId="v1")
    record["responseElements"] = {"x-amz-request-id": "C3D13FE58DE4C810", "x-amz-id-2": "x"}
    encoded = '["b","a b/c+.txt","v1","ObjectCreated:Put","x-amz-request-id","C3D13FE58DE4C810"]'
    assert handler_module.record_identity(record) == str(uuid.uuid5(NAMESPACE, encoded))
    assert handler_module.record_identity(record) == "a0eb0712-7488-5928-ad09-80a00c316aeb"


def test_without_sequencer_or_request_id_a_hash_of_the_canonical_record_does(handler_module):
    record = bare_record(eTag="e1")
    record["s3"]["configurationId"] = "uploadtrail"
    canonical = (
        '{"eventName":"ObjectCreated:Put","eventSource":"aws:s3",'
        '"s3":{"bucket":{"name":"b"},"object":{"key":"a+b/c%2B.txt"}}}'
    )
    assert handler_module.canonical_record(record) == canonical
    digest = "0e3142947a8e5bba137a59525a0c004e0500bf993277bb72df222ae662118da6"  # SHA-256 of canonical
    encoded = f'["b","a b/c+.txt","","ObjectCreated:Put","sha256","{digest}"]'
    assert handler_module.record_identity(record) == str(uuid.uuid5(NAMESPACE, encoded))
    assert handler_module.record_identity(record) == "f0f68c6f-ba89-5328-8356-90535a4e0567"
    later = copy.deepcopy(record)
    later["eventTime"], later["s3"]["object"]["eTag"], later["s3"]["configurationId"] = (
        "2027-01-01T00:00:00Z",
        "e2",
        "x",
    )
    assert handler_module.record_identity(later) == handler_module.record_identity(record)
    other_key = bare_record()
    other_key["s3"]["object"]["key"] = "other.txt"
    assert handler_module.record_identity(other_key) != handler_module.record_identity(record)


@pytest.mark.parametrize(
    "record",
    [
        load_event("s3_put_three_records")["Records"][0],
        {**bare_record(), "responseElements": {"x-amz-request-id": "R1"}},
        bare_record(size=3),
    ],
    ids=["sequencer", "x-amz-request-id", "hash"],
)
def test_the_same_record_delivered_twice_is_one_item(handler_module, table, caplog, record):
    caplog.set_level(logging.INFO)
    first = body(handler_module.handler({"Records": [record]}, FakeContext()))
    second = body(handler_module.handler({"Records": [record]}, SECOND_DELIVERY))
    assert (first["processed"], first["duplicates"]) == (1, 0)
    assert (second["processed"], second["duplicates"]) == (0, 1)
    assert second["message"] == "logged 0 record(s), 1 already logged, skipped 0"
    assert second["requestIds"] == first["requestIds"]
    (item,) = items(table)
    assert item["awsRequestId"] == FakeContext().aws_request_id  # the first delivery's item, untouched
    (duplicate,) = [r for r in caplog.records if r.getMessage().startswith("duplicate delivery")]
    assert duplicate.firstAwsRequestId == FakeContext().aws_request_id
    assert (duplicate.itemRequestId, duplicate.objectKey) == (item["requestId"], item["objectKey"])


def test_concurrent_deliveries_of_one_event_both_succeed_and_leave_one_item(handler_module, table):
    event = load_event("s3_put_three_records")
    start = threading.Barrier(2)
    results = []

    def deliver(context):
        start.wait(timeout=30)
        results.append(body(handler_module.handler(event, context)))

    threads = [threading.Thread(target=deliver, args=(c,)) for c in (FakeContext(), SECOND_DELIVERY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 2
    assert all(r["processed"] + r["duplicates"] == 3 for r in results)
    assert sorted(i["objectKey"] for i in items(table)) == [
        "my fileé.txt",
        "photos/holiday (2).jpg",
        "reports/2026/summary.csv",
    ]


def fail_write(monkeypatch, module, failing_call: int, code: str) -> list[dict]:
    """Make the client's put_item number `failing_call` (from 1) raise `code`; the calls made."""
    calls, put_item = [], module.DYNAMODB.put_item

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == failing_call:
            raise ClientError({"Error": {"Code": code, "Message": "injected"}}, "PutItem")
        return put_item(**kwargs)

    monkeypatch.setattr(module.DYNAMODB, "put_item", flaky)
    return calls


def test_a_retry_after_a_partial_failure_writes_only_the_missing_records(handler_module, table, monkeypatch, caplog):
    event = load_event("s3_put_three_records")
    fail_write(monkeypatch, handler_module, 2, "InternalServerError")
    with pytest.raises(ClientError):
        handler_module.handler(event, FakeContext())
    assert [i["objectKey"] for i in items(table)] == ["reports/2026/summary.csv"]
    retry = body(handler_module.handler(event, FakeContext()))  # Lambda retries with the same request id
    assert (retry["processed"], retry["duplicates"]) == (2, 1)
    logged = items(table)
    assert sorted(i["objectKey"] for i in logged) == [
        "my fileé.txt",
        "photos/holiday (2).jpg",
        "reports/2026/summary.csv",
    ]
    assert sorted(retry["requestIds"]) == sorted(i["requestId"] for i in logged)


def test_two_uploads_of_one_key_are_two_items(handler_module, table):
    first = load_event("s3_put_three_records")["Records"][0]
    second = copy.deepcopy(first)
    second["s3"]["object"]["sequencer"] = "0055AED6DCD90281F0"
    second["eventTime"] = "2026-11-25T16:00:01.500Z"
    body(handler_module.handler({"Records": [first]}, FakeContext()))
    result = body(handler_module.handler({"Records": [second]}, SECOND_DELIVERY))
    assert (result["processed"], result["duplicates"]) == (1, 0)
    logged = sorted(items(table), key=lambda i: i["timestamp"])
    assert [i["timestamp"] for i in logged] == ["2026-11-25T16:00:00.000000+00:00", "2026-11-25T16:00:01.500000+00:00"]
    assert len({i["requestId"] for i in logged}) == 2


@pytest.mark.parametrize("code", ["ProvisionedThroughputExceededException", "AccessDeniedException"])
def test_throughput_and_access_errors_still_fail_the_invocation(handler_module, table, monkeypatch, caplog, code):
    caplog.set_level(logging.INFO)
    fail_write(monkeypatch, handler_module, 1, code)
    with pytest.raises(ClientError, match=code):
        handler_module.handler(load_event("s3_put_three_records"), FakeContext())
    assert items(table) == []
    (failure,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert (failure.table, failure.bucketName, failure.objectKey) == (
        TABLE,
        "uploadtrail-dev-123456789012-us-east-1",
        "reports/2026/summary.csv",
    )


def test_every_write_is_conditional_and_asks_for_the_item_it_found(handler_module, table, monkeypatch):
    calls = fail_write(monkeypatch, handler_module, 0, "never")
    handler_module.handler(load_event("s3_put_three_records"), FakeContext())
    assert len(calls) == 3
    for call in calls:
        assert call["ConditionExpression"] == "attribute_not_exists(requestId)"
        assert call["ReturnValuesOnConditionCheckFailure"] == "ALL_OLD"


def test_a_duplicate_whose_found_item_is_not_returned_still_succeeds(handler_module, table, monkeypatch, caplog):
    """An endpoint that ignores ReturnValuesOnConditionCheckFailure: the first delivery is unknown."""
    caplog.set_level(logging.INFO)
    fail_write(monkeypatch, handler_module, 1, "ConditionalCheckFailedException")
    result = body(
        handler_module.handler({"Records": [load_event("s3_put_three_records")["Records"][0]]}, FakeContext())
    )
    assert (result["processed"], result["duplicates"]) == (0, 1)
    (duplicate,) = [r for r in caplog.records if r.getMessage().startswith("duplicate delivery")]
    assert duplicate.firstAwsRequestId == "unknown"
