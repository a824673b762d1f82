"""scripts/deploy.py as a user runs it: help, bad input, unreachable endpoints, credentials,
confirmation and approval, dry runs, interruptions in each phase, the stack's own template profile,
and the README's --local command."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
import time
from types import SimpleNamespace

import boto3
import pytest
from botocore.exceptions import ClientError, ConnectTimeoutError, TokenRetrievalError
from botocore.stub import Stubber

from deployment import cli as deploy
from deployment.artifacts import ArtifactsBucket
from deployment.commands import deploy as deploy_command
from deployment.commands import target
from deployment.deployer import Deployer, DeploymentFailed
from deployment.function_package import PackageError
from deployment.messages import INTERRUPTED
from deployment.phases import Phase
from deployment.reporter import Reporter
from deployment.target_kind import TargetKind, function_architecture
from localcloud import server as localcloud
from tests.conftest import PROJECT_ROOT
from tests.deployment.conftest import Lines


@pytest.fixture(scope="module")
def endpoint():
    with localcloud.running() as url:
        yield url


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def localcloud_client(endpoint: str, service: str):
    return boto3.client(
        service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
    )


def live_stacks(endpoint: str, name: str) -> list[dict]:
    summaries = localcloud_client(endpoint, "cloudformation").list_stacks()["StackSummaries"]
    return [s for s in summaries if s["StackName"] == name and s["StackStatus"] != "DELETE_COMPLETE"]


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_help_explains_every_option():
    result = subprocess.run(
        [sys.executable, "scripts/deploy.py", "--help"], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0
    for option in [
        "--stack-name",
        "--template-profile",
        "--profile",
        "--region",
        "--endpoint",
        "--local",
        "--outputs-file",
        "--diff",
        "--dry-run",
        "--destroy",
        "--yes",
        "--reserved-concurrency",
        "--artifacts-bucket",
        "--no-wait",
        "--continue-rollback",
    ]:
        assert option in result.stdout
    assert "--profile-name" not in result.stdout
    assert "Exit codes: 0 success" in result.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["--local", "--endpoint", "http://x"],
        ["--destroy", "--local"],
        ["--template-profile", "staging"],
        ["--reserved-concurrency", "-1"],
    ],
)
def test_bad_usage_exits_2(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        deploy.main(argv)
    assert exit_.value.code == 2


def test_the_old_profile_name_flag_names_the_new_one(capsys):
    with pytest.raises(SystemExit) as exit_:
        deploy.main(["--profile-name", "prod"])
    assert exit_.value.code == 2
    assert "--profile-name is now --template-profile (dev|prod); --profile stays the AWS credentials profile" in (
        capsys.readouterr().err
    )


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


@pytest.mark.parametrize("more", [[], ["--region", "eu-west-1"], ["--endpoint", "http://127.0.0.1:1"]])
def test_an_unknown_credentials_profile_is_bad_usage_whatever_else_is_given(monkeypatch, tmp_path, capsys, more):
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    for name in ["AWS_REGION", "AWS_DEFAULT_REGION"]:
        monkeypatch.delenv(name, raising=False)
    assert deploy.main(["--profile", "nope", *more]) == 2
    assert "The config profile (nope) could not be found" in capsys.readouterr().err


def clients_whose_sts(monkeypatch, fail) -> None:
    """make_clients gives clients whose first call (sts) fails as `fail` says."""
    sts = boto3.client("sts", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    stubber = Stubber(sts)
    fail(stubber)
    stubber.activate()
    monkeypatch.setattr(
        target,
        "make_clients",
        lambda where, slow_call: SimpleNamespace(sts=sts, cloudformation=None, s3=None, client=None),
    )


@pytest.mark.parametrize(
    "code, words",
    [
        ("ExpiredToken", "the AWS credentials have expired (ExpiredToken)"),
        ("InvalidClientTokenId", "the AWS credentials were refused (InvalidClientTokenId)"),
    ],
)
def test_expired_or_invalid_credentials_say_so(monkeypatch, capsys, code, words):
    clients_whose_sts(monkeypatch, lambda stubber: stubber.add_client_error("get_caller_identity", code, "bad", 403))
    assert deploy.main(["--region", "us-east-1"]) == 1
    err = capsys.readouterr().err
    assert words in err and "`aws sso login`" in err and "nothing was changed" in err


@pytest.mark.parametrize(
    "error, words",
    [
        (TokenRetrievalError(provider="sso", error_msg="token expired"), "the AWS credentials have expired"),
        (ConnectTimeoutError(endpoint_url="https://sts"), "AWS did not accept a connection within 10 s"),
    ],
)
def test_botocore_errors_are_reported(monkeypatch, capsys, error, words):
    def fail(stubber):
        stubber.add_response("get_caller_identity", {})

    clients_whose_sts(monkeypatch, fail)

    def raise_error(*args, **kwargs):
        raise error

    monkeypatch.setattr("deployment.preflight.identity", raise_error)
    assert deploy.main(["--region", "us-east-1"]) == 1
    assert words in capsys.readouterr().err


@pytest.mark.parametrize("variable", ["AWS_REGION", "AWS_DEFAULT_REGION"])
def test_the_region_variables_are_honoured_with_an_endpoint(monkeypatch, variable):
    for name in ["AWS_REGION", "AWS_DEFAULT_REGION"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, "eu-west-1")
    assert target.region_of(deploy.parse_arguments(["--endpoint", "http://x"])) == "eu-west-1"
    assert target.region_of(deploy.parse_arguments(["--endpoint", "http://x", "--region", "us-west-2"])) == "us-west-2"


def test_a_credentials_profile_gives_its_region_unless_one_is_given(monkeypatch, tmp_path):
    config = tmp_path / "config"
    config.write_text("[profile dev]\nregion = ap-south-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    for name in ["AWS_REGION", "AWS_DEFAULT_REGION"]:
        monkeypatch.delenv(name, raising=False)
    assert target.region_of(deploy.parse_arguments(["--profile", "dev"])) == "ap-south-1"
    assert target.region_of(deploy.parse_arguments(["--profile", "dev", "--region", "eu-west-1"])) == "eu-west-1"


def test_without_a_region_an_endpoint_uses_the_default(monkeypatch):
    for name in ["AWS_REGION", "AWS_DEFAULT_REGION"]:
        monkeypatch.delenv(name, raising=False)
    assert target.region_of(deploy.parse_arguments(["--local"])) == "us-east-1"


def queue_stack(endpoint: str, name: str) -> None:
    queue = {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}
    localcloud_client(endpoint, "cloudformation").create_stack(StackName=name, TemplateBody=json.dumps(queue))


def test_destroy_without_a_terminal_or_yes_refuses(monkeypatch, capsys, endpoint):
    queue_stack(endpoint, "unconfirmed")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert deploy.main(["--destroy", "--stack-name", "unconfirmed", "--endpoint", endpoint]) == 2
    assert "without confirmation" in capsys.readouterr().err
    assert live_stacks(endpoint, "unconfirmed")


@pytest.mark.parametrize("stdin", [io.StringIO(""), Terminal("")])
@pytest.mark.parametrize("yes", [[], ["--yes"]])
def test_destroying_a_stack_that_does_not_exist_has_nothing_to_delete(monkeypatch, capsys, endpoint, stdin, yes):
    """Issue 20 item 9: exit 0 with or without --yes, asking nothing."""
    monkeypatch.setattr(sys, "stdin", stdin)
    assert deploy.main(["--destroy", "--stack-name", "never-deployed", "--endpoint", endpoint, *yes]) == 0
    out = capsys.readouterr().out
    assert "No stack named never-deployed: nothing to delete." in out and "[y/N]" not in out


def raising(error):
    def fail(*args, **kwargs):
        raise error

    return fail


@pytest.mark.parametrize("answer, code", [("n\n", 1), ("y\n", 0)])
def test_destroy_names_who_and_where_then_asks_on_a_terminal(monkeypatch, capsys, endpoint, answer, code):
    name = f"asked-{code}"
    queue_stack(endpoint, name)
    monkeypatch.setattr(sys, "stdin", Terminal(answer))
    assert deploy.main(["--destroy", "--stack-name", name, "--endpoint", endpoint]) == code
    captured = capsys.readouterr()
    who, question = captured.out.split("\n")[:2]
    assert who == "Deleting as arn:aws:sts::123456789012:user/moto: account 123456789012, region us-east-1"
    assert question.startswith(f"Delete stack {name} and everything it holds? [y/N]")
    if code:
        assert f"not deleted: stack {name} is as it was." in captured.err and live_stacks(endpoint, name)
    else:
        assert f"Stack {name} deleted." in captured.out and not live_stacks(endpoint, name)


class Interrupted(Terminal):
    def readline(self, *args):
        raise KeyboardInterrupt


@pytest.mark.parametrize("stdin", [Terminal(""), Interrupted()])
def test_ctrl_c_or_end_of_input_at_the_destroy_prompt_deletes_nothing(monkeypatch, capsys, endpoint, stdin):
    name = f"kept-on-{type(stdin).__name__.lower()}"
    queue_stack(endpoint, name)
    monkeypatch.setattr(sys, "stdin", stdin)
    assert deploy.main(["--destroy", "--stack-name", name, "--endpoint", endpoint]) == 1
    captured = capsys.readouterr()
    assert "not deleted" in captured.err and "Traceback" not in captured.err
    assert live_stacks(endpoint, name)


def test_a_dry_run_shows_the_change_set_and_its_security_changes_and_deploys_nothing(endpoint, capsys):
    assert deploy.main(["--diff", "--stack-name", "dry-run", "--endpoint", endpoint]) == 0
    out = capsys.readouterr().out
    assert "Add     UploadsBucket" in out and "The change set was deleted; nothing was executed." in out
    security = out.split("Security changes (IAM and resource policies):", 1)[1]
    assert "+  ${InvocationLogTable.Arn}" in security and "dynamodb:PutItem" in security
    assert live_stacks(endpoint, "dry-run") == []


def test_a_dry_run_leaves_a_stack_in_rollback_complete_alone(endpoint, capsys):
    cloudformation = localcloud_client(endpoint, "cloudformation")
    localcloud_client(endpoint, "s3").create_bucket(Bucket="taken-by-then")
    failing = {"Resources": {"Bad": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "taken-by-then"}}}}
    created = cloudformation.create_change_set(
        StackName="rolled-back", ChangeSetName="fails", ChangeSetType="CREATE", TemplateBody=json.dumps(failing)
    )
    cloudformation.execute_change_set(ChangeSetName=created["Id"])
    assert live_stacks(endpoint, "rolled-back")[0]["StackStatus"] == "ROLLBACK_COMPLETE"
    assert deploy.main(["--diff", "--stack-name", "rolled-back", "--endpoint", endpoint]) == 0
    assert "a deploy deletes it and creates it again" in capsys.readouterr().out
    assert live_stacks(endpoint, "rolled-back")[0]["StackStatus"] == "ROLLBACK_COMPLETE"


def test_a_template_above_the_body_limit_goes_as_a_template_url(endpoint, monkeypatch, capsys):
    # moto reads a TemplateURL path-style only when the URL says "localhost"
    monkeypatch.setattr("deployment.template_source.MAX_TEMPLATE_BODY", 1000)
    localhost = endpoint.replace("127.0.0.1", "localhost")
    assert deploy.main(["--diff", "--stack-name", "by-url", "--endpoint", localhost]) == 0
    assert "Add     UploadsBucket" in capsys.readouterr().out
    s3 = localcloud_client(endpoint, "s3")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="uploadtrail-artifacts-123456789012-us-east-1")["Contents"]]
    assert any(key.startswith("uploadtrail/template-") for key in keys)


@pytest.mark.parametrize(
    "error, words",
    [
        (KeyboardInterrupt(), "Interrupted while CloudFormation executes the change set: CloudFormation goes on"),
        (
            DeploymentFailed("UploadsBucket (AWS::S3::Bucket): already exists"),
            "deployment of failed failed: UploadsBucket",
        ),
    ],
)
def test_failures_while_deploying_are_reported_without_a_traceback(endpoint, monkeypatch, capsys, error, words):
    monkeypatch.setattr(Deployer, "finish", raising(error))
    name = "interrupted" if isinstance(error, KeyboardInterrupt) else "failed"
    assert deploy.main(["--stack-name", name, "--endpoint", endpoint]) == 1
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


@pytest.mark.parametrize(
    "error, words",
    [
        (KeyboardInterrupt(), "Interrupted while the change set was being prepared: the change set was deleted"),
        (ClientError({"Error": {"Code": "SlowDown", "Message": "slow"}}, "PutObject"), "refused the request"),
    ],
)
def test_a_change_set_stopped_before_execution_is_deleted(endpoint, monkeypatch, capsys, error, words):
    monkeypatch.setattr(ArtifactsBucket, "upload", raising(error))
    assert deploy.main(["--stack-name", "never-executed", "--endpoint", endpoint]) == 1
    captured = capsys.readouterr()
    assert "The change set was deleted; nothing was executed." in captured.out
    assert words in captured.err and "Traceback" not in captured.err
    assert live_stacks(endpoint, "never-executed") == []


def test_a_change_set_that_cannot_be_deleted_is_named_with_the_command(endpoint, monkeypatch, capsys):
    monkeypatch.setattr(ArtifactsBucket, "upload", raising(PackageError("gone")))
    monkeypatch.setattr(Deployer, "discard", raising(ClientError({"Error": {"Code": "X", "Message": "y"}}, "Delete")))
    assert deploy.main(["--stack-name", "undeletable", "--endpoint", endpoint]) == 1
    assert "`aws cloudformation delete-change-set --change-set-name arn:" in capsys.readouterr().err


def test_a_refused_request_is_reported(endpoint, monkeypatch, capsys):
    monkeypatch.setattr(
        Deployer,
        "create_change_set",
        raising(ClientError({"Error": {"Code": "AccessDenied", "Message": "not allowed"}}, "CreateChangeSet")),
    )
    assert deploy.main(["--stack-name", "refused", "--endpoint", endpoint]) == 1
    err = capsys.readouterr().err
    assert f"endpoint {endpoint} refused the request" in err and "AccessDenied" in err


def test_a_package_that_cannot_be_built_fails_the_deploy(endpoint, monkeypatch, capsys):
    monkeypatch.setattr(deploy_command, "build_packages", raising(PackageError("the allowlist names x.py")))
    assert deploy.main(["--stack-name", "no-package", "--endpoint", endpoint]) == 1
    assert "deployment of no-package failed: the allowlist names x.py" in capsys.readouterr().err


def test_the_readme_main_command_deploys_locally_and_shows_the_logged_item():
    result = subprocess.run(
        [sys.executable, "scripts/deploy.py", "--local"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "Local cloud running at https://127.0.0.1:" in result.stdout
    assert "CREATE_COMPLETE | AWS::CloudFormation::Stack | uploadtrail-dev" in result.stdout
    assert '"objectKey": "samples/hello uploadtrail.txt"' in result.stdout


def test_no_outputs_print_nothing():
    lines = Lines()
    deploy_command.report_outputs({}, None, Reporter(out=lines))
    assert lines == []


def test_an_outputs_file_in_a_missing_folder_is_written(tmp_path):
    written = tmp_path / "new" / "folder" / "outputs.json"
    deploy_command.report_outputs({"BucketName": "b"}, written, Reporter(out=Lines()))
    assert json.loads(written.read_text()) == {"BucketName": "b"}


def test_the_prod_stack_keeps_its_profile_and_a_switch_needs_approval(endpoint, monkeypatch, capsys):
    """Deploy prod, redeploy without flags, try a switch to dev with nobody to approve it."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    argv = ["--stack-name", "stays-prod", "--endpoint", endpoint]
    cloudformation = localcloud_client(endpoint, "cloudformation")
    assert deploy.main(argv + ["--template-profile", "prod"]) == 0
    before = cloudformation.describe_stacks(StackName="stays-prod")["Stacks"][0]
    resources = cloudformation.list_stack_resources(StackName="stays-prod")["StackResourceSummaries"]
    capsys.readouterr()

    assert deploy.main(argv) == 0
    out = capsys.readouterr().out
    assert "Template profile: prod (the stack's own)" in out and "No changes: stack stays-prod is up to date." in out

    assert deploy.main(argv + ["--template-profile", "dev"]) == 2
    captured = capsys.readouterr()
    assert "the stack's template profile changes from prod to dev" in captured.out
    assert "DataEncryptionKey (AWS::KMS::Key) is removed from the stack" in captured.out
    assert "InvocationLogTable (AWS::DynamoDB::Table) turns off deletion protection" in captured.out
    assert "refusing to deploy to stack stays-prod without approval: no terminal to ask" in captured.err
    after = cloudformation.describe_stacks(StackName="stays-prod")["Stacks"][0]
    assert after["StackStatus"] == before["StackStatus"] and after.get("LastUpdatedTime") == before.get(
        "LastUpdatedTime"
    )
    assert cloudformation.list_stack_resources(StackName="stays-prod")["StackResourceSummaries"] == resources
    template = cloudformation.get_template(StackName="stays-prod")["TemplateBody"]
    assert template["Metadata"]["uploadtrail"]["profile"] == "prod"
    waiting = cloudformation.list_change_sets(StackName="stays-prod")["Summaries"]
    assert [c for c in waiting if c["StackName"] == "stays-prod" and c["ExecutionStatus"] == "AVAILABLE"] == []

    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    assert deploy.main(argv + ["--template-profile", "dev"]) == 1
    assert "not deployed: the change set was deleted and stack stays-prod is unchanged." in capsys.readouterr().err
    assert cloudformation.get_template(StackName="stays-prod")["TemplateBody"]["Metadata"]["uploadtrail"] == {
        "profile": "prod",
        "version": template["Metadata"]["uploadtrail"]["version"],
    }
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    assert deploy.main(argv + ["--template-profile", "dev"]) == 0
    assert "Stack stays-prod: update complete." in capsys.readouterr().out
    template = cloudformation.get_template(StackName="stays-prod")["TemplateBody"]
    assert template["Metadata"]["uploadtrail"]["profile"] == "dev"


