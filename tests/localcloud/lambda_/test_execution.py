"""localcloud/lambda_/execution.py: functions run in local workers and fail, hang and crash as in
Lambda, log as the runtime does, and many uploads leave no stray process."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.localcloud.stacks import deploy, outputs, permit_s3, python_function_template


@pytest.fixture(scope="module")
def function(aws, code_key):
    template = python_function_template(code_key, timeout=2)
    template["Resources"]["Function"]["Properties"]["Environment"] = {"Variables": {"TABLE_NAME": "t"}}
    return outputs(deploy(aws, "runner", template))["FunctionName"]


def invoke(aws, name: str, event: dict) -> tuple[dict, str | None]:
    response = aws("lambda").invoke(FunctionName=name, Payload=json.dumps(event).encode())
    return json.loads(response["Payload"].read()), response.get("FunctionError")


def test_a_handler_runs_with_its_environment_and_context(aws, function):
    payload, error = invoke(aws, function, {"value": "é"})
    assert error is None
    assert payload["echo"] == {"value": "é"} and payload["table"] == "t"
    assert 0 < payload["remaining"] <= 2000
    messages = [e["message"] for e in aws("logs").filter_log_events(logGroupName=f"/aws/lambda/{function}")["events"]]
    assert any('seen {"value": "\\u00e9"}' in m for m in messages)


def test_an_exception_is_an_invocation_error_with_its_traceback_logged(aws, function):
    payload, error = invoke(aws, function, {"action": "raise", "value": 7})
    assert error and payload["errorType"] == "ValueError" and payload["errorMessage"] == "bad input: 7"
    messages = "\n".join(
        e["message"] for e in aws("logs").filter_log_events(logGroupName=f"/aws/lambda/{function}")["events"]
    )
    assert "Traceback" in messages and "ValueError: bad input: 7" in messages


def test_a_hanging_handler_is_stopped_at_its_timeout_and_the_next_call_works(aws, function):
    started = time.monotonic()
    payload, error = invoke(aws, function, {"action": "sleep"})
    assert error and payload["errorType"] == "Sandbox.Timedout"
    assert "Task timed out after 2.00 seconds" in payload["errorMessage"]
    assert time.monotonic() - started < 10
    assert invoke(aws, function, {"value": 1})[1] is None


def test_a_crashing_handler_does_not_stop_the_server(aws, function):
    payload, error = invoke(aws, function, {"action": "crash"})
    assert error and payload["errorType"] == "Runtime.ExitError"
    assert invoke(aws, function, {"value": 2})[1] is None


def test_a_handler_that_cannot_be_imported_fails_every_invocation(aws, code_key):
    name = outputs(deploy(aws, "broken", python_function_template(code_key, handler="missing.handler")))["FunctionName"]
    payload, error = invoke(aws, name, {})
    assert error and payload["errorType"] == "ModuleNotFoundError"


def test_a_role_that_may_not_create_the_log_group_loses_the_functions_logs_as_on_aws(aws, code_key):
    """Lambda creates a missing log group with the execution role: the stack's roles deny that, so
    lines that arrive after a stack delete cannot bring the group back and block a re-create."""
    template = python_function_template(code_key)
    deny = {"Effect": "Deny", "Action": "logs:CreateLogGroup", "Resource": "*"}
    template["Resources"]["Role"]["Properties"]["Policies"] = [
        {"PolicyName": "no-log-groups", "PolicyDocument": {"Version": "2012-10-17", "Statement": [deny]}}
    ]
    name = outputs(deploy(aws, "no-log-group", template))["FunctionName"]
    payload, error = invoke(aws, name, {"action": "echo"})
    assert error is None and payload["echo"] == {"action": "echo"}
    assert aws("logs").describe_log_groups(logGroupNamePrefix=f"/aws/lambda/{name}")["logGroups"] == []


@pytest.mark.parametrize("log_format", ["JSON", "Text"])
def test_a_function_logs_in_its_log_format_as_the_lambda_runtime_does(aws, code_key, log_format):
    template = python_function_template(code_key, handler="app.logs")
    template["Resources"]["Function"]["Properties"]["LoggingConfig"] = {"LogFormat": log_format}
    name = outputs(deploy(aws, f"log-format-{log_format.lower()}", template))["FunctionName"]
    request_id, error = invoke(aws, name, {})
    assert error is None
    messages = [e["message"] for e in aws("logs").filter_log_events(logGroupName=f"/aws/lambda/{name}")["events"]]
    (line,) = [m for m in messages if "hello" in m]
    if log_format == "JSON":  # the runtime's requestId wins; an extra of that name is dropped
        entry = json.loads(line)
        assert (entry["requestId"], entry["itemRequestId"], entry["level"]) == (request_id, "item-7", "INFO")
    else:  # Text writes no extra field at all
        assert line.startswith("[INFO]\t") and line.rstrip("\n").endswith(f"\t{request_id}\thello")


def worker_processes(endpoint: str, function: str = "") -> list[int]:
    """Worker processes of this local cloud (of one function, when named)."""
    marker = f"AWS_LAMBDA_FUNCTION_NAME={function}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (
                b"localcloud.lambda_.worker" in (entry / "cmdline").read_bytes()
                and endpoint.encode() in (environ := (entry / "environ").read_bytes())
                and marker in environ
            ):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def server_rss_kb(endpoint: str) -> int:
    port = endpoint.rsplit(":", 1)[1]
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if [b"--port", port.encode()] in [cmdline[i : i + 2] for i in range(len(cmdline))]:  # the server
            status = (entry / "status").read_text()
            return int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1])
    raise AssertionError("local cloud process not found")


def invocations_logged(aws, function: str) -> int:
    """Invocations that ended, by their END lines (0 before the function's first log line)."""
    logs = aws("logs")
    pages = logs.get_paginator("filter_log_events").paginate(
        logGroupName=f"/aws/lambda/{function}", filterPattern="END"
    )
    try:
        return sum(1 for page in pages for event in page["events"] if event["message"].startswith("END RequestId"))
    except logs.exceptions.ResourceNotFoundException:
        return 0


def test_two_hundred_uploads_leave_no_stray_process_or_growing_memory(aws, endpoint, function):
    s3 = aws("s3")
    s3.create_bucket(Bucket="reliability-uploads")
    arn = aws("lambda").get_function(FunctionName=function)["Configuration"]["FunctionArn"]
    permit_s3(aws, arn, "reliability-uploads")
    s3.put_bucket_notification_configuration(
        Bucket="reliability-uploads",
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [{"LambdaFunctionArn": arn, "Events": ["s3:ObjectCreated:*"]}]
        },
    )
    invoked_at_start = invocations_logged(aws, function)
    for n in range(50):
        s3.put_object(Bucket="reliability-uploads", Key=f"warm-{n}", Body=b"x")
    wait_until(lambda: invocations_logged(aws, function) - invoked_at_start == 50)
    workers_before = worker_processes(endpoint, function)
    rss_before = server_rss_kb(endpoint)
    invoked_before = invocations_logged(aws, function)
    for n in range(200):
        s3.put_object(Bucket="reliability-uploads", Key=f"upload-{n}", Body=b"x")
    wait_until(lambda: invocations_logged(aws, function) - invoked_before == 200)
    assert 1 <= len(workers_before) <= 4 and len(worker_processes(endpoint, function)) <= 4  # the default concurrency
    assert server_rss_kb(endpoint) - rss_before < 30_000


def wait_until(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met before the deadline"
        time.sleep(0.1)
