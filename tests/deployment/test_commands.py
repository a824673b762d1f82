"""The `uploadtrail` command and the mistakes a newcomer makes with either command (issue 20):
sub-commands and their options, an endpoint without a scheme, a region that does not exist, a
hung endpoint, https to plain HTTP, a diff that needs approval, a destroy asked on a terminal,
Ctrl-C in each phase a run starts something in, and every exit code of the message table."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import socket
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    SSLError,
    TokenRetrievalError,
)

from deployment import aws_clients, errors
from deployment import cli as deploy
from deployment.aws_clients import Clients
from deployment.commands import main as uploadtrail
from deployment.deployer import Deployer
from deployment.function_package import PackageError
from deployment.messages import MESSAGES, Situation, wording
from deployment.phases import Phase
from deployment.preflight import delete_versioned_bucket_command
from deployment.reporter import Reporter
from deployment.workflow import Request, Run
from localcloud import LOCAL_CREDENTIALS
from localcloud import server as localcloud
from tests.conftest import PROJECT_ROOT
from tests.deployment.conftest import Lines
from tests.deployment.test_deployer import (
    LOCALSTACK_FAILED_UPDATE,
    LOCALSTACK_LIVE,
    STACK,
    deleted,
    missing,
    rolled_back,
)

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def endpoint():
    with localcloud.running() as url:
        yield url


def aws(endpoint: str, service: str):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", **LOCAL_CREDENTIALS)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_uploadtrail_lists_its_sub_commands_and_exit_codes(capsys):
    with pytest.raises(SystemExit) as exit_:
        uploadtrail.main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: uploadtrail ")
    for command in ["deploy", "diff", "destroy", "status", "logs", "history", "redrive", "localcloud"]:
        assert f"    {command}" in out
    assert "Exit codes: 0 success" in out


@pytest.mark.parametrize(
    "command, local",
    [
        ("deploy", True),
        ("diff", False),
        ("destroy", False),
        ("history", False),
        ("status", False),
        ("logs", False),
        ("redrive", False),
    ],
)
def test_every_sub_command_takes_the_target_options(capsys, command, local):
    with pytest.raises(SystemExit):
        uploadtrail.main([command, "--help"])
    out = capsys.readouterr().out
    assert out.startswith(f"usage: uploadtrail {command} ")
    for option in ["--stack-name", "--endpoint", "--profile", "--region"]:
        assert option in out
    assert ("--local" in out) is local and "Exit codes:" in out


def test_a_sub_command_refuses_options_it_does_not_take(capsys):
    with pytest.raises(SystemExit) as exit_:
        uploadtrail.main(["destroy", "--outputs-file", "x.json"])
    assert exit_.value.code == 2 and "unrecognized arguments: --outputs-file x.json" in capsys.readouterr().err


def test_uploadtrail_localcloud_is_the_servers_own_command(capsys):
    with pytest.raises(SystemExit) as exit_:
        uploadtrail.main(["localcloud", "--help"])
    assert exit_.value.code == 0 and "--retry-delay" in capsys.readouterr().out


def test_uploadtrail_localcloud_serves_until_interrupted(tmp_path):
    port = closed_port()
    server = subprocess.Popen(
        [BIN / "uploadtrail", "localcloud", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        sts = aws(f"http://127.0.0.1:{port}", "sts")
        deadline = time.monotonic() + 120
        while True:
            try:
                assert sts.get_caller_identity()["Account"] == "123456789012"
                break
            except EndpointConnectionError:
                assert time.monotonic() < deadline and server.poll() is None, server.stdout.read().decode()
                time.sleep(0.2)
    finally:
        server.send_signal(2)
        server.wait(timeout=60)


def test_the_installed_deploy_command_names_itself_in_its_usage():
    """Issue 20 item 14: `uploadtrail-deploy --help` said `usage: python scripts/deploy.py`."""
    result = subprocess.run([BIN / "uploadtrail-deploy", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("usage: uploadtrail-deploy ")
    script = subprocess.run(
        [sys.executable, "scripts/deploy.py", "--help"], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert script.stdout.startswith("usage: python scripts/deploy.py ")


@pytest.mark.parametrize("main", [deploy.main, lambda argv: uploadtrail.main(["deploy", *argv])])
def test_an_endpoint_without_a_scheme_is_bad_usage_with_the_url_to_give(capsys, main):
    """Issue 20 item 2: a traceback (ValueError: Invalid endpoint) before."""
    with pytest.raises(SystemExit) as exit_:
        main(["--endpoint", "127.0.0.1:4566"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "Traceback" not in err
    assert "'127.0.0.1:4566' is not an endpoint URL: give its scheme and host, such as http://127.0.0.1:4566" in err


def test_a_region_that_does_not_exist_is_refused_before_any_call(capsys):
    """Issue 20 item 3: a traceback from the endpoint's 500 before; no endpoint listens here."""
    assert deploy.main(["--region", "us-east-11", "--endpoint", f"http://127.0.0.1:{closed_port()}"]) == 2
    err = capsys.readouterr().err
    assert "error: 'us-east-11' is not a known AWS region. The regions botocore " in err
    assert "(its endpoints.json) knows: " in err and "us-east-1, us-east-2" in err and "cannot reach" not in err