def test_destroying_dev_keeps_nothing(endpoint, capsys):
    argv = ["--stack-name", "all-gone", "--endpoint", endpoint]
    assert deploy.main(argv) == 0
    assert deploy.main(argv + ["--destroy", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Stack all-gone deleted." in out and "Kept by their DeletionPolicy" not in out


def test_a_stack_without_a_recorded_profile_needs_the_flag(endpoint, capsys):
    cloudformation = localcloud_client(endpoint, "cloudformation")
    queue = {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}
    cloudformation.create_stack(StackName="foreign", TemplateBody=json.dumps(queue))
    assert deploy.main(["--stack-name", "foreign", "--endpoint", endpoint]) == 2
    assert "stack foreign records no uploadtrail template profile: pass --template-profile (dev|prod)" in (
        capsys.readouterr().err
    )


def test_destroying_prod_says_what_it_kept_and_a_re_create_names_the_retained_bucket(endpoint, capsys):
    argv = ["--template-profile", "prod", "--stack-name", "kept-prod", "--endpoint", endpoint]
    assert deploy.main(argv) == 0
    capsys.readouterr()
    assert deploy.main(argv + ["--destroy", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Kept by their DeletionPolicy" in out
    kept = out.split("Kept by their DeletionPolicy", 1)[1]
    for logical in ["InvocationLogTable", "UploadsBucket", "AccessLogBucket", "DataEncryptionKey"]:
        assert logical in kept
    assert "InvocationLoggerFunction" not in kept
    assert deploy.main(argv) == 1
    err = capsys.readouterr().err
    assert "pre-flight check: bucket kept-prod-123456789012-us-east-1 already exists" in err
    assert "kept (DeletionPolicy Retain) by an earlier stack named kept-prod" in err
    assert live_stacks(endpoint, "kept-prod") == []


def test_yes_approves_without_asking():
    from deployment.workflow import Request, Run

    lines = Lines()
    clients = SimpleNamespace(cloudformation=None)
    flow = Run(Request("s", yes=True), clients, "us-east-1", Reporter(out=lines, stdin=Terminal("n\n")), None)
    flow.approve(["the stack's template profile changes from prod to dev"])
    assert lines == ["Approved by --yes."]


def test_the_reserved_concurrency_flag_fills_the_template_parameter(endpoint, monkeypatch, capsys):
    """Until the templates declare ReservedConcurrency (issue 11), a template that does is used."""
    from deployment import workflow

    build = workflow.build_template

    def with_parameter(profile):
        template = build(profile)
        template.to_dict = lambda made=template.to_dict: {
            **made(),
            "Parameters": {**made()["Parameters"], "ReservedConcurrency": {"Type": "String", "Default": ""}},
        }
        return template

    monkeypatch.setattr(workflow, "build_template", with_parameter)
    assert deploy.main(["--stack-name", "reserved", "--endpoint", endpoint, "--reserved-concurrency", "0"]) == 0
    stack = localcloud_client(endpoint, "cloudformation").describe_stacks(StackName="reserved")["Stacks"][0]
    assert {"ParameterKey": "ReservedConcurrency", "ParameterValue": "0"} in stack["Parameters"]


def test_the_local_cloud_counts_as_an_endpoint():
    """--local deploys to the local cloud's URL, where missing APIs skip their checks."""
    request = deploy_command.request_of(deploy.parse_arguments(["--local"]), "http://127.0.0.1:1", "arm64")
    assert request.endpoint == "http://127.0.0.1:1"


@pytest.mark.parametrize(
    "phase", [Phase.WAITING, Phase.EXECUTING, Phase.DESTROYING, Phase.RECREATING, Phase.CONTINUING_ROLLBACK]
)
def test_an_interruption_while_cloudformation_works_gives_the_command_to_follow_it(phase):
    message = INTERRUPTED[phase].format(name="s", follow="aws cloudformation describe-stack-events --stack-name s")
    assert "`aws cloudformation describe-stack-events --stack-name s`" in message and "goes on" in message


def test_a_stack_whose_delete_failed_names_the_resource_and_why(endpoint, capsys):
    cloudformation = localcloud_client(endpoint, "cloudformation")
    bucket = {"Resources": {"KeptBucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "holds-data"}}}}
    created = cloudformation.create_change_set(
        StackName="delete-failed", ChangeSetName="make", ChangeSetType="CREATE", TemplateBody=json.dumps(bucket)
    )
    cloudformation.execute_change_set(ChangeSetName=created["Id"])
    localcloud_client(endpoint, "s3").put_object(Bucket="holds-data", Key="data.txt", Body=b"x")
    argv = ["--stack-name", "delete-failed", "--endpoint", endpoint]
    assert deploy.main(argv + ["--destroy", "--yes"]) == 1
    err = capsys.readouterr().err
    failed = "deleting stack delete-failed failed: stack delete-failed is DELETE_FAILED: KeptBucket (AWS::S3::Bucket):"
    assert failed in err
    assert "not empty" in err
    assert deploy.main(argv) == 1
    err = capsys.readouterr().err
    assert "stack delete-failed is DELETE_FAILED, from which CloudFormation only deletes: KeptBucket" in err
    assert "Fix that, then delete it (`uploadtrail destroy`, or --destroy)." in err


def function_architectures(endpoint: str, stack: dict) -> list[str]:
    """The Architectures the logger function answers with, as deployed."""
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
    configuration = localcloud_client(endpoint, "lambda").get_function_configuration(
        FunctionName=outputs["LambdaFunctionName"]
    )
    return configuration["Architectures"]


def test_the_function_architecture_is_arm64_unless_architecture_is_given(capsys, endpoint):
    """Issue 17: an endpoint that is not LocalStack keeps AWS's arm64; --architecture overrides it."""
    for given, expected in [([], "arm64"), (["--architecture", "x86_64"], "x86_64")]:
        assert deploy.main(["--stack-name", "architecture", "--endpoint", endpoint, *given]) == 0
        assert "Function architecture:" not in capsys.readouterr().out
        stack = localcloud_client(endpoint, "cloudformation").describe_stacks(StackName="architecture")["Stacks"][0]
        assert {"ParameterKey": "FunctionArchitecture", "ParameterValue": expected} in stack["Parameters"]
        assert function_architectures(endpoint, stack) == [expected]


def test_on_localstack_the_function_is_deployed_for_this_machine(capsys, monkeypatch, endpoint):
    """Issue 17: LocalStack runs the function in a container for its architecture; arm64 on an
    x86_64 host never starts. The target is named LocalStack here; the stack is the local cloud's."""
    monkeypatch.setattr(target, "target_kind", lambda url: TargetKind("LocalStack", "4.14.0", "community"))
    expected = function_architecture(TargetKind("LocalStack"), None)
    assert deploy.main(["--stack-name", "localstack-arch", "--endpoint", endpoint]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Target: LocalStack 4.14.0 (community)\nFunction architecture: {expected}, this machine's")
    told = out.split("does not apply these settings of this stack", 1)[1]
    assert "InvocationLoggerInvokePermission: SourceAccount: dropped" in told
    stack = localcloud_client(endpoint, "cloudformation").describe_stacks(StackName="localstack-arch")["Stacks"][0]
    assert {"ParameterKey": "FunctionArchitecture", "ParameterValue": expected} in stack["Parameters"]
    assert function_architectures(endpoint, stack) == [expected]


def test_aws_endpoint_url_is_the_endpoints_default_and_local_ignores_it(monkeypatch):
    """Issue 20: with AWS_ENDPOINT_URL exported, botocore sent every call there while the tool took
    it for AWS (its concurrency pre-flight failed on a 404 page)."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://localhost:4566")
    assert deploy.parse_arguments([]).endpoint == "http://localhost:4566"
    assert deploy.parse_arguments(["--endpoint", "http://127.0.0.1:1"]).endpoint == "http://127.0.0.1:1"
    local = deploy.parse_arguments(["--local"])
    assert (local.local, local.endpoint) == (True, None)
    assert target.situation(local, Reporter(out=io.StringIO())).where == "the local cloud"
