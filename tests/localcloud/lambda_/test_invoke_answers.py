"""localcloud/lambda_/async_invocation.py and worker.py: Invoke answers as AWS recorded it
(LocalStack's parity snapshots): an unhandled error's payload and headers, one request id per
invocation, the error as one log event, and {} for an Invoke without a payload."""

from __future__ import annotations

import json
import re
import time

import pytest

from tests.localcloud.stacks import deploy, outputs, python_function_template, upload_code, zipped

UUID = re.compile(r"^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$")
CODE = """import logging
LOGGER = logging.getLogger()
LOGGER.setLevel(logging.INFO)


def handler(event, context):
    if event.get("fail"):
        raise Exception("Handler fails")
    LOGGER.info("RequestId log message")
    return {"event": event, "requestId": context.aws_request_id}
"""


def function_with(aws, stack: str, files: dict[str, str], handler: str, log_format: str = "Text") -> str:
    template = python_function_template(upload_code(aws, zipped(files)), handler=handler)
    template["Resources"]["Function"]["Properties"]["LoggingConfig"] = {"LogFormat": log_format}
    return outputs(deploy(aws, stack, template))["FunctionName"]


@pytest.fixture(scope="module")
def function(aws):
    return function_with(aws, "invoke-answers", {"lambda_handler_error.py": CODE}, "lambda_handler_error.handler")


def log_messages(aws, name: str, until, deadline: float = 60.0) -> list[str]:
    """The function's log events once until(messages) holds (or at the deadline); none while the
    function has not written its first line (Lambda creates the group then)."""
    logs = aws("logs")
    stop = time.monotonic() + deadline
    while True:
        try:
            messages = [
                event["message"] for event in logs.filter_log_events(logGroupName=f"/aws/lambda/{name}")["events"]
            ]
        except logs.exceptions.ResourceNotFoundException:
            messages = []
        if until(messages) or time.monotonic() > stop:
            return messages
        time.sleep(0.1)


def test_a_raising_handler_is_unhandled_with_its_own_frame_first(aws, function):
    """tests/aws/services/lambda_/test_lambda.py::TestLambdaErrors::test_lambda_handler_error"""
    response = aws("lambda").invoke(FunctionName=function, Payload=b'{"fail": 1}')
    payload = json.loads(response["Payload"].read())
    assert response["StatusCode"] == 200
    assert response["FunctionError"] == "Unhandled" and response["ExecutedVersion"] == "$LATEST"
    assert list(payload) == ["errorMessage", "errorType", "requestId", "stackTrace"]
    assert payload["errorMessage"] == "Handler fails" and payload["errorType"] == "Exception"
    assert payload["requestId"] == response["ResponseMetadata"]["RequestId"]
    assert payload["stackTrace"][0].startswith('  File "') and "lambda_handler_error.py" in payload["stackTrace"][0]
    assert payload["stackTrace"][0].endswith(', in handler\n    raise Exception("Handler fails")\n')
    assert not any("localcloud" in frame for frame in payload["stackTrace"])


def test_an_import_error_has_an_empty_request_id_and_ends_at_the_modules_line(aws):
    """tests/aws/services/lambda_/test_lambda.py::TestLambdaErrors::test_lambda_runtime_error"""
    files = {"lambda_runtime_error.py": 'raise Exception("Runtime startup fails")\n'}
    name = function_with(aws, "import-error", files, "lambda_runtime_error.handler")
    response = aws("lambda").invoke(FunctionName=name)
    payload = json.loads(response["Payload"].read())
    assert response["FunctionError"] == "Unhandled" and response["ExecutedVersion"] == "$LATEST"
    assert payload["errorMessage"] == "Runtime startup fails" and payload["errorType"] == "Exception"
    assert payload["requestId"] == ""
    assert payload["stackTrace"][-1].endswith('line 1, in <module>\n    raise Exception("Runtime startup fails")\n')
    assert not any("localcloud" in frame for frame in payload["stackTrace"])


def test_a_synchronous_invoke_answers_the_handlers_request_id(aws, function):
    """tests/aws/services/lambda_/test_lambda.py::TestRequestIdHandling::test_request_id_invoke"""
    response = aws("lambda").invoke(FunctionName=function)
    request_id = response["ResponseMetadata"]["RequestId"]
    payload = json.loads(response["Payload"].read())
    assert UUID.match(request_id) and payload["requestId"] == request_id
    assert response["ExecutedVersion"] == "$LATEST" and "FunctionError" not in response
    messages = log_messages(aws, function, lambda found: f"REPORT RequestId: {request_id}" in "".join(found))
    mine = [m for m in messages if request_id in m]
    assert mine[0] == f"START RequestId: {request_id} Version: $LATEST"
    assert re.match(rf"^\[INFO\]\t\S+\t{request_id}\tRequestId log message$", mine[1].rstrip())
    assert mine[2] == f"END RequestId: {request_id}"
    report = rf"REPORT RequestId: {request_id}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB"
    assert re.fullmatch(report + r"\tMax Memory Used: [1-9]\d* MB", mine[3].rstrip()), mine[3]


