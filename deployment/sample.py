"""The --local run's proof that the stack works: upload a sample object and wait for its item."""

from __future__ import annotations

import json
import time

from deployment.aws_clients import Clients
from deployment.errors import SampleNotLogged

SAMPLE_KEY = "samples/hello uploadtrail.txt"
SAMPLE_WAIT_SECONDS = 30
# Between two looks for the item: short, the local cloud logs it within milliseconds.
POLL_SECONDS = 0.02


def plain_value(attribute: dict):
    """A typed DynamoDB attribute as the value it holds: a number (N) as a JSON number."""
    (kind, value), *_ = attribute.items()
    return json.loads(value) if kind == "N" else value


def upload_sample(
    clients: Clients, outputs: dict[str, str], reporter, wait_seconds: float = SAMPLE_WAIT_SECONDS
) -> dict:
    """Upload a sample object and wait for its logged item; the item as plain values."""
    clients.s3.put_object(Bucket=outputs["BucketName"], Key=SAMPLE_KEY, Body=b"hello from uploadtrail\n")
    reporter.say(f"Uploaded s3://{outputs['BucketName']}/{SAMPLE_KEY}; waiting for its logged item")
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        items = clients.dynamodb.scan(
            TableName=outputs["DynamoDBTableName"],
            FilterExpression="objectKey = :key",
            ExpressionAttributeValues={":key": {"S": SAMPLE_KEY}},
        )["Items"]
        if items:
            return {name: plain_value(value) for name, value in sorted(items[0].items())}
        time.sleep(POLL_SECONDS)
    raise SampleNotLogged(SAMPLE_KEY, wait_seconds)
