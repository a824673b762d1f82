"""`uploadtrail logs [--since 10m] [--follow] [--filter PATTERN]`: the logger function's log lines,
oldest first, from the log group the target says it writes to (deployment/log_location.py);
--follow polls until Ctrl-C, like `sam logs --tail`. Levels are coloured on a terminal only."""

from __future__ import annotations

import argparse
import json
import os
import re
import time
from datetime import UTC, datetime

from botocore.exceptions import ClientError

from deployment.commands.stack import described, outputs_of
from deployment.commands.target import add_output_option, add_stack_command, opened
from deployment.errors import LogGroupMissing
from deployment.log_location import log_group
from deployment.messages import LOGS_FOLLOWING, LOGS_NONE, LOGS_STOPPED
from deployment.reporter import Reporter
from deployment.target_kind import target_kind

UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
DURATION = re.compile(r"^([0-9]+)([smhd])$")
DEFAULT_SINCE = "10m"
POLL_SECONDS = 1.0
# A line can reach the group after a later one from another stream: each poll looks this far back
# again and skips what it showed.
LATE_MS = 5000
# ANSI colours by level (JSON "level", or the Text format's "[LEVEL]" prefix).
COLOURS = {"CRITICAL": "31;1", "FATAL": "31;1", "ERROR": "31", "WARNING": "33", "WARN": "33", "DEBUG": "2"}
TEXT_LEVEL = re.compile(r"^\[([A-Z]+)\]")


def duration(text: str) -> int:
    """--since's value in seconds: a whole number with s, m, h or d (30s, 10m, 2h, 1d)."""
    match = DURATION.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r}: give a duration such as 30s, 10m, 2h or 1d")
    return int(match.group(1)) * UNIT_SECONDS[match.group(2)]


def register(subcommands) -> None:
    logs = add_stack_command(
        subcommands,
        "logs",
        "the function's log lines, oldest first (--follow: until Ctrl-C)",
        "Show the upload logger's log lines, oldest first, from the log group its configuration names.",
    )
    logs.add_argument(
        "--since",
        type=duration,
        default=duration(DEFAULT_SINCE),
        metavar="DURATION",
        help=f"lines from this long ago on: 30s, 10m, 2h, 1d (default {DEFAULT_SINCE})",
    )
    logs.add_argument("--follow", action="store_true", help="keep polling for new lines until Ctrl-C")
    logs.add_argument(
        "--filter",
        metavar="PATTERN",
        help="a CloudWatch Logs filter pattern, such as ERROR, '\"logged upload\"' or '{ $.level = \"ERROR\" }'",
    )
    add_output_option(logs)
    logs.set_defaults(run=run)


def events_from(client, group: str, start_ms: int, pattern: str | None) -> list[dict]:
    """Every event of the group from start_ms on (all pages), oldest first."""
    query = {"logGroupName": group, "startTime": start_ms}
    if pattern:
        query["filterPattern"] = pattern
    try:
        pages = client.get_paginator("filter_log_events").paginate(**query)
        events = [event for page in pages for event in page["events"]]
    except ClientError as error:
        if error.response["Error"]["Code"] == "ResourceNotFoundException":
            raise LogGroupMissing(group) from error
        raise
    return sorted(events, key=lambda event: (event["timestamp"], event.get("ingestionTime", 0)))


class Tail:
    """The events not shown yet: each query starts LATE_MS before the newest shown (never before
    the start asked for), and what was shown in that window is skipped."""

    def __init__(self, start_ms: int):
        self.start_ms = start_ms
        self.shown: dict[str, int] = {}

    def query_start(self) -> int:
        return max(self.start_ms, max(self.shown.values(), default=self.start_ms) - LATE_MS)

    def fresh(self, events: list[dict]) -> list[dict]:
        new = [event for event in events if event["eventId"] not in self.shown]
        self.shown.update((event["eventId"], event["timestamp"]) for event in new)
        floor = self.query_start()
        self.shown = {event_id: at for event_id, at in self.shown.items() if at >= floor}
        return new


def level_of(message: str) -> str | None:
    """The level of a JSON log line ("level") or of a Text one ("[ERROR] ..."), else None."""
    if message.startswith("{"):
        try:
            level = json.loads(message).get("level")
        except ValueError:
            return None
        return level if isinstance(level, str) else None
    match = TEXT_LEVEL.match(message)
    return match.group(1) if match else None


def wants_colour(stream) -> bool:
    """On a terminal, unless NO_COLOR is set to anything (https://no-color.org)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


def iso(milliseconds: int) -> str:
    return datetime.fromtimestamp(milliseconds / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def shown(event: dict, output: str, colour: bool) -> str:
    """One event as a line: `time  message` (its level coloured), or a JSON object."""
    message = event["message"].rstrip("\n")
    if output == "json":
        return json.dumps(
            {"timestamp": iso(event["timestamp"]), "logStreamName": event.get("logStreamName"), "message": message},
            ensure_ascii=False,
        )
    code = COLOURS.get(level_of(message) or "") if colour else None
    text = f"\x1b[{code}m{message}\x1b[0m" if code else message
    return f"{iso(event['timestamp'])}  {text}"


def now_ms() -> int:
    return int(time.time() * 1000)


def pause(seconds: float) -> None:
    """Between two polls of --follow."""
    time.sleep(seconds)


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    with opened(args, reporter) as (target, clients):
        outputs = outputs_of(described(clients.cloudformation, args.stack_name))
        kind = target_kind(target.endpoint) if target.endpoint else None
        group = log_group(clients.client("lambda"), outputs, kind)
        client = clients.client("logs")
        colour = args.output != "json" and wants_colour(reporter.out)
        tail = Tail(now_ms() - args.since * 1000)

        def show_new() -> int:
            new = tail.fresh(events_from(client, group, tail.query_start(), args.filter))
            for event in new:
                reporter.say(shown(event, args.output, colour))
            return len(new)

        if not show_new() and not args.follow and args.output != "json":
            reporter.error(LOGS_NONE.format(group=group, since=args.since))
        if not args.follow:
            return 0
        reporter.error(LOGS_FOLLOWING.format(group=group))
        try:
            while True:
                pause(POLL_SECONDS)
                show_new()
        except KeyboardInterrupt:
            reporter.error(LOGS_STOPPED.format(group=group))
            return 0
