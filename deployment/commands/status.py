"""`uploadtrail status`: the stack's state and outputs, whether each of its resources still exists,
its alarms in ALARM, the dead-letter queue's depth and the last items logged; a table or --output
json, and exit 3 when a resource is missing or an alarm is in ALARM (StackUnhealthy)."""

from __future__ import annotations

import argparse
import functools
import json
from dataclasses import dataclass

from deployment.commands.stack import described, outputs_of
from deployment.commands.target import add_output_option, add_stack_command, opened, target_words
from deployment.errors import StackUnhealthy
from deployment.messages import DEAD_LETTERS_WAITING, MISSING_RESOURCE, NO_DEAD_LETTERS, RECREATE_MISSING
from deployment.progress import table
from deployment.reporter import Reporter
from deployment.resource_presence import exists
from deployment.sample import plain_value

ALARM_TYPE = "AWS::CloudWatch::Alarm"
DEFAULT_ITEMS = 5
ITEM_COLUMNS = ["timestamp", "objectKey", "eventName", "requestId"]
PRESENCE = {True: "exists", False: "MISSING", None: "not checked"}


@dataclass
class Report:
    """What status found."""

    stack: dict
    resources: list[dict]
    alarms: list[dict]
    dead_letters: dict[str, int] | None
    items: list[dict]

    @property
    def missing(self) -> list[dict]:
        return [resource for resource in self.resources if resource["exists"] is False]

    @property
    def in_alarm(self) -> list[dict]:
        return [alarm for alarm in self.alarms if alarm["StateValue"] == "ALARM"]


def register(subcommands) -> None:
    status = add_stack_command(
        subcommands,
        "status",
        "the stack's state, missing resources, alarms in ALARM, dead letters and last items",
        "Show the stack's state and outputs, whether each of its resources still exists, its alarms in ALARM, "
        "the dead-letter queue's depth and the last items logged.",
        exit_codes="status: 3 when a resource is missing or an alarm is in ALARM.",
    )
    status.add_argument(
        "--items",
        type=int,
        default=DEFAULT_ITEMS,
        metavar="N",
        help=f"how many of the last items logged to show, newest first (default {DEFAULT_ITEMS}; it scans the "
        "table, 0: no scan)",
    )
    add_output_option(status)
    status.set_defaults(run=run)


def resources_of(cloudformation, client_for, stack_id: str) -> list[dict]:
    """Each resource the stack records, and whether it exists (None: not probed; alarms are
    probed with the alarms)."""
    pages = cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack_id)
    return [
        {
            "logicalId": summary["LogicalResourceId"],
            "type": summary["ResourceType"],
            "physicalId": summary.get("PhysicalResourceId", ""),
            "exists": exists(client_for, summary["ResourceType"], summary["PhysicalResourceId"])
            if summary.get("PhysicalResourceId") and summary["ResourceType"] != ALARM_TYPE
            else None,
        }
        for page in pages
        for summary in page["StackResourceSummaries"]
    ]


def alarms_of(cloudwatch, resources: list[dict]) -> list[dict]:
    """The stack's alarms as CloudWatch describes them; an alarm resource it does not know is
    marked missing."""
    names = [resource["physicalId"] for resource in resources if resource["type"] == ALARM_TYPE]
    if not names:
        return []
    pages = cloudwatch.get_paginator("describe_alarms").paginate(AlarmNames=names)
    alarms = [alarm for page in pages for alarm in page["MetricAlarms"]]
    known = {alarm["AlarmName"] for alarm in alarms}
    for resource in resources:
        if resource["type"] == ALARM_TYPE:
            resource["exists"] = resource["physicalId"] in known
    return alarms


