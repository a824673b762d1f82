"""localcloud/lambda_/runner.py's prepared workers: a function created or changed has its next
worker started at once, with the function's environment and code, its handler not imported until
the first invocation (whose log stream then shows the init output before START, as on Lambda);
deleting the function or stopping the server leaves no worker."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import boto3
import pytest

from localcloud import LOCAL_CREDENTIALS
from localcloud import server as localcloud
from localcloud.lambda_.runner import FunctionSpec, LambdaRunner
from tests.localcloud.conftest import REGION
from tests.localcloud.lambda_.test_execution import wait_until, worker_processes
from tests.localcloud.stacks import ARTIFACTS, deploy, outputs, python_function_template, upload_code, zipped

# The handler module notes its import (initialisation) in a file and in its log, with its pid.
INIT = """import os, pathlib

pathlib.Path(os.environ["INIT_MARKER"]).write_text(str(os.getpid()))
print("init in", os.getpid(), flush=True)


def handler(event, context):
    return {"pid": os.getpid(), "variant": os.environ.get("VARIANT")}
"""
CRASH_AT_IMPORT = "import os\nos._exit(4)\n"


def waiting_for_requests(pid: int) -> bool:
    """Whether the worker is blocked reading its request pipe: past every import it makes before
    its first request."""
    try:
        return "pipe_read" in Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return False


def environment_of(pid: int) -> dict[str, str]:
    entries = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(entry.decode().split("=", 1) for entry in entries if b"=" in entry)


def log_messages(aws, name: str) -> list[str]:
    pages = aws("logs").get_paginator("filter_log_events").paginate(logGroupName=f"/aws/lambda/{name}")
    return [event["message"] for page in pages for event in page["events"]]


@pytest.fixture
def create(aws, tmp_path):
    """CreateFunction of the INIT handler (or the given files): its name and its init marker file."""

    def create(files: dict[str, str] | None = None, runtime: str = "python3.13", **settings) -> tuple[str, Path]:
        name = f"prepared-{uuid.uuid4().hex[:8]}"
        marker = tmp_path / f"{name}.init"
        role = aws("iam").create_role(RoleName=name, AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        aws("logs").create_log_group(logGroupName=f"/aws/lambda/{name}")  # the role may not create it
        aws("lambda").create_function(
            FunctionName=name,
            Runtime=runtime,
            Handler="init.handler",
            Role=role,
            Code={"S3Bucket": ARTIFACTS, "S3Key": upload_code(aws, zipped(files or {"init.py": INIT}))},
            Environment={"Variables": {"INIT_MARKER": str(marker), "VARIANT": "1"}},
            **settings,
        )
        return name, marker

    return create


def only_worker(endpoint: str, name: str) -> int:
    (pid,) = worker_processes(endpoint, name)
    return pid


def test_a_created_function_has_one_worker_whose_handler_has_not_run(aws, endpoint, create):
    name, marker = create()
    pid = only_worker(endpoint, name)
    wait_until(lambda: waiting_for_requests(pid))
    assert not marker.exists()
    assert log_messages(aws, name) == []
    assert environment_of(pid)["AWS_LAMBDA_FUNCTION_NAME"] == name and environment_of(pid)["VARIANT"] == "1"


def test_the_first_invocation_uses_the_prepared_worker_and_runs_the_init_before_start(aws, endpoint, create):
    name, marker = create()
    pid = only_worker(endpoint, name)
    response = aws("lambda").invoke(FunctionName=name)
    request_id = response["ResponseMetadata"]["RequestId"]
    assert json.loads(response["Payload"].read()) == {"pid": pid, "variant": "1"}
    assert marker.read_text() == str(pid) and worker_processes(endpoint, name) == [pid]
    messages = log_messages(aws, name)
    assert messages[:2] == [f"init in {pid}", f"START RequestId: {request_id} Version: $LATEST"]
    assert messages[2] == f"END RequestId: {request_id}" and messages[3].startswith(f"REPORT RequestId: {request_id}")


@pytest.mark.parametrize("change", ["configuration", "code"])
def test_a_change_replaces_the_prepared_worker(aws, endpoint, create, change):
    name, marker = create()
    before = only_worker(endpoint, name)
    client = aws("lambda")
    if change == "configuration":
        variables = {"INIT_MARKER": str(marker), "VARIANT": "2"}
        client.update_function_configuration(FunctionName=name, Environment={"Variables": variables})
    else:
        new_code = INIT.replace('os.environ.get("VARIANT")', '"new code"')
        client.update_function_code(
            FunctionName=name, S3Bucket=ARTIFACTS, S3Key=upload_code(aws, zipped({"init.py": new_code}))
        )
    after = only_worker(endpoint, name)
    assert after != before and not Path(f"/proc/{before}").exists()
    assert environment_of(after)["VARIANT"] == ("2" if change == "configuration" else "1")
    assert not marker.exists()
    expected = "2" if change == "configuration" else "new code"
    assert json.loads(client.invoke(FunctionName=name)["Payload"].read()) == {"pid": after, "variant": expected}


def test_deleting_the_function_leaves_no_worker(aws, endpoint, create):
    name, _ = create()
    pid = only_worker(endpoint, name)
    aws("lambda").delete_function(FunctionName=name)
    assert worker_processes(endpoint, name) == [] and not Path(f"/proc/{pid}").exists()


def test_deleting_a_version_keeps_the_latest_versions_worker(aws, endpoint, create):
    name, _ = create()
    pid = only_worker(endpoint, name)
    version = aws("lambda").publish_version(FunctionName=name)["Version"]
    aws("lambda").delete_function(FunctionName=name, Qualifier=version)
    assert worker_processes(endpoint, name) == [pid]
    assert json.loads(aws("lambda").invoke(FunctionName=name)["Payload"].read())["pid"] == pid


def test_a_stacks_function_is_prepared_and_deleting_the_stack_leaves_no_worker(aws, endpoint, code_key):
    stack = deploy(aws, "prepared-stack", python_function_template(code_key))
    name = outputs(stack)["FunctionName"]
    assert len(worker_processes(endpoint, name)) == 1
    aws("cloudformation").delete_stack(StackName=stack["StackId"])
    assert worker_processes(endpoint, name) == []


def test_a_function_the_local_cloud_cannot_run_gets_no_worker(aws, endpoint, create):
    name, _ = create(runtime="nodejs20.x")
    assert worker_processes(endpoint, name) == []


def test_a_package_that_is_no_zip_is_created_without_a_worker(aws, endpoint):
    name = f"prepared-{uuid.uuid4().hex[:8]}"
    role = aws("iam").create_role(RoleName=name, AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    aws("lambda").create_function(
        FunctionName=name, Runtime="python3.13", Handler="init.handler", Role=role, Code={"ZipFile": b"not a zip"}
    )
    assert worker_processes(endpoint, name) == []


def test_a_worker_that_dies_in_its_init_still_logs_its_start(aws, endpoint, create):
    name, _ = create({"init.py": CRASH_AT_IMPORT})
    response = aws("lambda").invoke(FunctionName=name)
    request_id = response["ResponseMetadata"]["RequestId"]
    assert json.loads(response["Payload"].read())["errorType"] == "Runtime.ExitError"
    messages = log_messages(aws, name)
    assert messages[0] == f"START RequestId: {request_id} Version: $LATEST"
    assert messages[1].endswith("Runtime exited with error: exit status 4") and messages[2].startswith("END")


def test_stopping_the_server_leaves_no_prepared_worker():
    with localcloud.running() as url:
        session = boto3.session.Session(region_name=REGION, **LOCAL_CREDENTIALS)

        def aws(service: str):
            return session.client(service, endpoint_url=url)

        deploy(aws, "stopped", python_function_template(upload_code(aws, zipped({"app.py": INIT}))))
        assert len(worker_processes(url)) == 1
    assert worker_processes(url) == []


def spec(code: bytes, **settings) -> FunctionSpec:
    values = {
        "name": "unit",
        "arn": "arn:aws:lambda:us-east-1:123456789012:function:unit",
        "region": "us-east-1",
        "handler": "init.handler",
        "code": code,
        "environment": {"INIT_MARKER": "/nonexistent/never-written"},
        "timeout": 3.0,
        "memory": 128,
        "log_group": "/aws/lambda/unit",
    }
    return FunctionSpec(**{**values, **settings})


@pytest.fixture
def runner():
    runner = LambdaRunner("http://127.0.0.1:9", lambda spec, stream, lines: None)
    yield runner
    runner.close()


def test_prepare_starts_one_worker_per_version_and_none_beside_a_busy_one(runner):
    first = spec(zipped({"init.py": INIT}))
    runner.prepare(first)
    runner.prepare(first)
    (prepared,) = runner.idle[first.key]
    busy = runner.acquire(first)
    assert busy is prepared
    runner.prepare(first)
    assert runner.idle[first.key] == []
    runner.retire(first.arn)
    runner.release(busy)
    assert not busy.alive() and not runner.idle.get(first.key)


def test_prepare_gives_no_worker_to_a_package_that_is_no_zip_nor_after_close(runner):
    runner.prepare(spec(b"not a zip"))
    assert runner.idle == {}
    runner.close()
    runner.prepare(spec(zipped({"init.py": INIT})))
    assert runner.idle == {}


def test_a_stacks_function_logs_to_its_own_log_group_from_its_prepared_worker(aws, code_key):
    template = python_function_template(code_key)
    template["Resources"]["Function"]["Properties"]["LoggingConfig"] = {"LogGroup": "prepared-own-group"}
    name = outputs(deploy(aws, "prepared-own-group", template))["FunctionName"]
    request_id = aws("lambda").invoke(FunctionName=name)["ResponseMetadata"]["RequestId"]
    events = aws("logs").filter_log_events(logGroupName="prepared-own-group")["events"]
    assert f"START RequestId: {request_id} Version: $LATEST" in [event["message"] for event in events]
