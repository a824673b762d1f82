"""Issue 17's "done when", behind a stand-in that answers as LocalStack 4.14.0 in front of the local
cloud: scripts/deploy.py --endpoint names LocalStack and its version, tells what LocalStack ignores,
deploys the whole dev stack for this machine's architecture, an upload is logged, and --destroy
empties the upload bucket itself (LocalStack fakes the custom resource) and leaves no bucket."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request

import boto3
import pytest

from deployment.localstack_gaps import told
from deployment.target_kind import TargetKind, function_architecture
from generator.config import PROFILES
from generator.template import build_template
from localcloud import LOCAL_CREDENTIALS
from localcloud import server as localcloud
from tests.conftest import PROJECT_ROOT
from tests.localstack_stand_in import localstack_stand_in

STACK = "stand-in"
LOGGED_WITHIN_SECONDS = 120


@pytest.fixture(scope="module")
def stand_in():
    with localcloud.running() as cloud, localstack_stand_in(cloud) as url:
        yield url


def aws(url: str, service: str):
    return boto3.client(service, endpoint_url=url, region_name="us-east-1", **LOCAL_CREDENTIALS)


def deploy_script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts" / "deploy.py"), *args],
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )


def logged(url: str, table: str, key: str) -> list[dict]:
    """The items logged for key, waited for up to LOGGED_WITHIN_SECONDS."""
    deadline = time.monotonic() + LOGGED_WITHIN_SECONDS
    while True:
        items = aws(url, "dynamodb").scan(
            TableName=table, FilterExpression="objectKey = :key", ExpressionAttributeValues={":key": {"S": key}}
        )["Items"]
        if items or time.monotonic() > deadline:
            return items
        time.sleep(0.2)


def test_the_stand_in_answers_as_localstack_does(stand_in):
    for path in ("/_localstack/info", "/_localstack/health"):
        with urllib.request.urlopen(stand_in + path, timeout=10) as response:
            answer = json.loads(response.read())
        assert (answer["version"], answer["edition"]) == ("4.14.0", "community")
    assert aws(stand_in, "sts").get_caller_identity()["Account"] == "123456789012"


def test_deploy_logs_and_destroy_behind_localstack(stand_in, tmp_path):
    outputs_file = tmp_path / "outputs.json"
    target = ["--stack-name", STACK, "--endpoint", stand_in]
    deployed = deploy_script(*target, "--outputs-file", str(outputs_file))
    assert deployed.returncode == 0, deployed.stderr
    architecture = function_architecture(TargetKind("LocalStack"), None)
    assert deployed.stdout.startswith(
        f"Target: LocalStack 4.14.0 (community)\nFunction architecture: {architecture}, this machine's"
    )
    assert "LocalStack 4.14.0 (community) does not apply these settings of this stack" in deployed.stdout
    for line in told(build_template(PROFILES["dev"]).to_dict()):
        assert deployed.stdout.count(line) == 1, line
    outputs = json.loads(outputs_file.read_text())
    resources = aws(stand_in, "cloudformation").list_stack_resources(StackName=STACK)["StackResourceSummaries"]
    functions = [r["PhysicalResourceId"] for r in resources if r["ResourceType"] == "AWS::Lambda::Function"]
    assert len(functions) == 2
    for name in functions:
        configuration = aws(stand_in, "lambda").get_function_configuration(FunctionName=name)
        assert configuration["Architectures"] == [architecture]

    s3 = aws(stand_in, "s3")
    bucket = outputs["BucketName"]
    s3.put_object(Bucket=bucket, Key="reports/first.csv", Body=b"a,b\n")
    s3.put_object(Bucket=bucket, Key="reports/second.csv", Body=b"c,d\n")
    assert logged(stand_in, outputs["DynamoDBTableName"], "reports/first.csv")

    destroyed = deploy_script(*target, "--destroy", "--yes")
    assert destroyed.returncode == 0, destroyed.stderr
    assert (
        "LocalStack 4.14.0 (community) does not run custom resources, so UploadsBucketAutoDelete would not empty "
        f"bucket {bucket}: emptied it here, 2 object version(s) and delete marker(s) deleted."
    ) in destroyed.stdout
    assert f"Stack {STACK} deleted." in destroyed.stdout
    assert bucket not in {b["Name"] for b in s3.list_buckets()["Buckets"]}