@pytest.fixture
def hung_endpoint(monkeypatch):
    """An endpoint that accepts connections and never answers, with a read bound of 1 s."""
    monkeypatch.setattr(aws_clients, "ENDPOINT_TIMEOUTS", aws_clients.Timeouts(connect=1, read=1, attempts=1))
    monkeypatch.setattr(aws_clients, "SLOW_CALL_NOTICE_SECONDS", 0.3)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_a_hung_endpoint_times_out_on_its_bound_with_progress_meanwhile(capsys, hung_endpoint):
    """Issue 20 item 5: six silent minutes, then "refused the request: Read timeout" before."""
    assert deploy.main(["--endpoint", hung_endpoint]) == 1
    err = capsys.readouterr().err
    assert f"... still waiting for endpoint {hung_endpoint} to answer GetCallerIdentity" in err
    assert f"error: endpoint {hung_endpoint} did not answer within 1 s, 1 attempt(s) (read timeout" in err
    assert "Traceback" not in err


def test_https_to_the_plain_http_local_cloud_says_to_use_http(capsys, endpoint):
    """Issue 20 item 6: "SSL validation failed ... WRONG_VERSION_NUMBER" with no hint before."""
    https = endpoint.replace("http://", "https://")
    assert deploy.main(["--endpoint", https]) == 1
    err = capsys.readouterr().err
    assert f"The endpoint answered in plain HTTP: use {endpoint} " in err and "Traceback" not in err


def test_the_command_to_delete_a_retained_versioned_bucket_deletes_it(endpoint):
    """Issue 20 item 7: `aws s3 rb --force` fails on the versioned bucket (BucketNotEmpty)."""
    s3 = aws(endpoint, "s3")
    s3.create_bucket(Bucket="kept-versioned")
    s3.put_bucket_versioning(Bucket="kept-versioned", VersioningConfiguration={"Status": "Enabled"})
    for body in [b"1", b"2"]:
        s3.put_object(Bucket="kept-versioned", Key="a.txt", Body=body)
    s3.delete_object(Bucket="kept-versioned", Key="a.txt")
    command = delete_versioned_bucket_command("kept-versioned").strip("`")
    environment = {**os.environ, "AWS_ENDPOINT_URL": endpoint, "AWS_DEFAULT_REGION": "us-east-1", "PATH": str(BIN)}
    environment.update({k.upper(): v for k, v in LOCAL_CREDENTIALS.items()})
    subprocess.run(command, shell=True, env=environment, check=True, timeout=120)
    assert "kept-versioned" not in [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]]


def test_a_diff_that_needs_approval_lists_what_cannot_be_undone(capsys, endpoint):
    """Issue 20 item 8: the reasons were missing and the diff began with "Deploying as"."""
    argv = ["--stack-name", "diff-prod", "--endpoint", endpoint]
    assert deploy.main(argv + ["--template-profile", "prod"]) == 0
    capsys.readouterr()
    for main in [deploy.main, lambda argv: uploadtrail.main(["diff", *argv[1:]])]:
        assert main(["--diff", *argv, "--template-profile", "dev"]) == 0
        out = capsys.readouterr().out
        assert out.startswith(
            f"Target: uploadtrail local cloud {version('moto')} (moto server)\n"
            "Showing the changes as arn:aws:sts::123456789012:user/moto: account 123456789012"
        )
        listed = out.split("This deploy cannot be undone:\n", 1)[1]
        assert listed.startswith("  - the stack's template profile changes from prod to dev")
        assert "DataEncryptionKey (AWS::KMS::Key) is removed from the stack" in listed
        assert "The change set was deleted; nothing was executed." in out
    assert uploadtrail.main(["destroy", *argv, "--yes"]) == 0


def read_until(fd: int, text: str, seconds: float = 120) -> str:
    """What the pseudo-terminal shows until text appears."""
    seen = ""
    deadline = time.monotonic() + seconds
    while text not in seen:
        assert time.monotonic() < deadline, f"{text!r} never appeared in {seen!r}"
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            seen += os.read(fd, 4096).decode(errors="replace")
    return seen


