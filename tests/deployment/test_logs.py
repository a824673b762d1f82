"""`uploadtrail logs` with stubbed clients: the log group the function's configuration names, every
page oldest first from --since on, --filter as the filter pattern, JSON lines, levels coloured on a
terminal only (NO_COLOR respected), --follow showing each line once until Ctrl-C, and a missing
log group said so."""

from __future__ import annotations

import argparse
import io
import json

import pytest
from botocore.stub import ANY

from deployment.commands import logs
from deployment.commands import main as uploadtrail
from tests.deployment.conftest import stack_answer

NOW = 1_800_000_000_000
OUTPUTS = {"LambdaFunctionName": "fn-1"}
GROUP = "/uploadtrail/uploadtrail-dev/invocation-logger"
ARGS = ["logs", "--endpoint", "http://localhost:1"]


def event(n: int, message: str, at: int | None = None) -> dict:
    return {"eventId": f"e{n}", "timestamp": at or NOW - 1000 + n, "message": message, "logStreamName": "s"}


@pytest.fixture
def logs_stubs(stack_clients, monkeypatch):
    """The logs stubber, once the stack and its function's configuration are answered."""
    stubs = stack_clients("lambda", "logs")
    monkeypatch.setattr(logs, "now_ms", lambda: NOW)
    stubs["cloudformation"].add_response("describe_stacks", stack_answer(OUTPUTS), {"StackName": "uploadtrail-dev"})
    stubs["lambda"].add_response(
        "get_function_configuration",
        {"FunctionName": "fn-1", "LoggingConfig": {"LogFormat": "JSON", "LogGroup": GROUP}},
        {"FunctionName": "fn-1"},
    )
    return stubs["logs"]


def test_logs_reads_every_page_since_the_duration_oldest_first(logs_stubs, capsys):
    query = {"logGroupName": GROUP, "startTime": NOW - 2 * 3600 * 1000}
    logs_stubs.add_response("filter_log_events", {"events": [event(2, "second\n")], "nextToken": "t"}, query)
    logs_stubs.add_response("filter_log_events", {"events": [event(1, "first\n")]}, {**query, "nextToken": "t"})
    assert uploadtrail.main([*ARGS, "--since", "2h"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ", 1)[1] for line in lines] == ["first", "second"]
    assert lines[0] == "2027-01-15T07:59:59.001Z  first"


def test_logs_passes_the_filter_as_the_filter_pattern_and_writes_json_lines(logs_stubs, capsys):
    query = {"logGroupName": GROUP, "startTime": NOW - 600_000, "filterPattern": '"logged upload"'}
    logs_stubs.add_response("filter_log_events", {"events": [event(1, '{"level": "INFO"}')]}, query)
    assert uploadtrail.main([*ARGS, "--filter", '"logged upload"', "--output", "json"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line) == {
        "timestamp": "2027-01-15T07:59:59.001Z",
        "logStreamName": "s",
        "message": '{"level": "INFO"}',
    }


def test_logs_without_lines_says_so_on_stderr(logs_stubs, capsys):
    logs_stubs.add_response("filter_log_events", {"events": []}, {"logGroupName": GROUP, "startTime": ANY})
    assert uploadtrail.main([*ARGS, "--since", "30s"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and f"No log lines in {GROUP} in the last 30 s." in captured.err


def test_a_missing_log_group_is_named(logs_stubs, capsys):
    logs_stubs.add_client_error("filter_log_events", "ResourceNotFoundException", "gone")
    assert uploadtrail.main(ARGS) == 1
    assert f"log group {GROUP} does not exist" in capsys.readouterr().err


def test_another_refusal_of_the_logs_service_is_reported_as_such(logs_stubs, capsys):
    logs_stubs.add_client_error("filter_log_events", "AccessDeniedException", "no")
    assert uploadtrail.main(ARGS) == 1
    assert "refused the request" in capsys.readouterr().err


def test_follow_shows_each_line_once_until_ctrl_c(logs_stubs, monkeypatch, capsys):
    first, second = event(1, "one"), event(2, "two", NOW + 10_000)
    logs_stubs.add_response("filter_log_events", {"events": [first]}, {"logGroupName": GROUP, "startTime": ANY})
    # The next poll looks LATE_MS back from the newest line shown: it gets `first` again.
    again = {"logGroupName": GROUP, "startTime": first["timestamp"] - logs.LATE_MS}
    logs_stubs.add_response("filter_log_events", {"events": [first, second]}, again)
    after = {"logGroupName": GROUP, "startTime": NOW + 10_000 - logs.LATE_MS}
    logs_stubs.add_response("filter_log_events", {"events": [second]}, after)
    polls = iter([None, None, KeyboardInterrupt()])

    def pause(seconds: float) -> None:
        answer = next(polls)
        if answer:
            raise answer

    monkeypatch.setattr(logs, "pause", pause)
    assert uploadtrail.main([*ARGS, "--follow"]) == 0
    captured = capsys.readouterr()
    assert [line.split("  ", 1)[1] for line in captured.out.splitlines()] == ["one", "two"]
    assert f"Following {GROUP}; Ctrl-C to stop." in captured.err
    assert captured.err.rstrip().endswith(f"Stopped following {GROUP}.") and "Traceback" not in captured.err


@pytest.mark.parametrize("text, seconds", [("30s", 30), ("10m", 600), ("2h", 7200), ("1d", 86400)])
def test_since_takes_seconds_minutes_hours_and_days(text, seconds):
    assert logs.duration(text) == seconds


@pytest.mark.parametrize("text", ["10", "m", "-1m", "1w", "1.5h"])
def test_since_refuses_anything_else(text):
    with pytest.raises(argparse.ArgumentTypeError):
        logs.duration(text)


@pytest.mark.parametrize(
    "message, level",
    [
        ('{"level": "ERROR", "message": "x"}', "ERROR"),
        ('{"level": 3}', None),
        ("{not json", None),
        ("[WARNING]\t2026-01-01T00:00:00.000Z\tid\tslow", "WARNING"),
        ("START RequestId: x Version: $LATEST", None),
    ],
)
def test_the_level_of_a_json_or_text_line(message, level):
    assert logs.level_of(message) == level


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_levels_are_coloured_on_a_terminal_unless_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert logs.wants_colour(Terminal()) and not logs.wants_colour(io.StringIO()) and not logs.wants_colour(object())
    error = logs.shown(event(1, '{"level": "ERROR"}'), "table", colour=True)
    assert error.endswith('\x1b[31m{"level": "ERROR"}\x1b[0m')
    assert "\x1b[" not in logs.shown(event(1, '{"level": "INFO"}'), "table", colour=True)
    assert "\x1b[" not in logs.shown(event(1, '{"level": "ERROR"}'), "table", colour=False)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not logs.wants_colour(Terminal())
