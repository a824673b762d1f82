"""A warm Lambda worker for the local cloud: imports one handler once, then runs one invocation
per request line and answers each with one JSON line, both on pipes of their own. What the
handler (or a child process) writes to stdout or stderr goes to the runner, which streams it to
the function's log group.

Started by lambda_runner.py as `python -m localcloud.lambda_.worker MODULE.FUNCTION REQUEST_FD
ANSWER_FD` in the unpacked code's folder; not for people.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback

from localcloud.lambda_ import runtime_logging

# Written to stdout after each invocation's output, so that the runner knows it has all of it.
FLUSHED = "\0localcloud-flushed "


class Context:
    """The parts of Lambda's context object that handlers use."""

    def __init__(self, request_id: str, deadline: float):
        self.aws_request_id = request_id
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = "$LATEST"
        self.invoked_function_arn = os.environ.get("UPLOADTRAIL_FUNCTION_ARN", "")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.time()) * 1000))


def error_payload(error: BaseException) -> dict:
    """The payload Lambda returns for an unhandled exception."""
    return {
        "errorMessage": str(error),
        "errorType": type(error).__name__,
        "stackTrace": traceback.format_tb(error.__traceback__),
    }


def load_handler(handler_name: str):
    """The handler function, or the import error that fails every invocation (as in Lambda)."""
    module_name, function_name = handler_name.rsplit(".", 1)
    try:
        return getattr(importlib.import_module(module_name), function_name), None
    except Exception as error:
        traceback.print_exc()
        return None, error


def run(handler, init_error: BaseException | None, request: dict) -> dict:
    """One invocation: {"payload": ...} or {"error": ...}."""
    runtime_logging.set_request_id(request["requestId"])
    if init_error is not None:
        return {"error": error_payload(init_error)}
    try:
        return {"payload": handler(request["event"], Context(request["requestId"], request["deadline"]))}
    except Exception as error:
        traceback.print_exc()
        return {"error": error_payload(error)}


def main() -> None:
    handler_name, request_fd, answer_fd = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    requests = os.fdopen(request_fd, "r", encoding="utf-8")
    answers = os.fdopen(answer_fd, "w", encoding="utf-8")
    runtime_logging.install(os.environ.get("AWS_LAMBDA_LOG_FORMAT", "Text"), os.environ.get("AWS_LAMBDA_LOG_LEVEL", ""))
    handler, init_error = load_handler(handler_name)
    for line in requests:
        request = json.loads(line)
        result = run(handler, init_error, request)
        sys.stdout.flush()
        sys.stderr.flush()
        os.write(1, f"{FLUSHED}{request['requestId']}\n".encode())
        answers.write(json.dumps(result, default=str) + "\n")
        answers.flush()


if __name__ == "__main__":
    main()
