"""One JSON object per log line, at the level LOG_LEVEL names (standard library only).

In Lambda with LoggingConfig LogFormat JSON, the runtime's own handler already writes JSON: it
includes the `extra` fields but drops those named like its own keys (timestamp, level, message,
logger, requestId, stackTrace, errorType, errorMessage, location), so the handlers never use those
names. The local cloud installs the runtime's format (localcloud/lambda_/runtime_logging.py); elsewhere
(tests, a shell) this module installs a plain stand-in.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime

STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """timestamp, level, logger, message, the record's `extra` fields, and any exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in STANDARD_ATTRIBUTES})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def get_logger(name: str) -> logging.Logger:
    """A logger at LOG_LEVEL (INFO when unset or unknown) that writes JSON lines."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    logger = logging.getLogger(name)
    level = os.environ.get("LOG_LEVEL", "INFO").upper()
    logger.setLevel(logging.getLevelNamesMapping().get(level, logging.INFO))
    return logger
