"""The local cloud closes moto's gaps: functions run (and fail, hang and crash as in Lambda),
custom resources answer, and stack deletion behaves as CloudFormation's."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.localcloud.stacks import deploy, events, outputs, python_function_template, upload_code, zipped

APP = """
import json, logging, os, sys, time, urllib.request

LOGGER = logging.getLogger("app")
LOGGER.setLevel(logging.INFO)

def handler(event, context):
    action = event.get("action")
    if action == "sleep":
        time.sleep(30)
    if action == "crash":
        os._exit(3)
    if action == "raise":
        raise ValueError("bad input: " + str(event.get("value")))
    print("seen", json.dumps(event))
    return {"echo": event, "remaining": context.get_remaining_time_in_millis(), "table": os.environ.get("TABLE_NAME")}

def logs(event, context):
    LOGGER.info("hello", extra={"requestId": "item-7", "itemRequestId": "item-7"})
    return context.aws_request_id

def custom(event, context):
    answer = {
        "Status": event["ResourceProperties"].get("Answer", "SUCCESS"),
        "Reason": "told to " + event["ResourceProperties"].get("Answer", "succeed"),
        "PhysicalResourceId": "custom-1",
        "StackId": event["StackId"], "RequestId": event["RequestId"], "LogicalResourceId": event["LogicalResourceId"],
        "Data": {"Seen": event["RequestType"]},
    }
    if event["RequestType"] == "Delete" and event["ResourceProperties"].get("FailDelete"):
        answer["Status"], answer["Reason"] = "FAILED", "refusing to delete"
    body = json.dumps(answer).encode()
    urllib.request.urlopen(urllib.request.Request(event["ResponseURL"], data=body, method="PUT"))
