"""localcloud/lambda_/execution_role.py: each execution environment of a function gets its own
credentials of the function's role, as AWS recorded it (LocalStack's parity snapshots)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from tests.localcloud.stacks import deploy, outputs, python_function_template, upload_code, zipped

CODE = """import os
import time
import boto3


def handler(event, context):
    time.sleep(event["sleep"])
    keys = {name: os.environ[name] for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")}
    identity = boto3.client("sts").get_caller_identity()
    return {"stream": os.environ["AWS_LAMBDA_LOG_STREAM_NAME"], "keys": keys, "arn": identity["Arn"]}
"""


def test_concurrent_environments_have_their_own_keys_of_the_same_role(aws):
    """tests/aws/services/lambda_/test_lambda.py::TestLambdaBaseFeatures::test_lambda_different_iam_keys_environment"""
    template = python_function_template(upload_code(aws, zipped({"keys.py": CODE})), handler="keys.handler", timeout=20)
    name = outputs(deploy(aws, "environment-keys", template))["FunctionName"]

    def invoke(_: int) -> dict:
        response = aws("lambda").invoke(FunctionName=name, Payload=json.dumps({"sleep": 2}).encode())
        return json.loads(response["Payload"].read())

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(invoke, range(2))
    assert first["stream"] != second["stream"]
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        assert first["keys"][key] != second["keys"][key]
    role = aws("lambda").get_function_configuration(FunctionName=name)["Role"]
    expected = role.replace(":iam:", ":sts:").replace(":role/", ":assumed-role/") + f"/{name}"
    assert first["arn"] == second["arn"] == expected
