"""Operating a deployed stack with `uploadtrail status`, `logs` and `redrive`, each stack of its own:
a healthy stack's status; a table deleted by hand named by status (exit 3), the redeploy that finds
"no changes", and the way back status gives; an upload's log lines with --since 10m and --filter,
followed until Ctrl-C; a dead letter (the role's table write denied, then allowed again) counted by
status, refused by redrive without --yes or a terminal (exit 2), logged once by redrive --yes, and
a second redrive that changes nothing; on a terminal, redrive asks and a no keeps the dead letters,
and logs colours the ERROR lines (not with NO_COLOR). Also deploy --alarm-email, kept by a plain
redeploy."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from deployment.commands import main as uploadtrail
from tests.deployment.test_commands import read_until
from tests.integration.conftest import stack_deployed
from tests.integration.test_nothing_lost import TIMEOUT, wait_for

BIN = Path(sys.executable).parent
ALARM_EMAIL = "ops@example.com"
DENY_WRITES = "uploadtrail-it-ops-deny-table-writes"


def args_for(target_args: list[str], stack_name: str, suffix: str) -> list[str]:
    args = list(target_args)
    args[args.index(stack_name)] = f"{stack_name}-{suffix}"
    return args


@pytest.fixture(scope="module")
def ops(target_args, stack_name, tmp_path_factory):
    """(args, outputs) of a stack deployed with --alarm-email, that no test here breaks."""
    args = args_for(target_args, stack_name, "ops")
    with stack_deployed(args + ["--alarm-email", ALARM_EMAIL], tmp_path_factory.mktemp("ops")) as outputs:
        yield args, outputs


@pytest.fixture
def own_stack(target_args, stack_name, tmp_path):
    """(args, outputs) of a stack for this test alone (it gets broken); destroyed afterwards."""
    args = args_for(target_args, stack_name, f"own-{uuid.uuid4().hex[:6]}")
    with stack_deployed(args, tmp_path) as outputs:
        yield args, outputs


def command(capsys, *argv: str) -> tuple[int, str, str]:
    """uploadtrail's exit code, stdout and stderr."""
    capsys.readouterr()
    code = uploadtrail.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@contextlib.contextmanager
