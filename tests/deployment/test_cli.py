"""scripts/deploy.py as a user runs it: help, bad input, unreachable endpoints, missing
credentials, confirmation, dry runs, interruptions and the README's --local command."""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import time

import pytest

from deployment import cli as deploy
from deployment.deployer import Deployer, DeploymentFailed
from localcloud import server as localcloud
from tests.conftest import PROJECT_ROOT


@pytest.fixture(scope="module")
def endpoint():
    with localcloud.running() as url:
        yield url


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_help_explains_every_option():
    result = subprocess.run(
        [sys.executable, "scripts/deploy.py", "--help"], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0
    for option in [
        "--stack-name",
        "--profile-name",
        "--profile",
        "--region",
        "--endpoint",
        "--local",
        "--outputs-file",
        "--diff",
        "--dry-run",
        "--destroy",
        "--yes",
    ]:
        assert option in result.stdout
    assert "Exit codes: 0 success" in result.stdout


@pytest.mark.parametrize(
    "argv", [["--local", "--endpoint", "http://x"], ["--destroy", "--local"], ["--profile-name", "staging"]]
)
def test_bad_usage_exits_2(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        deploy.main(argv)
    assert exit_.value.code == 2


def test_a_stack_name_that_cannot_name_the_bucket_is_refused_before_any_call(capsys):
    assert deploy.main(["--stack-name", "Uploads_Dev", "--endpoint", f"http://127.0.0.1:{closed_port()}"]) == 2
    assert "stack name 'Uploads_Dev' cannot form the upload bucket name" in capsys.readouterr().err


def test_an_unreachable_endpoint_fails_fast_and_names_it(capsys):
    url = f"http://127.0.0.1:{closed_port()}"
    started = time.monotonic()
    assert deploy.main(["--endpoint", url]) == 1
    assert time.monotonic() - started < 20
    err = capsys.readouterr().err
    assert f"cannot reach endpoint {url}" in err and "Traceback" not in err


def test_missing_credentials_say_how_to_configure_them(monkeypatch, tmp_path, capsys):
    for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    for name in [
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ]:
        monkeypatch.delenv(name, raising=False)
    assert deploy.main(["--region", "us-east-1"]) == 1
    assert "no AWS credentials found. Run `aws configure`" in capsys.readouterr().err


def test_an_unknown_credentials_profile_is_bad_usage(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    assert deploy.main(["--profile", "nope"]) == 2
    assert "nope" in capsys.readouterr().err


def test_destroy_without_a_terminal_or_yes_refuses(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert deploy.main(["--destroy", "--endpoint", "http://127.0.0.1:1"]) == 2
    assert "without confirmation" in capsys.readouterr().err


@pytest.mark.parametrize("answer, code", [("n", 1), ("y", 0)])
def test_destroy_asks_on_a_terminal(monkeypatch, capsys, endpoint, answer, code):
    monkeypatch.setattr(sys, "stdin", type("Tty", (io.StringIO,), {"isatty": lambda self: True})(""))
    monkeypatch.setattr("builtins.input", lambda prompt: answer)
    assert deploy.main(["--destroy", "--stack-name", "never-deployed", "--endpoint", endpoint]) == code
    out = capsys.readouterr().out
    assert ("Not deleted." in out) if answer == "n" else ("No stack named never-deployed: nothing to delete." in out)


def test_a_dry_run_shows_the_change_set_and_deploys_nothing(endpoint, capsys):
    assert deploy.main(["--diff", "--stack-name", "dry-run", "--endpoint", endpoint]) == 0
    out = capsys.readouterr().out
    assert "Add     UploadsBucket" in out and "Dry run: the change set was deleted" in out
    cloudformation = localcloud_client(endpoint, "cloudformation")
    assert [
        s["StackName"]
        for s in cloudformation.list_stacks()["StackSummaries"]
        if s["StackName"] == "dry-run" and s["StackStatus"] != "DELETE_COMPLETE"
    ] == []


def localcloud_client(endpoint: str, service: str):
    import boto3

    return boto3.client(
        service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
    )


@pytest.mark.parametrize(
    "error, words",
    [
        (KeyboardInterrupt(), "CloudFormation goes on with stack interrupted"),
        (
            DeploymentFailed("UploadsBucket (AWS::S3::Bucket): already exists"),
            "deployment of interrupted failed: UploadsBucket",
        ),
    ],
)
def test_failures_while_deploying_are_reported_without_a_traceback(endpoint, monkeypatch, capsys, error, words):
    def fail(self, change_set, name):
        raise error

    monkeypatch.setattr(Deployer, "execute", fail)
    assert deploy.main(["--stack-name", "interrupted", "--endpoint", endpoint]) == 1
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_a_refused_request_is_reported(endpoint, monkeypatch, capsys):
    from botocore.exceptions import ClientError

    def refuse(self, *args):
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "not allowed"}}, "CreateChangeSet")

    monkeypatch.setattr(Deployer, "create_change_set", refuse)
    assert deploy.main(["--stack-name", "refused", "--endpoint", endpoint]) == 1
    err = capsys.readouterr().err
    assert f"endpoint {endpoint} refused the request" in err and "AccessDenied" in err


def test_the_readme_main_command_deploys_locally_and_shows_the_logged_item():
    result = subprocess.run(
        [sys.executable, "scripts/deploy.py", "--local"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "Local cloud running at https://127.0.0.1:" in result.stdout
    assert "CREATE_COMPLETE | AWS::CloudFormation::Stack | uploadtrail-dev" in result.stdout
    assert '"objectKey": "samples/hello uploadtrail.txt"' in result.stdout


def test_no_outputs_print_nothing(capsys):
    deploy.print_outputs({}, None)
    assert capsys.readouterr().out == ""


def test_a_sample_whose_item_never_appears_fails_the_local_run(monkeypatch):
    from types import SimpleNamespace

    scans = []
    clients = SimpleNamespace(
        s3=SimpleNamespace(put_object=lambda **kwargs: None),
        dynamodb=SimpleNamespace(scan=lambda **kwargs: scans.append(kwargs) or {"Items": []}),
    )
    monkeypatch.setattr(deploy, "SAMPLE_WAIT_SECONDS", 0.5)
    with pytest.raises(DeploymentFailed, match="no item was logged for samples/hello uploadtrail.txt"):
        deploy.upload_sample(clients, {"BucketName": "b", "DynamoDBTableName": "t"})
    assert scans and scans[0]["ExpressionAttributeValues"] == {":key": {"S": deploy.SAMPLE_KEY}}


def test_destroying_prod_says_what_it_kept(endpoint, capsys):
    argv = ["--profile-name", "prod", "--stack-name", "kept-prod", "--endpoint", endpoint]
    assert deploy.main(argv) == 0
    capsys.readouterr()
    assert deploy.main(argv + ["--destroy", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Kept by their DeletionPolicy" in out
    kept = out.split("Kept by their DeletionPolicy", 1)[1]
    for logical in ["InvocationLogTable", "UploadsBucket", "AccessLogBucket", "DataEncryptionKey"]:
        assert logical in kept
    assert "InvocationLoggerFunction" not in kept
