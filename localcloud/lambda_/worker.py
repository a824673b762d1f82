"""A warm Lambda worker for the local cloud: imports the runtime's libraries while it waits, the
handler at the first request (its initialisation runs then, as on Lambda), then runs one
invocation per request line and answers each with one JSON line, both on pipes of their own. What
the handler (or a child process) writes to stdout or stderr goes to the runner, which streams it
to the function's log group.

Started by runner.py as `python -m localcloud.lambda_.worker MODULE.FUNCTION REQUEST_FD
ANSWER_FD` in the unpacked code's folder; not for people.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import itertools
import json
import os
import sys
import time
import traceback

from localcloud.lambda_ import runtime_logging

# Written to stdout after each invocation's output, so that the runner knows it has all of it.
FLUSHED = "\0localcloud-flushed "
# Written to stdout once the handler is imported and an invocation begins: its START line goes here,
# after what the handler's initialisation printed (Lambda's log stream has init output first).
STARTED = "\0localcloud-started "
# Begins a line whose rest is one log event as JSON text (the runtime frames an error, newlines
# and all, as one event).
EVENT = "\0localcloud-event "
# What the Lambda Python runtime ships beside the standard library (boto3 imports botocore).
RUNTIME_LIBRARIES = ("boto3",)


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


def error_payload(error: BaseException, request_id: str) -> dict:
    """The payload Lambda returns for an unhandled exception: its stack trace starts below this
    module's own frame (at the handler's, or at importlib's for an import error), and an error
    raised at import time has the request id "" (no request had arrived)."""
    below_worker = error.__traceback__.tb_next if error.__traceback__ else None
    return {
        "errorMessage": str(error),
        "errorType": type(error).__name__,
        "requestId": request_id,
        "stackTrace": traceback.format_list(traceback.extract_tb(below_worker)),
    }


def log_error(payload: dict, log_format: str) -> None:
    """The error as one log event, as the runtime's log_error writes it: in JSON one object with
    the payload's keys, in Text "[ERROR] Type: message" then the traceback."""
    if log_format.upper() == "JSON":
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        message = json.dumps({"timestamp": stamp, "log_level": "ERROR", **payload})
    else:
        frames = [line for frame in payload["stackTrace"] for line in frame.splitlines()]
        lines = [f"[ERROR] {payload['errorType']}: {payload['errorMessage']}", "Traceback (most recent call last):"]
        message = "\n".join(lines + frames)
    sys.stdout.flush()
    sys.stdout.write(f"{EVENT}{json.dumps(message)}\n")
    sys.stdout.flush()


def import_runtime_libraries() -> None:
    """Import what the runtime ships, before any request: an idle worker has it loaded. A package
    that ships a copy of its own gets that copy (its folder comes first on the path, as on
    Lambda); one that fails to import fails again at the handler's import, its init error."""
    for name in RUNTIME_LIBRARIES:
        with contextlib.suppress(Exception):  # the handler's own import reports it
            importlib.import_module(name)


def load_handler(handler_name: str):
    """The handler function, or the import error that fails every invocation (as in Lambda)."""
    module_name, function_name = handler_name.rsplit(".", 1)
    try:
        return getattr(importlib.import_module(module_name), function_name), None
    except Exception as error:  # any import error is the function's: Lambda reports it at every invocation
        return None, error


def run(handler, init_error: BaseException | None, request: dict, log_format: str) -> dict:
    """One invocation: {"payload": ...} or {"error": ...}, the error logged as one event."""
    runtime_logging.set_request_id(request["requestId"])
    if init_error is not None:
        error = error_payload(init_error, "")
    else:
        try:
            return {"payload": handler(request["event"], Context(request["requestId"], request["deadline"]))}
        except Exception as raised:  # whatever the handler raises is its invocation error, logged below
            error = error_payload(raised, request["requestId"])
    log_error(error, log_format)
    return {"error": error}


def serve(handler_name: str, requests, answers, log_format: str) -> None:
    """Every request line's invocation, answered; the handler imported when the first one arrives."""
    lines = iter(requests)
    first = next(lines, None)
    if first is None:  # stopped before its first invocation: the handler never ran
        return
    handler, init_error = load_handler(handler_name)
    for line in itertools.chain([first], lines):
        request = json.loads(line)
        mark(STARTED, request["requestId"])
        result = run(handler, init_error, request, log_format)
        mark(FLUSHED, request["requestId"])
        answers.write(json.dumps(result, default=str) + "\n")
        answers.flush()


def mark(marker: str, request_id: str) -> None:
    """A marker line on stdout, after everything written so far (the runner reads them in order)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.write(1, f"{marker}{request_id}\n".encode())


def main() -> None:
    handler_name, request_fd, answer_fd = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    requests = os.fdopen(request_fd, "r", encoding="utf-8")
    answers = os.fdopen(answer_fd, "w", encoding="utf-8")
    log_format = os.environ.get("AWS_LAMBDA_LOG_FORMAT", "Text")
    runtime_logging.install(log_format, os.environ.get("AWS_LAMBDA_LOG_LEVEL", ""))
    gc.disable()  # the runtime's libraries live until exit: no collection sweeps them, now or later
    import_runtime_libraries()
    gc.freeze()
    gc.enable()
    serve(handler_name, requests, answers, log_format)
    gc.freeze()  # the worker exits next: its exit handlers run, the final garbage collection is skipped


if __name__ == "__main__":
    main()
