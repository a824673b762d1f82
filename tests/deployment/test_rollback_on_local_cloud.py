"""The local-cloud twins of test_deployer.py's stubbed failed update and continued rollback: a
deploy whose update fails reports the root cause and leaves the stack UPDATE_ROLLBACK_COMPLETE with
its old outputs; a stack whose rollback failed is continued by `deploy --continue-rollback`, once
its cause is fixed, and the deploy goes on."""

from __future__ import annotations

import io
import json

import boto3
import pytest

from deployment import cli as deploy
from deployment.deployer import Deployer, DeploymentFailed
from deployment.function_package import FUNCTION_DIR
from deployment.reporter import Reporter
from localcloud import LOCAL_CREDENTIALS
from localcloud import server as localcloud
from tests.integration.inventory import deploy_with_source
from tests.localcloud.sample_app import APP, custom_resource_template
from tests.localcloud.stacks import upload_code, zipped


@pytest.fixture(scope="module")
def endpoint():
    with localcloud.running() as url:
        yield url


@pytest.fixture(scope="module")
def aws(endpoint):
    session = boto3.session.Session(region_name="us-east-1", **LOCAL_CREDENTIALS)
    return lambda service: session.client(service, endpoint_url=endpoint)


def deploy_template(deployer: Deployer, name: str, template: dict) -> None:
    """The deploy tool's change-set path, as `deploy` runs it."""
    kind, _ = deployer.prepare(name)
    change_set = deployer.create_change_set(name, {"TemplateBody": json.dumps(template)}, {}, kind)
    deployer.finish(change_set, name, deployer.start(change_set))


def test_a_failed_update_reports_its_root_cause_and_rolls_back_to_the_old_outputs(aws):
    """Twin of test_a_failed_execution_reports_the_first_failure_that_is_not_a_cancellation."""
    out = io.StringIO()
    deployer = Deployer(aws("cloudformation"), Reporter(out=out), poll_seconds=0.1)
    code_key = upload_code(aws, zipped({"app.py": APP}))
    old = custom_resource_template(code_key, Version="1")
    old["Outputs"] = {"Version": {"Value": "1"}, "FunctionName": old["Outputs"]["FunctionName"]}
    deploy_template(deployer, "update-fails", old)
    before = deployer.outputs("update-fails")

    new = custom_resource_template(code_key, Version="2", Answer="FAILED")
    new["Outputs"] = {"Version": {"Value": "2"}, "FunctionName": new["Outputs"]["FunctionName"]}
    with pytest.raises(DeploymentFailed) as failure:
        deploy_template(deployer, "update-fails", new)

    assert str(failure.value) == "Custom (Custom::Probe): RuntimeError: Custom: told to FAILED"
    assert "UPDATE_ROLLBACK_COMPLETE | AWS::CloudFormation::Stack" in out.getvalue()
    stack = aws("cloudformation").describe_stacks(StackName="update-fails")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert deployer.outputs("update-fails") == before and before["Version"] == "1"
    aws("cloudformation").delete_stack(StackName="update-fails")


def deploy_version(monkeypatch, tmp_path, args: list[str], version: str) -> int:
    """`deploy` with the logger's code changed to this version."""
    code = (FUNCTION_DIR / "handler.py").read_text() + f"\n# version {version}\n"
    code_changed = deploy_with_source(monkeypatch, tmp_path / version, args, "handler.py", code)
    monkeypatch.undo()
    return code_changed


def logger_role_policy(aws, stack: str) -> tuple[str, str, str]:
    """The logger role's name, its inline policy's name and document."""
    resources = aws("cloudformation").list_stack_resources(StackName=stack)["StackResourceSummaries"]
    role = next(r["PhysicalResourceId"] for r in resources if r["LogicalResourceId"] == "InvocationLoggerRole")
    (policy,) = aws("iam").list_role_policies(RoleName=role)["PolicyNames"]
    document = aws("iam").get_role_policy(RoleName=role, PolicyName=policy)["PolicyDocument"]
    return role, policy, document if isinstance(document, str) else json.dumps(document)


def test_deploy_continue_rollback_completes_a_failed_rollback_then_deploys(
    aws, endpoint, monkeypatch, tmp_path, capsys
):
    """Twin of test_continue_rollback_continues_then_updates: the logger's role loses its policy by
    hand, so its dead-letter queue cannot be sent to and Lambda refuses both the update of its code
    and the rollback's; the policy put back, --continue-rollback completes the rollback and deploys."""
    name = "rollback-continued"
    args = ["--stack-name", name, "--endpoint", endpoint, "--yes"]
    assert deploy.main(args) == 0
    role, policy, document = logger_role_policy(aws, name)
    aws("iam").delete_role_policy(RoleName=role, PolicyName=policy)
    capsys.readouterr()

    assert deploy_version(monkeypatch, tmp_path, args, "2") == 1
    err = capsys.readouterr().err
    assert f"deployment of {name} failed: InvocationLoggerFunction (AWS::Lambda::Function)" in err
    assert "does not have permissions to call SendMessage on SQS" in err
    cloudformation = aws("cloudformation")
    assert cloudformation.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"] == "UPDATE_ROLLBACK_FAILED"

    assert deploy_version(monkeypatch, tmp_path, args, "3") == 1
    refused = capsys.readouterr().err
    assert "could not roll back InvocationLoggerFunction (AWS::Lambda::Function)" in refused
    assert "Fix that cause, then deploy again with --continue-rollback" in refused

    aws("iam").put_role_policy(RoleName=role, PolicyName=policy, PolicyDocument=document)
    assert deploy_version(monkeypatch, tmp_path, [*args, "--continue-rollback"], "4") == 0
    out = capsys.readouterr().out
    assert f"Continuing the rollback of stack {name}." in out
    assert "UPDATE_ROLLBACK_COMPLETE | AWS::CloudFormation::Stack" in out and "update complete" in out
    assert cloudformation.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"] == "UPDATE_COMPLETE"
    assert deploy.main(["--destroy", *args]) == 0
