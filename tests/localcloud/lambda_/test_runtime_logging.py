"""The local cloud's workers log as the Lambda Python runtime does (awslambdaric's JsonFormatter
and Text format), so that a handler whose log fields the runtime would drop fails here too."""

from __future__ import annotations

import json
import logging
import time

import pytest

from localcloud.lambda_ import runtime_logging

RUNTIME_KEYS = ["timestamp", "level", "logger", "requestId", "stackTrace", "errorType", "errorMessage", "location"]


@pytest.fixture
def install(monkeypatch):
    """runtime_logging.install on the root logger, undone after the test."""
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", root.level)
    monkeypatch.setattr(logging.Formatter, "converter", logging.Formatter.converter)
    monkeypatch.setitem(runtime_logging.CURRENT, "request_id", "")
    return runtime_logging.install


def lines(capsys) -> list[str]:
    return capsys.readouterr().out.splitlines()


def test_json_keeps_the_runtimes_request_id_and_drops_an_extra_of_that_name(install, capsys):
    install("JSON", "")
    runtime_logging.set_request_id("invocation-1")
    logging.getLogger("app").warning("logged %s", "upload", extra={"requestId": "item-7", "itemRequestId": "item-7"})
    (line,) = lines(capsys)
    entry = json.loads(line)
    assert entry["requestId"] == "invocation-1" and entry["itemRequestId"] == "item-7"
    assert entry["message"] == "logged upload" and entry["level"] == "WARNING" and entry["logger"] == "app"
    assert entry["timestamp"].endswith("Z") and len(entry["timestamp"]) == len("2026-11-27T06:00:00.000Z")
    assert "location" not in entry and "errorType" not in entry


@pytest.mark.parametrize("key", RUNTIME_KEYS)
def test_json_drops_every_extra_named_like_a_runtime_key(install, capsys, key):
    install("json", "")
    logging.getLogger("app").warning("m", extra={key: "mine", "kept": 1})
    entry = json.loads(lines(capsys)[0])
    assert entry.get(key) != "mine" and entry["kept"] == 1


def test_json_describes_an_exception_in_its_own_keys(install, capsys):
    install("JSON", "")
    try:
        raise ValueError("bad input")
    except ValueError:
        logging.getLogger("app").exception("failed")
    entry = json.loads(lines(capsys)[0])
    assert entry["errorType"] == "ValueError" and entry["errorMessage"] == "bad input"
    assert "raise ValueError" in "".join(entry["stackTrace"])
    assert ":test_json_describes_an_exception_in_its_own_keys:" in entry["location"]
    assert entry["level"] == "ERROR"


def test_json_rounds_custom_levels_down_and_raises_on_what_it_cannot_encode(install, capsys):
    install("JSON", "DEBUG")
    logger = logging.getLogger("app")
    logger.log(25, "between info and warning")
    assert json.loads(lines(capsys)[0])["level"] == "INFO"
    with pytest.raises(TypeError):  # the runtime does not catch it either: the caller sees it
        logger.warning("m", extra={"when": time})


def test_text_writes_level_time_request_id_and_message_only(install, capsys):
    install("Text", "")
    runtime_logging.set_request_id("invocation-2")
    logging.getLogger("app").warning("hello", extra={"itemRequestId": "item-7"})
    (line,) = lines(capsys)
    level, stamp, request_id, message = line.split("\t")
    assert (level, request_id, message) == ("[WARNING]", "invocation-2", "hello")
    assert time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S") and stamp.endswith("Z")


@pytest.mark.parametrize(
    ("level", "expected"), [("", logging.WARNING), ("trace", logging.DEBUG), ("ERROR", logging.ERROR)]
)
def test_the_log_level_sets_the_root_logger_as_aws_lambda_log_level_does(install, level, expected):
    logging.getLogger().setLevel(logging.WARNING)
    install("JSON", level)
    assert logging.getLogger().level == expected
