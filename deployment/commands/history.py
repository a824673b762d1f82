"""`uploadtrail history KEY`: every item logged for one object key, oldest first, read through the
stack's index by object key (ObjectKeyIndexName output), a table or --output json."""

from __future__ import annotations

import argparse
import json

from deployment.commands.stack import described, outputs_of
from deployment.commands.target import add_output_option, add_stack_command, opened
from deployment.progress import table
from deployment.reporter import Reporter
from deployment.sample import plain_value

COLUMNS = ["timestamp", "eventName", "requestId", "bucketName"]


def register(subcommands) -> None:
    history = add_stack_command(
        subcommands,
        "history",
        "every item logged for one object key, oldest first",
        "List every item logged for one object key, oldest first, through the table's index by object key.",
    )
    history.add_argument("key", metavar="KEY", help="the object key, as uploaded (not URL-encoded)")
    add_output_option(history)
    history.set_defaults(run=run)


def items_for(dynamodb, outputs: dict[str, str], key: str) -> list[dict]:
    """The key's items as plain values, oldest first (the index's range key is the timestamp)."""
    pages = dynamodb.get_paginator("query").paginate(
        TableName=outputs["DynamoDBTableName"],
        IndexName=outputs["ObjectKeyIndexName"],
        KeyConditionExpression="objectKey = :key",
        ExpressionAttributeValues={":key": {"S": key}},
        ScanIndexForward=True,
    )
    return [
        {name: plain_value(value) for name, value in sorted(item.items())} for page in pages for item in page["Items"]
    ]


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    with opened(args, reporter) as (_, clients):
        items = items_for(clients.dynamodb, outputs_of(described(clients.cloudformation, args.stack_name)), args.key)
    if args.output == "json":
        reporter.say(json.dumps(items, indent=2, ensure_ascii=False))
    elif not items:
        reporter.say(f"No item logged for {args.key!r} in stack {args.stack_name}.")
    else:
        rows = [[str(item.get(column, "")) for column in COLUMNS] for item in items]
        reporter.say(table(COLUMNS, rows, reporter.width()))
    return 0