"""


@pytest.fixture(scope="module")
def code_key(aws):
    return upload_code(aws, zipped({"app.py": APP}))


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


def custom_resource_template(code_key: str, **properties) -> dict:
    template = python_function_template(code_key, handler="app.custom")
    template["Resources"]["Custom"] = {
        "Type": "Custom::Probe",
        "Properties": {"ServiceToken": {"Fn::GetAtt": ["Function", "Arn"]}, **properties},
    }
    template["Outputs"]["Seen"] = {"Value": {"Fn::GetAtt": ["Custom", "Seen"]}}
    return template


def test_custom_resources_get_create_update_and_delete(aws, code_key):
    stack = deploy(aws, "custom-ok", custom_resource_template(code_key, Version="1"))
    assert stack["StackStatus"] == "CREATE_COMPLETE" and outputs(stack)["Seen"] == "Create"
    stack = deploy(aws, "custom-ok", custom_resource_template(code_key, Version="2"))
    assert outputs(stack)["Seen"] == "Update"
    aws("cloudformation").delete_stack(StackName="custom-ok")
    assert ("Custom", "DELETE_COMPLETE", None) in events(aws, stack["StackId"])


def test_a_failed_custom_resource_rolls_the_stack_back_with_its_reason(aws, code_key):
    stack = deploy(aws, "custom-failed", custom_resource_template(code_key, Answer="FAILED"))
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    failed = [reason for logical, status, reason in events(aws, stack["StackId"]) if status == "CREATE_FAILED"]
    assert failed and "told to FAILED" in failed[0]
    aws("cloudformation").delete_stack(StackName=stack["StackId"])


def test_a_failed_delete_keeps_the_stack_listed_as_delete_failed(aws, code_key):
    stack = deploy(aws, "custom-stuck", custom_resource_template(code_key, FailDelete="yes"))
    aws("cloudformation").delete_stack(StackName="custom-stuck")
    described = aws("cloudformation").describe_stacks(StackName="custom-stuck")["Stacks"][0]
    assert described["StackStatus"] == "DELETE_FAILED"
    assert ("Custom", "DELETE_FAILED", "Custom: refusing to delete") in events(aws, stack["StackId"])


def test_a_non_empty_bucket_fails_the_delete_as_in_aws(aws):
    template = {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "full-bucket"}}}}
    stack = deploy(aws, "full-bucket", template)
    aws("s3").put_object(Bucket="full-bucket", Key="k", Body=b"x")
    aws("cloudformation").delete_stack(StackName="full-bucket")
    assert aws("cloudformation").describe_stacks(StackName="full-bucket")["Stacks"][0]["StackStatus"] == "DELETE_FAILED"
    reasons = [reason for _, status, reason in events(aws, stack["StackId"]) if status == "DELETE_FAILED"]
    assert "not empty" in reasons[0]
    aws("s3").delete_object(Bucket="full-bucket", Key="k")
    aws("cloudformation").delete_stack(StackName="full-bucket")
    assert (
        aws("cloudformation").describe_stacks(StackName=stack["StackId"])["Stacks"][0]["StackStatus"]
        == "DELETE_COMPLETE"
    )


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


def test_resources_removed_by_hand_do_not_block_the_stack_delete_as_in_aws(aws):
    table = {
        "Type": "AWS::DynamoDB::Table",
        "Properties": {
            "TableName": "gone-table",
            "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
            "BillingMode": "PAY_PER_REQUEST",
        },
    }
    bucket = {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "gone-bucket"}}
    stack = deploy(aws, "gone", {"Resources": {"Table": table, "Bucket": bucket}})
    aws("dynamodb").delete_table(TableName="gone-table")
    aws("s3").delete_bucket(Bucket="gone-bucket")
    aws("cloudformation").delete_stack(StackName="gone")
    described = aws("cloudformation").describe_stacks(StackName=stack["StackId"])["Stacks"][0]
    assert described["StackStatus"] == "DELETE_COMPLETE"
    deleted = {logical for logical, status, _ in events(aws, stack["StackId"]) if status == "DELETE_COMPLETE"}
    assert {"Table", "Bucket"} <= deleted


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


def retaining_template(bucket: str, fail: bool, code_key: str) -> dict:
    """Two buckets, one RetainExceptOnCreate and one Retain, and (when fail) a custom resource
    created after them that fails the create."""
    template = custom_resource_template(code_key, Answer="FAILED" if fail else "SUCCESS")
    template["Resources"]["Custom"]["DependsOn"] = ["KeptExceptOnCreate", "Kept"]
    for logical, policy in [("KeptExceptOnCreate", "RetainExceptOnCreate"), ("Kept", "Retain")]:
        template["Resources"][logical] = {
            "Type": "AWS::S3::Bucket",
            "DeletionPolicy": policy,
            "Properties": {"BucketName": f"{bucket}-{logical.lower()}"},
        }
    return template


def bucket_names(aws) -> set[str]:
    return {b["Name"] for b in aws("s3").list_buckets()["Buckets"]}


def test_retain_except_on_create_is_deleted_by_a_failed_create_and_kept_by_a_delete(aws, code_key):
    failed = deploy(aws, "retain-failed", retaining_template("rf", True, code_key))
    assert failed["StackStatus"] == "ROLLBACK_COMPLETE"
    assert "rf-keptexceptoncreate" not in bucket_names(aws) and "rf-kept" in bucket_names(aws)
    assert ("KeptExceptOnCreate", "DELETE_COMPLETE", None) in events(aws, failed["StackId"])
    aws("cloudformation").delete_stack(StackName=failed["StackId"])
    created = deploy(aws, "retain-deleted", retaining_template("rd", False, code_key))
    aws("cloudformation").delete_stack(StackName="retain-deleted")
    assert {"rd-keptexceptoncreate", "rd-kept"} <= bucket_names(aws)
    skipped = [logical for logical, status, _ in events(aws, created["StackId"]) if status == "DELETE_SKIPPED"]
    assert sorted(skipped) == ["Kept", "KeptExceptOnCreate"]


def worker_processes(endpoint: str, function: str = "") -> list[int]:
    """Worker processes of this local cloud (of one function, when named)."""
    marker = f"AWS_LAMBDA_FUNCTION_NAME={function}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (
                b"localcloud.lambda_worker" in (entry / "cmdline").read_bytes()
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
        if b"localcloud" in cmdline and port.encode() in cmdline:
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


def test_the_command_refuses_a_port_in_use_with_a_message():
    import socket
    import subprocess
    import sys

    from tests.conftest import PROJECT_ROOT

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "scripts/localcloud.py", "--port", str(port)],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr and "Traceback" not in result.stderr


def test_a_server_that_dies_at_start_is_reported_with_its_output():
    import socket

    from localcloud import server as localcloud

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(RuntimeError, match="(?s)the local cloud did not start.*cannot serve on"):
            with localcloud.running(port=taken.getsockname()[1]):
                pass


def test_a_parameter_only_change_is_listed_in_the_change_set(aws):
    import uuid

    template = {
        "Parameters": {"Retention": {"Type": "Number"}},
        "Resources": {
            "Group": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": {"Ref": "Retention"}}}
        },
    }
    deploy(aws, "params", template, {"Retention": "7"})
    cloudformation = aws("cloudformation")
    change_set = cloudformation.create_change_set(
        StackName="params",
        ChangeSetName=f"c-{uuid.uuid4().hex[:6]}",
        ChangeSetType="UPDATE",
        TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": "Retention", "ParameterValue": "14"}],
    )
    changes = cloudformation.describe_change_set(ChangeSetName=change_set["Id"])["Changes"]
    assert [(c["ResourceChange"]["Action"], c["ResourceChange"]["LogicalResourceId"]) for c in changes] == [
        ("Modify", "Group")
    ]
