"""The Lambda Python runtime's logging, for the local cloud's workers: the root logger writes each
record as the runtime does for the function's LogFormat, JSON or Text.

Reproduces awslambdaric (aws-lambda-python-runtime-interface-client): `_setup_logging` in
bootstrap.py and `JsonFormatter` in lambda_runtime_log_utils.py. What a handler notices: in JSON,
the runtime's own keys win and an `extra` field named like one of them is dropped; in Text, no
`extra` field is written at all; a record that cannot be formatted raises in the logging call.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from datetime import UTC, datetime

# Attributes of every LogRecord, plus the two the runtime's filter adds: never copied into a line.
RECORD_ATTRIBUTES = frozenset(
    {
        "name",
        "msg",
        "args",
        "levelname",
        "levelno",
        "pathname",
        "filename",
        "module",
        "exc_info",
        "exc_text",
        "stack_info",
        "lineno",
        "funcName",
        "created",
        "msecs",
        "relativeCreated",
        "thread",
        "threadName",
        "processName",
        "process",
        "aws_request_id",
        "tenant_id",
        "_frame_type",
    }
)
TEXT_FORMAT = "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n"
TEXT_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"
CURRENT = {"request_id": ""}


def set_request_id(request_id: str) -> None:
    """The invocation that the following records belong to (the runtime keeps it globally too)."""
    CURRENT["request_id"] = request_id


class RequestIdFilter(logging.Filter):
    """Stamps every record with the current invocation's id, as the runtime's filter does."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.aws_request_id = CURRENT["request_id"]
        record.tenant_id = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: timestamp, level, message, logger, requestId and, for an
    exception, stackTrace, errorType, errorMessage and location; then every `extra` field whose
    name none of those took. Keys whose value is None are left out."""

    def format(self, record: logging.LogRecord) -> str:
        record.levelno = min(50, max(0, record.levelno)) // 10 * 10
        record.levelname = logging.getLevelName(record.levelno)
        error = record.exc_info
        created = datetime.fromtimestamp(record.created, tz=UTC)
        entry = {
            "timestamp": created.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
            "stackTrace": traceback.format_tb(error[2]) if error else None,
            "errorType": error[0].__name__ if error else None,
            "errorMessage": str(error[1]) if error else None,
            "requestId": getattr(record, "aws_request_id", None),
            "location": f"{record.pathname}:{record.funcName}:{record.lineno}" if error else None,
        }
        entry.update(
            (key, value) for key, value in vars(record).items() if key not in RECORD_ATTRIBUTES and key not in entry
        )
        return json.dumps({k: v for k, v in entry.items() if v is not None}, ensure_ascii=False) + "\n"


class StdoutHandler(logging.Handler):
    """Writes each formatted record to the current sys.stdout, without catching a formatting
    error: the runtime lets it reach the code that logged."""

    def emit(self, record: logging.LogRecord) -> None:
        sys.stdout.write(self.format(record))


def install(log_format: str, level: str) -> logging.Handler:
    """Configure the root logger as the runtime does for a function whose LoggingConfig has this
    LogFormat ("JSON"; anything else is Text) and whose AWS_LAMBDA_LOG_LEVEL is level ("" when
    unset: the root keeps Python's default); the handler added."""
    logging.Formatter.converter = time.gmtime
    handler = StdoutHandler()
    if log_format.upper() == "JSON":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT, TEXT_DATE_FORMAT))
    level = {"TRACE": "DEBUG"}.get(level.upper(), level.upper())
    root = logging.getLogger()
    if level in logging.getLevelNamesMapping():
        root.setLevel(level)
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    return handler