def on_terminal(*argv: str, **environment: str):
    """(process, terminal): `uploadtrail argv` on a pseudo-terminal, as a person runs it."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [BIN / "uploadtrail", *argv],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        close_fds=True,
        env={**os.environ, **environment},
    )
    os.close(terminal)
    try:
        yield process, controller
    finally:
        process.wait(timeout=60)
        os.close(controller)


def status_json(capsys, args: list[str]) -> tuple[int, dict]:
    code, out, _ = command(capsys, "status", "--output", "json", *args)
    return code, json.loads(out)


def upload(clients, outputs: dict, key: str) -> None:
    clients.s3.put_object(Bucket=outputs["BucketName"], Key=key, Body=b"operate")


def logged(clients, outputs: dict, key: str) -> list[dict]:
    answer = clients.dynamodb.query(
        TableName=outputs["DynamoDBTableName"],
        IndexName=outputs["ObjectKeyIndexName"],
        KeyConditionExpression="objectKey = :key",
        ExpressionAttributeValues={":key": {"S": key}},
    )
    return answer["Items"]


def test_status_of_a_healthy_stack_lists_every_resource_and_exits_0(clients, ops, capsys):
    args, outputs = ops
    key = f"status-{uuid.uuid4().hex[:8]}/ok.txt"
    upload(clients, outputs, key)
    wait_for(lambda: logged(clients, outputs, key), 1)
    code, report = status_json(capsys, args)
    assert code == 0 and report["healthy"] and report["missing"] == [] and report["inAlarm"] == []
    assert report["stack"]["status"].endswith("_COMPLETE") and report["outputs"] == outputs
    states = {resource["logicalId"]: resource["exists"] for resource in report["resources"]}
    assert states["InvocationLogTable"] is True and states["UploadsBucket"] is True and states["DeadLettersAlarm"]
    assert {alarm["name"] for alarm in report["alarms"]} >= {f"{args[args.index('--stack-name') + 1]}-DeadLetters"}
    assert report["deadLetters"] == {"waiting": 0, "inFlight": 0}
    assert report["items"][0]["objectKey"] == key  # the newest first
    code, out, _ = command(capsys, "status", *args)
    assert code == 0 and "InvocationLogTable" in out and "Dead-letter queue: empty." in out


def test_deploy_with_alarm_email_subscribes_it_and_a_plain_redeploy_keeps_it(clients, ops, capsys):
    args, outputs = ops
    sns = clients.client("sns")

    def endpoints() -> list[str]:
        subscriptions = sns.list_subscriptions_by_topic(TopicArn=outputs["AlarmTopicArn"])["Subscriptions"]
        return [s["Endpoint"] for s in subscriptions if s["Protocol"] == "email"]

    assert endpoints() == [ALARM_EMAIL]
    code, out, _ = command(capsys, "deploy", *args)
    assert code == 0 and "No changes" in out and endpoints() == [ALARM_EMAIL]


def test_logs_shows_an_uploads_lines_since_10m_and_filters_them(clients, ops, capsys):
    args, outputs = ops
    key = f"logs-{uuid.uuid4().hex[:8]}/seen.txt"
    upload(clients, outputs, key)

    def lines(*extra: str) -> list[str]:
        code, out, _ = command(capsys, "logs", "--since", "10m", *extra, *args)
        assert code == 0
        return [line for line in out.splitlines() if key in line]

    assert "logged upload" in wait_for(lines, 1)[0]
    assert lines("--filter", '"logged upload"') and not lines("--filter", '"no such words anywhere"')
    code, out, _ = command(capsys, "logs", "--since", "10m", "--output", "json", *args)
    events = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and any(key in event["message"] for event in events)
    assert [event["timestamp"] for event in events] == sorted(event["timestamp"] for event in events)


def test_logs_follow_shows_a_new_upload_and_stops_on_ctrl_c_with_exit_0(clients, ops):
    args, outputs = ops
    key = f"follow-{uuid.uuid4().hex[:8]}/live.txt"
    follower = subprocess.Popen(
        [BIN / "uploadtrail", "logs", "--follow", "--since", "1m", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in follower.stdout], daemon=True).start()
    try:
        assert "Ctrl-C to stop" in follower.stderr.readline()
        upload(clients, outputs, key)
        deadline = time.monotonic() + TIMEOUT
        seen = ""
        while key not in seen:
            assert time.monotonic() < deadline, f"{key} not shown: {seen!r}"
            with contextlib.suppress(queue.Empty):
                seen += lines.get(timeout=1)
    finally:
        follower.send_signal(signal.SIGINT)
        follower.wait(timeout=60)
    err = follower.stderr.read()
    assert follower.returncode == 0 and "Stopped following" in err and "Traceback" not in err


def test_status_names_a_table_deleted_by_hand_and_its_way_back_works(clients, own_stack, capsys):
    args, outputs = own_stack
    clients.dynamodb.delete_table(TableName=outputs["DynamoDBTableName"])
    code, out, err = command(capsys, "status", *args)
    assert code == 3 and "missing: InvocationLogTable" in err
    assert f"InvocationLogTable (AWS::DynamoDB::Table) {outputs['DynamoDBTableName']} no longer exists" in out
    way_back = out.split("To re-create what is missing: ", 1)[1]
    destroy, deploy = (part.split("`")[1].split()[1:] for part in way_back.split(", then ", 1))
    code, out, _ = command(capsys, "deploy", *args)
    assert code == 0 and "No changes" in out  # as status says: a deploy does not bring it back
    assert command(capsys, *destroy, "--yes")[0] == 0 and command(capsys, *deploy)[0] == 0
    code, report = status_json(capsys, args)
    assert code == 0 and report["missing"] == []


def test_a_dead_letter_is_counted_then_redriven_once_and_a_second_redrive_changes_nothing(
    clients, own_stack, capsys, monkeypatch
):
    args, outputs = own_stack
    iam = clients.client("iam")
    role = clients.client("lambda").get_function_configuration(FunctionName=outputs["LambdaFunctionName"])["Role"]
    deny = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "dynamodb:PutItem", "Resource": "*"}]}
    key = f"redrive-{uuid.uuid4().hex[:8]}/lost and found.txt"
    iam.put_role_policy(RoleName=role.rsplit("/", 1)[1], PolicyName=DENY_WRITES, PolicyDocument=json.dumps(deny))
    try:
        upload(clients, outputs, key)
        waiting = wait_for(lambda: [1] * status_json(capsys, args)[1]["deadLetters"]["waiting"], 1)
    finally:
        iam.delete_role_policy(RoleName=role.rsplit("/", 1)[1], PolicyName=DENY_WRITES)
    assert len(waiting) == 1 and logged(clients, outputs, key) == []
    code, out, _ = command(capsys, "status", *args)
    assert "Dead-letter queue: 1 waiting, 0 in flight" in out and "uploadtrail redrive" in out

    code, out, _ = command(capsys, "redrive", "--dry-run", "--output", "json", *args)
    (letter,) = json.loads(out)
    assert code == 0 and letter["objects"] == [f"s3://{outputs['BucketName']}/{key}"]
    assert letter["RequestID"] and "AccessDenied" in letter["ErrorMessage"] and letter["ErrorCode"]
    monkeypatch.setattr(sys, "stdin", open("/dev/null"))  # nobody to ask
    code, out, err = command(capsys, "redrive", *args)
    assert code == 2 and "pass --yes" in err and key in out
    with on_terminal("redrive", *args) as (process, terminal):
        assert key in read_until(terminal, "[y/N] ")
        os.write(terminal, b"n\n")
        assert "stay in the queue" in read_until(terminal, "stay in the queue.")
    assert process.returncode == 1
    with on_terminal("logs", "--filter", "ERROR", *args) as (process, terminal):
        assert "\x1b[31m{" in read_until(terminal, "\x1b[0m")  # the ERROR lines of the refused writes, in red
    with on_terminal("logs", "--filter", "ERROR", *args, NO_COLOR="1") as (process, terminal):
        assert "\x1b[" not in read_until(terminal, "could not log the record")
    code, out, _ = command(capsys, "redrive", "--yes", *args)
    assert code == 0 and "Re-invoked" in out
    assert len(wait_for(lambda: logged(clients, outputs, key), 1)) == 1
    code, report = status_json(capsys, args)
    assert report["deadLetters"] == {"waiting": 0, "inFlight": 0}
    code, out, _ = command(capsys, "redrive", "--yes", *args)
    assert code == 0 and "nothing to redrive" in out
    assert len(logged(clients, outputs, key)) == 1
