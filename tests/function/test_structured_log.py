"""Log lines are JSON objects with the record's extra fields; LOG_LEVEL sets the level."""

import json
import logging

import pytest

from function import structured_log
from tests.function import conftest  # noqa: F401  (puts function/ on the path)


def test_a_line_is_one_json_object_with_extras_and_exception():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed %s", ("here",), None)
        import sys

        record.exc_info = sys.exc_info()
    record.__dict__.update({"recordIndex": 2, "objectKey": "é.txt"})
    line = structured_log.JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["message"] == "failed here" and entry["level"] == "ERROR"
    assert entry["recordIndex"] == 2 and entry["objectKey"] == "é.txt"
    assert "ValueError: boom" in entry["exception"]
    assert entry["timestamp"].endswith("+00:00")
    assert "\n" not in line


@pytest.mark.parametrize(
    "value, level", [("DEBUG", logging.DEBUG), ("warning", logging.WARNING), ("nonsense", logging.INFO)]
)
def test_log_level_comes_from_the_environment(monkeypatch, value, level):
    monkeypatch.setenv("LOG_LEVEL", value)
    assert structured_log.get_logger("t").level == level


def test_a_json_handler_is_installed_only_where_none_exists(monkeypatch):
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    structured_log.get_logger("a")
    structured_log.get_logger("b")
    assert len(root.handlers) == 1
    assert isinstance(root.handlers[0].formatter, structured_log.JsonFormatter)


def test_a_line_without_exception_has_no_exception_field():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "fine", (), None)
    assert "exception" not in json.loads(structured_log.JsonFormatter().format(record))
