"""A warm Lambda worker for the local cloud: imports one handler once, then runs one invocation per
line of standard input and answers each with one JSON line (result or error, and captured logs).

Run by lambda_runner.py as `python -P -m localcloud.lambda_worker MODULE.FUNCTION` with the unpacked
code on PYTHONPATH and as the working directory, as Lambda's /var/task; not for people.
"""

from __future__ import annotations

import importlib
import io
import json
import os
import sys
import time
import traceback

from localcloud import runtime_logging


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


def main() -> None:
    handler_name = sys.argv[1]
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    requests = sys.stdin
    captured = io.StringIO()
    sys.stdout = sys.stderr = captured  # the handler's prints and logs, returned per invocation
    runtime_logging.install(os.environ.get("AWS_LAMBDA_LOG_FORMAT", "Text"), os.environ.get("AWS_LAMBDA_LOG_LEVEL", ""))
    module_name, function_name = handler_name.rsplit(".", 1)
    try:
        handler = getattr(importlib.import_module(module_name), function_name)
        init_error = None
    except Exception as error:  # an import error fails every invocation, as in Lambda
        traceback.print_exc()
        handler, init_error = None, error
    for line in requests:
        request = json.loads(line)
        context = Context(request["requestId"], request["deadline"])
        runtime_logging.set_request_id(context.aws_request_id)
        if init_error is not None:
            result = {"error": error_payload(init_error)}
        else:
            try:
                result = {"payload": handler(request["event"], context)}
            except Exception as error:
                traceback.print_exc()
                result = {"error": error_payload(error)}
        result["logs"] = captured.getvalue()
        captured.seek(0)
        captured.truncate()
        answers.write(json.dumps(result, default=str) + "\n")
        answers.flush()


if __name__ == "__main__":
    main()
