"""Filter patterns through boto3 against the local cloud: the invocation logger's own JSON lines
(function/handler.py, written in the runtime's JSON format) filtered by level, and patterns AWS
refuses refused with its error."""

from __future__ import annotations

import json
import time

import pytest
from botocore.exceptions import ClientError

from deployment.function_package import build_packages
from generator.function import LOGGER_CODE_KEY
from tests.localcloud.stacks import deploy, outputs, python_function_template, upload_code

S3_RECORD = {
    "eventSource": "aws:s3",
    "eventTime": "2026-01-01T00:00:00.000Z",
    "eventName": "ObjectCreated:Put",
    "s3": {"bucket": {"name": "uploads"}, "object": {"key": "reports/a.csv", "size": 3}},
}
# A skipped event and a skipped record log WARNING; the S3 record's write fails (no such table): ERROR.
EVENTS = [{"Records": []}, {"Records": [{"eventSource": "aws:sqs"}]}, {"Records": [S3_RECORD]}]


def json_level(message: str) -> str | None:
    try:
        entry = json.loads(message)
    except ValueError:
        return None
    return entry.get("level") if isinstance(entry, dict) else None


@pytest.fixture(scope="module")
def log_group(aws):
    """The log group of the invocation logger, after the three EVENTS, holding its lines."""
    code_key = upload_code(aws, build_packages()[LOGGER_CODE_KEY].data)
    template = python_function_template(code_key, handler="function.handler.handler")
    template["Resources"]["Function"]["Properties"] |= {
        "LoggingConfig": {"LogFormat": "JSON"},
        "Environment": {"Variables": {"TABLE_NAME": "uploadtrail-no-such-table"}},
    }
    name = outputs(deploy(aws, "filter-patterns", template))["FunctionName"]
    for event in EVENTS:
        aws("lambda").invoke(FunctionName=name, Payload=json.dumps(event).encode())
    group = f"/aws/lambda/{name}"
    deadline = time.monotonic() + 10
    while {"ERROR", "WARNING"} - {json_level(e["message"]) for e in all_events(aws, group)}:
        assert time.monotonic() < deadline, "the function's WARNING and ERROR lines never arrived"
        time.sleep(0.05)
    return group


def all_events(aws, group: str, **pattern) -> list[dict]:
    pages = aws("logs").get_paginator("filter_log_events").paginate(logGroupName=group, **pattern)
    return [event for page in pages for event in page["events"]]


@pytest.mark.parametrize("level", ["ERROR", "WARNING"])
def test_a_json_pattern_answers_the_handlers_lines_of_that_level_only(aws, log_group, level):
    everything = all_events(aws, log_group)
    found = all_events(aws, log_group, filterPattern=f'{{ $.level = "{level}" }}')
    assert [e["eventId"] for e in found] == [e["eventId"] for e in everything if json_level(e["message"]) == level]
    assert found and len(found) < len(everything)


def test_a_compound_json_pattern_finds_the_failed_write_by_its_key(aws, log_group):
    found = all_events(aws, log_group, filterPattern='{ $.level = "ERROR" && $.objectKey = "reports/*" }')
    (entry,) = [json.loads(e["message"]) for e in found]
    assert entry["objectKey"] == "reports/a.csv" and entry["table"] == "uploadtrail-no-such-table"
    assert all_events(aws, log_group, filterPattern='{ $.level = "ERROR" && $.objectKey = "images/*" }') == []


def test_terms_match_case_sensitively(aws, log_group):
    found = all_events(aws, log_group, filterPattern='"skipped record"')
    assert [json.loads(e["message"])["message"] for e in found] == ["skipped record"]
    assert all_events(aws, log_group, filterPattern='"SKIPPED RECORD"') == []


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{ $.level = }", "Invalid filter pattern"),
        ('{ $.level = "ERROR"', "If a filter pattern starts with '{' it must end with '}'"),
        ("level:ERROR", "Invalid character(s) in term 'level:ERROR'"),
    ],
)
def test_a_pattern_aws_refuses_is_refused_not_matched_to_everything(aws, log_group, pattern, message):
    with pytest.raises(ClientError) as refused:
        aws("logs").filter_log_events(logGroupName=log_group, filterPattern=pattern)
    assert refused.value.response["Error"] == {"Code": "InvalidParameterException", "Message": message}


def test_subscription_and_metric_filters_refuse_such_a_pattern_too(aws, log_group):
    logs = aws("logs")
    with pytest.raises(ClientError, match="InvalidParameterException"):
        logs.put_metric_filter(
            logGroupName=log_group,
            filterName="errors",
            filterPattern="{ $.level = }",
            metricTransformations=[{"metricName": "Errors", "metricNamespace": "Test", "metricValue": "1"}],
        )
    with pytest.raises(ClientError, match="InvalidParameterException"):
        logs.put_subscription_filter(
            logGroupName=log_group,
            filterName="errors",
            filterPattern="{ $.level = }",
            destinationArn="arn:aws:lambda:us-east-1:123456789012:function:absent",
        )
    assert logs.describe_metric_filters(logGroupName=log_group)["metricFilters"] == []
