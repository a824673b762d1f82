"""The logger's cold import and warm cost per record, each beside its reference.

Cold: importing function/handler.py vs importing boto3 and creating one DynamoDB client (goal: at
most 20 ms more). Warm: handler per record (a conditional write each) vs a bare put_item loop with
the same client, both against moto's server (goal: at most 1.25x); and per record already logged
(goal: one PutItem call, nothing more; its time is shown beside the bare loop's).
Run: python -m benchmarks.function [repeats]
"""

from __future__ import annotations

import copy
import importlib
import json
import os
import sys
import time
from functools import partial

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


def s3_event(records: int, run: int) -> dict:
    """An event of `records` distinct uploads (each its own key and sequencer), new for each run."""
    template = json.loads((PROJECT_ROOT / "tests/fixtures/events/s3_put_three_records.json").read_text())["Records"][0]
    event = {"Records": []}
    for n in range(records):
        record = copy.deepcopy(template)
        record["s3"]["object"].update(key=f"bench/{n}.csv", sequencer=f"{run:08X}{n:08X}")
        event["Records"].append(record)
    return event


def per_record_ms(work, records: int) -> float:
    start = time.perf_counter()
    work()
    return (time.perf_counter() - start) * 1000 / records


def put_each(client, items: list[dict]) -> None:
    for item in items:
        client.put_item(TableName=ENVIRONMENT["TABLE_NAME"], Item=item)


def warm(repeats: int, records: int = 50) -> dict:
    """Per-record milliseconds of the handler writing new records, of the handler meeting records
    already logged (duplicates), and of a bare put_item loop, against moto's server; and the
    PutItem calls a duplicate makes."""
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
        warm_up = s3_event(records, 0)
        handler.handler(warm_up, None)  # warm up the new-record and the duplicate paths
        handler.handler(warm_up, None)
        put_items = []
        client.meta.events.register("before-call.dynamodb.PutItem", lambda **kwargs: put_items.append(1))
        samples = {"handler": [], "duplicate": [], "bare put_item": []}
        duplicate_calls = 0
        for run in range(1, repeats + 1):
            event = s3_event(records, 2 * run)
            samples["handler"].append(per_record_ms(partial(handler.handler, event, None), records))
            put_items.clear()
            samples["duplicate"].append(per_record_ms(partial(handler.handler, event, None), records))
            duplicate_calls = max(duplicate_calls, len(put_items))
            # as many new items, built before the clock starts, written without a condition
            items = [handler.invocation_item(record, None) for record in s3_event(records, 2 * run + 1)["Records"]]
            samples["bare put_item"].append(per_record_ms(partial(put_each, client, items), records))
    finally:
        server.stop()
    results = {name: summary(values) for name, values in samples.items()}
    bare = results["bare put_item"]["median"]
    ratio, duplicate_ratio = results["handler"]["median"] / bare, results["duplicate"]["median"] / bare
    calls_per_duplicate = duplicate_calls / records
    return {
        **results,
        "ratio": ratio,
        "duplicate_ratio": duplicate_ratio,
        "calls_per_duplicate": calls_per_duplicate,
        "goal": WARM_GOAL_RATIO,
        "met": ratio <= WARM_GOAL_RATIO,
        "duplicate_met": calls_per_duplicate == 1,
    }


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
    for name in ("handler", "duplicate", "bare put_item"):
        print(f"{name}: median {w[name]['median']:.2f} ms per record, p90 {w[name]['p90']:.2f}")
    print(f"warm ratio {w['ratio']:.2f}x (goal <= {WARM_GOAL_RATIO}x): {'met' if w['met'] else 'NOT met'}")
    print(
        f"a duplicate: {w['calls_per_duplicate']:g} PutItem call(s), {w['duplicate_ratio']:.2f}x "
        f"the bare loop (goal: one call, nothing more): {'met' if w['duplicate_met'] else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
