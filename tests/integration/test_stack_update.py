"""An existing stack updates in place to the version that logs each upload once: the change set
modifies the functions' code only, the table (and every other resource) keeps its physical id and
its items, nothing asks for approval, and the next upload is logged in the new item shape."""

from __future__ import annotations

import json
import subprocess
import uuid

from deployment import cli as deploy
from tests.conftest import PROJECT_ROOT
from tests.integration.inventory import change_rows, deploy_changed_code, deploy_with_source
from tests.integration.test_stack import items_for

# The last commit whose handler wrote a uuid4 requestId and the logging time as timestamp.
PREVIOUS_RELEASE = "d74b0da6b51aa7678550b8b4e966282c7eacdda3"


def previous_handler() -> str:
    shown = subprocess.run(
        ["git", "show", f"{PREVIOUS_RELEASE}:function/handler.py"], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert shown.returncode == 0, f"this test needs the git history of a clone: {shown.stderr.strip()}"
    return shown.stdout


def physical_ids(clients, stack: str) -> dict[str, str]:
    summaries = clients.cloudformation.list_stack_resources(StackName=stack)["StackResourceSummaries"]
    return {s["LogicalResourceId"]: s["PhysicalResourceId"] for s in summaries}


def test_a_stack_of_the_previous_version_updates_with_a_code_only_change(
    clients, target_args, stack_name, monkeypatch, tmp_path, capsys
):
    name = f"{stack_name}-update"
    args = list(target_args)
    args[args.index(stack_name)] = name
    outputs_file = tmp_path / "outputs.json"
    try:
        assert (
            deploy_with_source(
                monkeypatch, tmp_path, args + ["--outputs-file", str(outputs_file)], "handler.py", previous_handler()
            )
            == 0
        )
        outputs = json.loads(outputs_file.read_text())
        old_key = f"before-update/{uuid.uuid4()}.txt"
        clients.s3.put_object(Bucket=outputs["BucketName"], Key=old_key, Body=b"old")
        (old_item,) = items_for(clients, outputs, old_key)
        assert uuid.UUID(old_item["requestId"]["S"]).version == 4 and "loggedAt" not in old_item
        before = physical_ids(clients, name)
        monkeypatch.undo()
        capsys.readouterr()

        assert deploy.main(args) == 0  # no --yes and no terminal: an approval prompt would exit 2
        out = capsys.readouterr().out
        assert "cannot be undone" not in out and "update complete" in out
        rows = change_rows(out)
        assert rows and {(row[0], row[2]) for row in rows} == {("Modify", "AWS::Lambda::Function")}, out
        assert not [row for row in rows if row[3:] != ["-"] and row[3:] != ["False"]], out
        assert physical_ids(clients, name) == before
        assert items_for(clients, outputs, old_key) == [old_item]

        new_key = f"after-update/{uuid.uuid4()}.txt"
        clients.s3.put_object(Bucket=outputs["BucketName"], Key=new_key, Body=b"new")
        (new_item,) = items_for(clients, outputs, new_key)
        assert uuid.UUID(new_item["requestId"]["S"]).version == 5 and "loggedAt" in new_item
    finally:
        assert deploy.main(args + ["--destroy", "--yes"]) == 0, "--destroy failed: the stack is left behind"


def test_a_cleanup_only_change_modifies_the_cleanup_function_only(
    clients, target_args, stack_name, monkeypatch, tmp_path, capsys
):
    """On a stack of its own: the change set is compared with the checkout's code as deployed."""
    args = list(target_args)
    args[args.index(stack_name)] = f"{stack_name}-cleanup"
    try:
        assert deploy.main(args) == 0
        capsys.readouterr()
        assert deploy_changed_code(monkeypatch, tmp_path, args, "bucket_cleanup.py") == 0
        out = capsys.readouterr().out
        rows = [row[:3] for row in change_rows(out)]
        assert rows == [["Modify", "BucketCleanupFunction", "AWS::Lambda::Function"]], out
        assert "Uploaded s3://" in out and "/uploadtrail/bucket-cleanup-" in out
    finally:
        assert deploy.main(args + ["--destroy", "--yes"]) == 0, "--destroy failed: the stack is left behind"
