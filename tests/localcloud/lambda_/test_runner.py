"""Workers that cannot be confused: answers travel on a pipe of their own, whatever the handler or
its child processes print; that output streams to the log group as it is written (a timed-out
call's included); a worker that timed out is gone."""

from __future__ import annotations

import json
import os

import pytest

from tests.localcloud.stacks import deploy, outputs, python_function_template, upload_code, zipped

APP = """
import json, os, subprocess, sys, time

def handler(event, context):
    print(json.dumps({"payload": "forged by print"}))
    sys.stderr.write('{"error": {"errorMessage": "forged on stderr"}}\\n')
    child = "import json; print(json.dumps({'payload': 'forged by a child'}))"
    subprocess.run([sys.executable, "-c", child], check=True)
    os.system("echo child-says-" + str(event.get("n")))
    if event.get("sleep"):
        print("working on it, pid", os.getpid(), flush=True)
        time.sleep(60)
    return {"n": event.get("n")}
"""


@pytest.fixture(scope="module")
def noisy(aws):
    key = upload_code(aws, zipped({"app.py": APP}))
    return outputs(deploy(aws, "noisy-worker", python_function_template(key, timeout=2)))["FunctionName"]


def invoke(aws, name: str, event: dict) -> tuple[dict, str | None, str]:
    import base64

    response = aws("lambda").invoke(FunctionName=name, Payload=json.dumps(event).encode(), LogType="Tail")
    tail = base64.b64decode(response.get("LogResult", "")).decode()
    return json.loads(response["Payload"].read()), response.get("FunctionError"), tail


def log_messages(aws, name: str) -> list[str]:
    pages = aws("logs").get_paginator("filter_log_events").paginate(logGroupName=f"/aws/lambda/{name}")
    return [event["message"] for page in pages for event in page["events"]]


def test_answers_are_not_confused_by_what_the_handler_or_its_children_print(aws, noisy):
    for n in (1, 2, 3):
        payload, error, tail = invoke(aws, noisy, {"n": n})
        assert (payload, error) == ({"n": n}, None)
        assert f"child-says-{n}" in tail and "forged by a child" in tail and "forged on stderr" in tail
    messages = log_messages(aws, noisy)
    assert {"child-says-1", "child-says-2", "child-says-3"} <= set(messages)
    assert sum(m.startswith("REPORT RequestId:") for m in messages) >= 3


def test_a_timed_out_call_keeps_its_output_and_its_worker_is_gone(aws, noisy):
    payload, error, _ = invoke(aws, noisy, {"n": 4, "sleep": True})
    assert error and payload["errorType"] == "Sandbox.Timedout"
    messages = log_messages(aws, noisy)
    (working,) = [m for m in messages if m.startswith("working on it")]
    assert any(m.endswith("Task timed out after 2.00 seconds") for m in messages)
    pid = int(working.rsplit(" ", 1)[1])
    assert not os.path.exists(f"/proc/{pid}") or "zombie" in open(f"/proc/{pid}/status").read().lower()
    assert invoke(aws, noisy, {"n": 5})[:2] == ({"n": 5}, None)