def dead_letters_of(sqs, queue: dict | None) -> dict[str, int] | None:
    """The dead-letter queue's depth (waiting, in flight), or None when it is missing."""
    if not queue or not queue["exists"]:
        return None
    attributes = sqs.get_queue_attributes(
        QueueUrl=queue["physicalId"],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return {
        "waiting": int(attributes["ApproximateNumberOfMessages"]),
        "inFlight": int(attributes["ApproximateNumberOfMessagesNotVisible"]),
    }


def last_items(dynamodb, table: dict | None, count: int) -> list[dict]:
    """The newest count items of the table (a full scan: the table has no index by time)."""
    if count <= 0 or not table or not table["exists"]:
        return []
    pages = dynamodb.get_paginator("scan").paginate(TableName=table["physicalId"])
    items = [{name: plain_value(value) for name, value in item.items()} for page in pages for item in page["Items"]]
    return sorted(items, key=lambda item: str(item.get("timestamp", "")), reverse=True)[:count]


def one_of(resources: list[dict], resource_type: str) -> dict | None:
    return next((resource for resource in resources if resource["type"] == resource_type), None)


def report_of(clients, stack_name: str, items: int) -> Report:
    client_for = functools.cache(clients.client)
    stack = described(clients.cloudformation, stack_name)
    resources = resources_of(clients.cloudformation, client_for, stack["StackId"])
    alarms = alarms_of(client_for("cloudwatch"), resources)
    queue = one_of(resources, "AWS::SQS::Queue")
    table_resource = one_of(resources, "AWS::DynamoDB::Table")
    return Report(
        stack,
        resources,
        alarms,
        dead_letters_of(client_for("sqs"), queue),
        last_items(clients.dynamodb, table_resource, items),
    )


def as_json(report: Report) -> dict:
    return {
        "stack": {
            "name": report.stack["StackName"],
            "status": report.stack["StackStatus"],
            "reason": report.stack.get("StackStatusReason", ""),
        },
        "outputs": outputs_of(report.stack),
        "resources": report.resources,
        "missing": [resource["logicalId"] for resource in report.missing],
        "alarms": [{"name": a["AlarmName"], "state": a["StateValue"]} for a in report.alarms],
        "inAlarm": [alarm["AlarmName"] for alarm in report.in_alarm],
        "deadLetters": report.dead_letters,
        "items": report.items,
        "healthy": not report.missing and not report.in_alarm,
    }


def say_report(report: Report, args: argparse.Namespace, reporter: Reporter) -> None:
    stack, width = report.stack, reporter.width()
    reason = f" ({stack['StackStatusReason']})" if stack.get("StackStatusReason") else ""
    reporter.say(f"Stack {stack['StackName']}: {stack['StackStatus']}{reason}")
    outputs = outputs_of(stack)
    if outputs:
        reporter.say(table(["Output", "Value"], [[k, v] for k, v in sorted(outputs.items())], width))
    rows = [[r["logicalId"], r["type"], r["physicalId"], PRESENCE[r["exists"]]] for r in report.resources]
    reporter.say(table(["Logical ID", "Type", "Physical ID", "State"], rows, width))
    reporter.say(f"Alarms: {len(report.alarms)}, {len(report.in_alarm)} in ALARM")
    for alarm in report.in_alarm:
        reporter.say(f"  ALARM {alarm['AlarmName']}: {alarm.get('AlarmDescription', '')}")
    depth = report.dead_letters
    if depth is not None:
        waiting = DEAD_LETTERS_WAITING if depth["waiting"] or depth["inFlight"] else NO_DEAD_LETTERS
        reporter.say(waiting.format(target=target_words(args), **depth))
    if report.items:
        reporter.say("Last items logged, newest first:")
        item_rows = [[str(item.get(column, "")) for column in ITEM_COLUMNS] for item in report.items]
        reporter.say(table(ITEM_COLUMNS, item_rows, width))
    for resource in report.missing:
        reporter.say(MISSING_RESOURCE.format(**resource))
    if report.missing:
        reporter.say(RECREATE_MISSING.format(target=target_words(args)))


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    with opened(args, reporter) as (_, clients):
        report = report_of(clients, args.stack_name, args.items)
    if args.output == "json":
        reporter.say(json.dumps(as_json(report), indent=2, ensure_ascii=False, default=str))
    else:
        say_report(report, args, reporter)
    if report.missing or report.in_alarm:
        raise StackUnhealthy(
            args.stack_name,
            [resource["logicalId"] for resource in report.missing],
            [alarm["AlarmName"] for alarm in report.in_alarm],
        )
    return 0
