"""Run the function modules against moto's in-process AWS, each imported afresh per test."""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

EVENTS = Path(__file__).resolve().parent.parent / "fixtures" / "events"
TABLE = "invocations"
REGION = "us-east-1"


def load_event(name: str):
    return json.loads((EVENTS / f"{name}.json").read_text())


@dataclass
class FakeContext:
    """The attributes of Lambda's context object that the functions read."""

    function_name: str = "uploadtrail-logger"
    aws_request_id: str = "8f5e3c1a-0000-4000-8000-000000000001"
    log_stream_name: str = "2026/11/25/[$LATEST]abc"
    remaining_ms: int = 900_000

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


@pytest.fixture
def aws_env(monkeypatch):
    for name in ["AWS_ENDPOINT_URL", "AWS_PROFILE"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("TABLE_NAME", TABLE)


@pytest.fixture
def mocked(aws_env):
    with mock_aws():
        yield


@pytest.fixture
def table(mocked):
    dynamodb = boto3.client("dynamodb")
    dynamodb.create_table(
        TableName=TABLE,
        AttributeDefinitions=[
            {"AttributeName": "requestId", "AttributeType": "S"},
            {"AttributeName": "timestamp", "AttributeType": "S"},
        ],
        KeySchema=[
            {"AttributeName": "requestId", "KeyType": "HASH"},
            {"AttributeName": "timestamp", "KeyType": "RANGE"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    return dynamodb


@pytest.fixture
def handler_module(table):
    """function/handler.py, imported afresh inside the mock with this test's environment."""
    from function import handler

    return importlib.reload(handler)


@pytest.fixture
def cleanup_module(mocked):
    from function import bucket_cleanup

    return importlib.reload(bucket_cleanup)
