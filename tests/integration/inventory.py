"""What a target account holds, listed to the last page, and the removal of what a prod stack
kept by its DeletionPolicy (the README's steps before a re-create)."""

from __future__ import annotations

import shutil
from pathlib import Path

from deployment import cli as deploy
from deployment.commands import deploy as deploy_command
from deployment.function_package import FUNCTION_DIR, build_packages


def function_names(clients) -> set[str]:
    pages = clients.client("lambda").get_paginator("list_functions").paginate()
    return {function["FunctionName"] for page in pages for function in page["Functions"]}


def table_names(clients) -> set[str]:
    pages = clients.dynamodb.get_paginator("list_tables").paginate()
    return {name for page in pages for name in page["TableNames"]}


def bucket_exists(clients, bucket: str) -> bool:
    try:
        clients.s3.head_bucket(Bucket=bucket)
    except clients.s3.exceptions.ClientError as error:
        if error.response["Error"]["Code"] in {"404", "NoSuchBucket"}:
            return False
        raise
    return True


def deploy_with_source(monkeypatch, tmp_path: Path, argv: list[str], module: str, text: str) -> int:
    """Deploy with function packages built from a copy of function/ whose `module` holds text."""
    source = tmp_path / "function"
    shutil.copytree(FUNCTION_DIR, source)
    (source / module).write_text(text)
    monkeypatch.setattr(deploy_command, "build_packages", lambda: build_packages(source))
    return deploy.main(argv)


def deploy_changed_code(monkeypatch, tmp_path: Path, argv: list[str], module: str = "handler.py") -> int:
    """Deploy with function packages whose `module` differs by a comment: a new code version."""
    changed = (FUNCTION_DIR / module).read_text() + "\n# a code change\n"
    return deploy_with_source(monkeypatch, tmp_path, argv, module, changed)


def change_rows(out: str) -> list[list[str]]:
    """The change set table's rows (action, logical id, type, replacement) as printed."""
    return [line.split() for line in out.splitlines() if line.split()[:1] in (["Add"], ["Modify"], ["Remove"])]


def kept_resources(clients, stack_id: str) -> dict[str, str]:
    """Logical id to physical id of what a deleted stack kept (its DELETE_SKIPPED events)."""
    pages = clients.cloudformation.get_paginator("describe_stack_events").paginate(StackName=stack_id)
    return {
        event["LogicalResourceId"]: event["PhysicalResourceId"]
        for page in pages
        for event in page["StackEvents"]
        if event["ResourceStatus"] == "DELETE_SKIPPED"
    }


def empty_and_delete_bucket(clients, bucket: str) -> None:
    """Delete every version and delete marker, then the bucket (a versioned bucket is only empty
    once its versions are gone)."""
    pages = clients.s3.get_paginator("list_object_versions").paginate(Bucket=bucket)
    for page in pages:
        entries = page.get("Versions", []) + page.get("DeleteMarkers", [])
        if entries:
            objects = [{"Key": e["Key"], "VersionId": e["VersionId"]} for e in entries]
            clients.s3.delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": True})
    clients.s3.delete_bucket(Bucket=bucket)


def remove_kept(clients, kept: dict[str, str]) -> None:
    """Delete what a prod stack kept: buckets emptied and deleted, the table after its deletion
    protection is turned off, the key scheduled for deletion after the shortest wait (7 days)."""
    for logical, physical in kept.items():
        if logical in {"UploadsBucket", "AccessLogBucket"} and bucket_exists(clients, physical):
            empty_and_delete_bucket(clients, physical)
        elif logical == "InvocationLogTable" and physical in table_names(clients):
            clients.dynamodb.update_table(TableName=physical, DeletionProtectionEnabled=False)
            clients.dynamodb.get_waiter("table_exists").wait(TableName=physical)
            clients.dynamodb.delete_table(TableName=physical)
        elif logical == "DataEncryptionKey":
            kms = clients.client("kms")
            try:
                kms.schedule_key_deletion(KeyId=physical, PendingWindowInDays=7)
            except kms.exceptions.KMSInvalidStateException:  # already pending deletion
                pass