def test_destroy_on_a_terminal_names_account_region_and_identity_before_asking(endpoint):
    """Issue 20 item 9, through a pseudo-terminal: nothing was printed before the question."""
    queue = {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}
    aws(endpoint, "cloudformation").create_stack(StackName="ask-on-tty", TemplateBody=json.dumps(queue))
    controller, terminal = pty.openpty()
    command = [BIN / "uploadtrail", "destroy", "--stack-name", "ask-on-tty", "--endpoint", endpoint]
    process = subprocess.Popen(command, stdin=terminal, stdout=terminal, stderr=terminal, close_fds=True)
    os.close(terminal)
    try:
        shown = read_until(controller, "[y/N] ")
        assert "Deleting as arn:aws:sts::123456789012:user/moto: account 123456789012, region us-east-1" in shown
        os.write(controller, b"n\n")
        shown = read_until(controller, "as it was.")
        assert "not deleted: stack ask-on-tty is as it was." in shown
        assert process.wait(timeout=60) == 1
    finally:
        os.close(controller)
    assert aws(endpoint, "cloudformation").describe_stacks(StackName="ask-on-tty")["Stacks"]


def stubbed_run(stubbed, yes: bool, reporter: Reporter):
    """A deploy run, and the stubber of its CloudFormation, which answers with LocalStack's failed
    update (ROLLBACK_COMPLETE, live resources)."""
    client, stubber = stubbed("cloudformation")
    rolled_back(stubber, LOCALSTACK_FAILED_UPDATE, LOCALSTACK_LIVE)
    clients = Clients(client=None, cloudformation=client, s3=None, sts=None, dynamodb=None)
    return Run(Request(STACK, yes=yes), clients, "us-east-1", reporter, dict), stubber


def test_deploy_asks_on_a_terminal_before_deleting_a_rolled_back_stack_that_holds_data(stubbed):
    """Issue 17, through a pseudo-terminal: the reason, then destroy's question; a no keeps it."""
    controller, terminal = pty.openpty()
    with os.fdopen(os.dup(terminal), "w") as out, os.fdopen(terminal) as stdin:
        run, _ = stubbed_run(stubbed, False, Reporter(out=out, err=out, stdin=stdin))
        os.write(controller, b"n\n")
        with pytest.raises(errors.DestroyDeclined):
            run.deployer.prepare(STACK, approve_delete=run.approve_rollback_delete)
    try:
        shown = read_until(controller, "[y/N] ")
    finally:
        os.close(controller)
    assert "Stack uploadtrail-dev is ROLLBACK_COMPLETE, yet it completed a create before" in shown
    assert "InvocationLogTable (AWS::DynamoDB::Table, CREATE_COMPLETE)" in shown
    assert "Delete stack uploadtrail-dev and everything it holds, then create it again? [y/N] " in shown


def test_deploy_with_no_terminal_stops_before_deleting_a_rolled_back_stack_that_holds_data(stubbed):
    run, _ = stubbed_run(stubbed, False, Reporter(out=Lines(), stdin=io.StringIO("y\n")))
    with pytest.raises(errors.RollbackHolds) as stop:
        run.deployer.prepare(STACK, approve_delete=run.approve_rollback_delete)
    err = Lines()
    assert Reporter(err=err).ended(wording(stop.value), stop.value, Situation(STACK)) == 2
    assert "Nothing was deleted: deploy on a terminal to be asked, or with --yes" in err[0]


def test_deploy_yes_deletes_a_rolled_back_stack_that_holds_data_saying_why(stubbed):
    lines = Lines()
    run, stubber = stubbed_run(stubbed, True, Reporter(out=lines))
    deleted(stubber, LOCALSTACK_LIVE)
    missing(stubber)
    assert run.deployer.prepare(STACK, approve_delete=run.approve_rollback_delete) == ("CREATE", None)
    assert lines[0].startswith("Stack uploadtrail-dev is ROLLBACK_COMPLETE, yet it completed a create before")
    assert lines[1] == "Approved by --yes."