def test_every_lambda_answer_has_one_uuid_request_id(aws, function):
    """tests/aws/services/lambda_/test_lambda.py::TestRequestIdHandling::test_request_id_format:
    ListFunctions' request id is a UUID; so is every other answer's, an error's too, each its own."""
    client = aws("lambda")
    answers = [client.list_functions(), client.get_function(FunctionName=function), client.get_account_settings()]
    with pytest.raises(client.exceptions.ResourceNotFoundException) as missing:
        client.get_function(FunctionName="no-such-function")
    metadata = [answer["ResponseMetadata"] for answer in answers] + [missing.value.response["ResponseMetadata"]]
    ids = [m["HTTPHeaders"]["x-amzn-requestid"] for m in metadata]
    assert all(UUID.match(request_id) for request_id in ids), ids
    assert [m["RequestId"] for m in metadata] == ids and len(set(ids)) == len(ids)


def test_an_invoke_without_a_payload_hands_the_handler_an_empty_dict(aws, function):
    """tests/aws/services/lambda_/test_lambda.py::TestLambdaBehavior::test_runtime_introspection_x86"""
    response = aws("lambda").invoke(FunctionName=function)
    assert json.loads(response["Payload"].read())["event"] == {}


def test_an_event_invoke_answers_one_id_seen_by_every_retry(aws, function):
    """tests/aws/services/lambda_/test_lambda.py::TestRequestIdHandling::test_request_id_async_invoke_with_retry"""
    aws("lambda").put_function_event_invoke_config(FunctionName=function, MaximumRetryAttempts=1)
    response = aws("lambda").invoke(FunctionName=function, InvocationType="Event", Payload=b'{"fail": 1}')
    request_id = response["ResponseMetadata"]["RequestId"]
    assert response["StatusCode"] == 202 and UUID.match(request_id)
    messages = log_messages(aws, function, lambda found: found.count(f"REPORT RequestId: {request_id}") == 2)
    ends = [m for m in messages if m.startswith("END RequestId: ")]
    assert ends.count(f"END RequestId: {request_id}") == 2
    assert sum(m.startswith(f"REPORT RequestId: {request_id}\t") for m in messages) == 2


@pytest.mark.parametrize("log_format", ["Text", "JSON"])
def test_a_raised_error_is_one_log_event_without_a_local_cloud_frame(aws, log_format):
    """Issue 20 item 10: the runtime writes one event per unhandled error (awslambdaric's log_error)."""
    files = {"lambda_handler_error.py": CODE}
    name = function_with(aws, f"error-log-{log_format.lower()}", files, "lambda_handler_error.handler", log_format)
    request_id = aws("lambda").invoke(FunctionName=name, Payload=b'{"fail": 1}')["ResponseMetadata"]["RequestId"]
    messages = log_messages(aws, name, lambda found: f"END RequestId: {request_id}" in found)
    start = messages.index(f"START RequestId: {request_id} Version: $LATEST")
    between = messages[start + 1 : messages.index(f"END RequestId: {request_id}")]
    assert len(between) == 1 and "localcloud" not in between[0]
    if log_format == "JSON":
        error = json.loads(between[0])
        assert error["errorType"] == "Exception" and error["errorMessage"] == "Handler fails"
        assert error["requestId"] == request_id
        assert error["stackTrace"][0].endswith('raise Exception("Handler fails")\n')
    else:
        lines = between[0].splitlines()
        assert lines[:2] == ["[ERROR] Exception: Handler fails", "Traceback (most recent call last):"]
        assert lines[-1] == '    raise Exception("Handler fails")'


RETRIED = """import os
import boto3


def handler(event, context):
    print("variant", os.environ["VARIANT"], context.aws_request_id)
    if os.environ["VARIANT"] == "1":
        boto3.client("lambda").update_function_configuration(
            FunctionName=context.function_name, Environment={"Variables": {"VARIANT": "2"}}
        )
        raise Exception("variant 1 fails")
"""


def test_a_retried_event_runs_the_functions_latest_configuration(aws):
    """tests/aws/services/lambda_/test_lambda.py::TestLambdaVersions::test_async_invoke_queue_upon_function_update:
    an event runs $LATEST as it is when dequeued; here the first attempt updates the function."""
    template = python_function_template(upload_code(aws, zipped({"retried.py": RETRIED})), handler="retried.handler")
    properties = template["Resources"]["Function"]["Properties"]
    properties["Environment"] = {"Variables": {"VARIANT": "1"}}
    allow = {"Effect": "Allow", "Action": "lambda:UpdateFunctionConfiguration", "Resource": "*"}
    template["Resources"]["Role"]["Properties"]["Policies"] = [
        {"PolicyName": "update-itself", "PolicyDocument": {"Version": "2012-10-17", "Statement": [allow]}}
    ]
    name = outputs(deploy(aws, "retried-latest", template))["FunctionName"]
    request_id = aws("lambda").invoke(FunctionName=name, InvocationType="Event")["ResponseMetadata"]["RequestId"]
    messages = log_messages(aws, name, lambda found: any(m.startswith("variant 2") for m in found))
    assert [m for m in messages if m.startswith("variant")] == [f"variant 1 {request_id}", f"variant 2 {request_id}"]
