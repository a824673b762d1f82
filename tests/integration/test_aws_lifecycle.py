"""Real AWS only: each profile's stack through create, update with a new function version, delete
and a re-create of the same stack name, which is where AWS differs from every emulator (log groups
that come back, retained resources that block a name, concurrency the account cannot reserve).

Run it with `UPLOADTRAIL_TARGET=aws AWS_PROFILE=... .venv/bin/python -m pytest tests/integration
--no-cov -rs`; it creates and deletes two stacks of its own and removes what prod keeps.
"""

from __future__ import annotations

import json
import uuid

import pytest

from deployment import cli as deploy
from tests.integration.conftest import TARGET
from tests.integration.inventory import (
    bucket_exists,
    deploy_changed_code,
    function_names,
    kept_resources,
    remove_kept,
    table_names,
)
from tests.integration.test_stack import items_for

pytestmark = pytest.mark.skipif(
    TARGET != "aws",
    reason=f"real AWS only (UPLOADTRAIL_TARGET={TARGET!r}): set UPLOADTRAIL_TARGET=aws with credentials to run it",
)


def deploy_and_read_outputs(argv: list[str], tmp_path) -> dict[str, str]:
    outputs_file = tmp_path / f"outputs-{uuid.uuid4().hex[:6]}.json"
    assert deploy.main(argv + ["--outputs-file", str(outputs_file)]) == 0
    return json.loads(outputs_file.read_text())


def upload_is_logged(clients, outputs: dict[str, str]) -> bool:
    key = f"lifecycle/{uuid.uuid4()}.txt"
    clients.s3.put_object(Bucket=outputs["BucketName"], Key=key, Body=b"l")
    return len(items_for(clients, outputs, key)) == 1


def stack_id(clients, name: str) -> str | None:
    """The id of the live stack of that name, or None (a deleted stack is found only by id)."""
    try:
        return clients.cloudformation.describe_stacks(StackName=name)["Stacks"][0]["StackId"]
    except clients.cloudformation.exceptions.ClientError as error:
        if "does not exist" in error.response["Error"]["Message"]:
            return None
        raise


@pytest.mark.parametrize("profile", ["dev", "prod"])
def test_create_update_delete_and_create_again_under_the_same_name(clients, target, profile, monkeypatch, tmp_path):
    name = f"uploadtrail-lc-{profile}-{uuid.uuid4().hex[:6]}"
    argv = ["--stack-name", name, "--region", target.region, "--template-profile", profile]
    argv += (["--endpoint", target.endpoint] if target.endpoint else []) + (
        ["--profile", target.profile] if target.profile else []
    )
    deleted: list[str] = []
    try:
        outputs = deploy_and_read_outputs(argv, tmp_path)
        assert upload_is_logged(clients, outputs)

        lambda_client = clients.client("lambda")
        before = lambda_client.get_function_configuration(FunctionName=outputs["LambdaFunctionName"])
        assert deploy_changed_code(monkeypatch, tmp_path, argv) == 0
        after = lambda_client.get_function_configuration(FunctionName=outputs["LambdaFunctionName"])
        assert after["CodeSha256"] != before["CodeSha256"]
        assert upload_is_logged(clients, outputs)

        deleted.append(stack_id(clients, name))
        assert deploy.main(argv + ["--destroy", "--yes"]) == 0
        assert outputs["LambdaFunctionName"] not in function_names(clients)
        groups = clients.client("logs").describe_log_groups(logGroupNamePrefix=f"/uploadtrail/{name}/")["logGroups"]
        assert groups == []  # none came back: the roles may not create log groups
        if profile == "prod":
            kept = kept_resources(clients, deleted[-1])
            assert sorted(kept) == ["AccessLogBucket", "DataEncryptionKey", "InvocationLogTable", "UploadsBucket"]
            assert outputs["DynamoDBTableName"] in table_names(clients)
            remove_kept(clients, {"UploadsBucket": kept["UploadsBucket"]})  # the README's step before a re-create
        else:
            assert outputs["DynamoDBTableName"] not in table_names(clients)
            assert not bucket_exists(clients, outputs["BucketName"])

        outputs = deploy_and_read_outputs(argv, tmp_path)
        assert upload_is_logged(clients, outputs)
    finally:
        deleted += [each for each in [stack_id(clients, name)] if each]
        assert deploy.main(argv + ["--destroy", "--yes"]) == 0, f"--destroy of {name} failed: the stack is left behind"
        for each in deleted:
            remove_kept(clients, kept_resources(clients, each))