def test_ctrl_c_while_a_rolled_back_stack_is_deleted_says_this_command_started_the_delete(
    capsys, endpoint, monkeypatch
):
    """Issue 19 item 4: it said "this command started nothing"."""
    aws(endpoint, "s3").create_bucket(Bucket="taken-for-ctrl-c")
    failing = {"Resources": {"Bad": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "taken-for-ctrl-c"}}}}
    cloudformation = aws(endpoint, "cloudformation")
    created = cloudformation.create_change_set(
        StackName="ctrl-c-recreate", ChangeSetName="fails", ChangeSetType="CREATE", TemplateBody=json.dumps(failing)
    )
    cloudformation.execute_change_set(ChangeSetName=created["Id"])

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(Deployer, "follow", interrupted)
    assert deploy.main(["--stack-name", "ctrl-c-recreate", "--endpoint", endpoint]) == 1
    captured = capsys.readouterr()
    assert "deleting it to create it again" in captured.out
    assert "Interrupted while CloudFormation deletes stack ctrl-c-recreate (left in ROLLBACK_COMPLETE" in captured.err
    assert "this command started that delete" in captured.err and "started nothing" not in captured.err


def test_ctrl_c_while_a_rollback_is_continued_says_this_command_started_it(stubbed):
    client, stubber = stubbed("cloudformation")
    stubber.add_response("describe_stack_events", {"StackEvents": []})
    stubber.add_response("continue_update_rollback", {})

    def interrupted(seconds):
        raise KeyboardInterrupt

    reporter = Reporter(out=Lines())
    stubber.add_response(
        "describe_stacks",
        {"Stacks": [{"StackName": "s", "StackStatus": "UPDATE_ROLLBACK_IN_PROGRESS", "CreationTime": "2026-01-01"}]},
    )
    stubber.add_response("describe_stack_events", {"StackEvents": []})
    with pytest.raises(KeyboardInterrupt) as interruption:
        Deployer(client, reporter, poll_seconds=0, sleep=interrupted).continue_rollback("id", "s")
    err = Lines()
    Reporter(err=err).ended(wording(interruption.value), interruption.value, Situation("s", phase=reporter.phase))
    assert "Interrupted while CloudFormation continues the rollback of stack s: this command started it" in err[1]


SAMPLES = [
    (errors.DeploymentFailed("X (AWS::S3::Bucket): gone"), 1, "deployment of s failed: X (AWS::S3::Bucket): gone"),
    (PackageError("no x.py"), 1, "deployment of s failed: no x.py"),
    (errors.SampleNotLogged("k", 30), 1, "no item was logged for k within 30 s"),
    (errors.StackBusy("s", "UPDATE_IN_PROGRESS"), 1, "CloudFormation is still working on it"),
    (errors.RolledBackCreate("s"), 0, "a deploy deletes it and creates it again"),
    (errors.RollbackFailed("s", "T"), 1, "could not roll back T. Fix that cause"),
    (errors.DeleteOnly("s", "DELETE_FAILED", "T"), 1, "from which CloudFormation only deletes: T"),
    (errors.DestroyFailed("s", "DELETE_FAILED", "T"), 1, "stack s is DELETE_FAILED: T. Fix that"),
    (errors.NoRecordedProfile("s"), 2, "records no uploadtrail template profile"),
    (errors.NoConcurrencyParameter(), 2, "this template has no ReservedConcurrency parameter"),
    (errors.PreflightFailed("taken"), 1, "pre-flight check: taken"),
    (errors.ApprovalUnavailable("s"), 2, "without approval: no terminal to ask"),
    (errors.NotApproved("s"), 1, "not deployed: the change set was deleted"),
    (errors.DestroyUnconfirmed("s"), 2, "without confirmation: no terminal to ask; pass --yes"),
    (errors.DestroyDeclined("s"), 1, "not deleted: stack s is as it was."),
    (errors.BadStackName("bad"), 2, "bad"),
    (errors.UnknownRegion("xx-1", ["us-east-1"], "botocore"), 2, "'xx-1' is not a known AWS region"),
    (ProfileNotFound(profile="p"), 2, "The config profile (p) could not be found"),
    (NoCredentialsError(), 1, "no AWS credentials found"),
    (TokenRetrievalError(provider="sso", error_msg="gone"), 1, "the AWS credentials have expired"),
    (SSLError(endpoint_url="https://x", error="CERTIFICATE_VERIFY_FAILED"), 1, "Check the URL and the certificate"),
    (ConnectTimeoutError(endpoint_url="http://x"), 1, "did not accept a connection within 3 s"),
    (ReadTimeoutError(endpoint_url="http://x"), 1, "did not answer within 60 s"),
    (EndpointConnectionError(endpoint_url="http://x"), 1, "cannot reach endpoint http://e"),
    (ClientError({"Error": {"Code": "ExpiredToken", "Message": "m"}}, "Op"), 1, "have expired (ExpiredToken)"),
    (ClientError({"Error": {"Code": "AccessDenied", "Message": "m"}}, "Op"), 1, "endpoint http://e refused"),
    (BotoCoreError(), 1, "endpoint http://e refused the request"),
    (KeyboardInterrupt(), 1, "Interrupted while checking, before anything changed"),
    (BrokenPipeError(), 1, "Interrupted while checking, before anything changed"),
    (errors.RollbackHolds("s", True, []), 2, "completed a create before, so what failed was an update"),
    (errors.RollbackHolds("s", False, ["T (AWS::DynamoDB::Table, CREATE_COMPLETE)"]), 2, "still live: T (AWS"),
    (errors.NotImplementedByTarget("s", "ContinueUpdateRollback"), 1, "does not implement ContinueUpdateRollback"),
    (errors.BucketNotEmptied("b", 2, "k: AccessDenied"), 1, "could not empty bucket b: S3 refused 2 version(s)"),
    (errors.NoStack("s"), 1, "no stack named s at endpoint http://e: deploy it first"),
    (errors.LogGroupMissing("/g"), 1, "log group /g does not exist"),
    (errors.StackUnhealthy("s", ["T"], []), 3, "stack s is not healthy: missing: T."),
    (errors.StackUnhealthy("s", ["T"], ["s-A"]), 3, "missing: T; in ALARM: s-A."),
    (errors.StackUnhealthy("s", [], ["s-A"]), 3, "stack s is not healthy: in ALARM: s-A."),
    (errors.RedriveUnconfirmed("s", 2), 2, "refusing to redrive 2 dead letter(s) of stack s without confirmation"),
    (errors.RedriveDeclined("s"), 1, "not redriven: the dead letters of stack s stay in the queue."),
    (errors.RedriveIncomplete("s", 1, ["r: throttled"]), 1, "redrove 1 dead letter(s) of stack s; these stay in"),
    (errors.RedriveInterrupted("s", 1, 3), 1, "Interrupted: 1 of 3 dead letter(s) of stack s were redriven"),
]


