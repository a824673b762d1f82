"""The logger's cold import and warm cost per record, each beside its reference.

Cold: importing function/handler.py vs importing boto3 and creating one DynamoDB client (goal: at
most 20 ms more). Warm: handler per record vs a bare put_item loop with the same client, both
against moto's server (goal: at most 1.25x). Run: python -m benchmarks.function [repeats]
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time

from benchmarks.timing import PROJECT_ROOT, interleaved, summary

COLD_GOAL_MS = 20.0
WARM_GOAL_RATIO = 1.25
ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "TABLE_NAME": "invocations",
}
COLD_CODES = {
    "boto3 + one DynamoDB client": "import boto3; boto3.client('dynamodb')",
    "import function/handler.py": "import function.handler",
}


def cold(repeats: int) -> dict:
    os.environ.update(ENVIRONMENT)
    results = interleaved(COLD_CODES, repeats)
    extra = results["import function/handler.py"]["median"] - results["boto3 + one DynamoDB client"]["median"]
    return {**results, "extra_ms": extra, "goal_ms": COLD_GOAL_MS, "met": extra <= COLD_GOAL_MS}


def s3_event(records: int) -> dict:
    record = json.loads((PROJECT_ROOT / "tests/fixtures/events/s3_put_three_records.json").read_text())["Records"][0]
    return {"Records": [record] * records}


def warm(repeats: int, records: int = 50) -> dict:
    """Per-record milliseconds of the handler and of a bare put_item loop, against moto's server."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    os.environ.update(ENVIRONMENT, AWS_ENDPOINT_URL=f"http://{host}:{port}")
    try:
        handler = importlib.import_module("function.handler")
        client = handler.DYNAMODB
        client.create_table(
            TableName=ENVIRONMENT["TABLE_NAME"],
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("requestId", "timestamp")],
            KeySchema=[
                {"AttributeName": "requestId", "KeyType": "HASH"},
                {"AttributeName": "timestamp", "KeyType": "RANGE"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        event = s3_event(records)
        handler.handler(event, None)  # warm up both paths
        samples = {"handler": [], "bare put_item": []}
        for _ in range(repeats):
            start = time.perf_counter()
            handler.handler(event, None)
            samples["handler"].append((time.perf_counter() - start) * 1000 / records)
            # the same items the handler writes, built before the clock starts
            items = [handler.invocation_item(record, None) for record in event["Records"]]
            start = time.perf_counter()
            for item in items:
                client.put_item(TableName=ENVIRONMENT["TABLE_NAME"], Item=item)
            samples["bare put_item"].append((time.perf_counter() - start) * 1000 / records)
    finally:
        server.stop()
    results = {name: summary(values) for name, values in samples.items()}
    ratio = results["handler"]["median"] / results["bare put_item"]["median"]
    return {**results, "ratio": ratio, "goal": WARM_GOAL_RATIO, "met": ratio <= WARM_GOAL_RATIO}


def main(argv: list[str] | None = None) -> int:
    import logging

    logging.disable(logging.INFO)
    args = sys.argv[1:] if argv is None else argv
    repeats = int(args[0]) if args else 15
    c = cold(repeats)
    for name in COLD_CODES:
        print(f"{name}: median {c[name]['median']:.1f} ms, p90 {c[name]['p90']:.1f} ms")
    print(
        f"cold import costs {c['extra_ms']:.1f} ms more (goal <= {COLD_GOAL_MS} ms): {'met' if c['met'] else 'NOT met'}"
    )
    w = warm(repeats)
    for name in ("handler", "bare put_item"):
        print(f"{name}: median {w[name]['median']:.2f} ms per record, p90 {w[name]['p90']:.2f}")
    print(f"warm ratio {w['ratio']:.2f}x (goal <= {WARM_GOAL_RATIO}x): {'met' if w['met'] else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