@pytest.mark.parametrize("error, code, words", SAMPLES, ids=[type(sample[0]).__name__ for sample in SAMPLES])
def test_every_ending_has_its_exit_code_and_words(error, code, words):
    out, err = Lines(), Lines()
    assert Reporter(out=out, err=err).ended(wording(error), error, Situation("s", "http://e")) == code
    assert words in "\n".join(out if code == 0 else err)


def test_the_samples_cover_the_whole_table():
    assert {kind for kind in MESSAGES} <= {kind for error, _, _ in SAMPLES for kind in type(error).__mro__}


# A command whose output runs long, run the way every sub-command is run.
LONG_OUTPUT = (
    "import sys; from deployment.cli import parse_arguments; from deployment.commands.runner import run_command; "
    "sys.exit(run_command(lambda args, reporter: [reporter.say(f'line {n}') for n in range(100_000)] and 0, "
    "parse_arguments(['--stack-name', 'piped'])))"
)


def test_output_piped_into_a_reader_that_stops_early_ends_as_an_interruption_without_a_traceback():
    """`uploadtrail status | head -1`: once head exits, the command ends (exit 1) with the
    interruption's words on stderr, not a BrokenPipeError traceback."""
    buffered = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}  # as in a shell
    command = subprocess.Popen(
        [sys.executable, "-P", "-c", LONG_OUTPUT],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=buffered,
    )
    assert command.stdout.readline() == "line 0\n"
    command.stdout.close()
    assert command.wait(60) == 1
    stderr = command.stderr.read()
    command.stderr.close()
    assert "Interrupted while checking, before anything changed: stack piped is as it was." in stderr
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr


def test_an_error_the_table_does_not_know_is_left_to_show(monkeypatch):
    from deployment.commands import runner

    def broken(args, reporter):
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        runner.run_command(broken, deploy.parse_arguments([]))


def test_the_phase_a_run_enters_is_kept_and_announced():
    lines = Lines()
    reporter = Reporter(out=lines)
    reporter.enter(Phase.PREPARING, "s")
    reporter.enter(Phase.WAITING, "s", "UPDATE_IN_PROGRESS")
    assert reporter.phase is Phase.WAITING
    assert lines == ["Stack s is UPDATE_IN_PROGRESS: waiting for CloudFormation to finish it."]


@pytest.mark.parametrize("endpoint, connect, read", [("http://127.0.0.1:1", 3, 60), (None, 10, 60)])
def test_clients_bound_their_connect_and_read_timeouts(endpoint, connect, read):
    clients = aws_clients.make_clients(aws_clients.Target("us-east-1", endpoint))
    config = clients.cloudformation.meta.config
    assert (config.connect_timeout, config.read_timeout) == (connect, read)
