"""The deploy tool's approval of a replacement on the local cloud, the twins of the Stubber change
sets that stand in for Replacement (test_deployer.py's change-set table, test_approval.py's
replaced table and in-place index): a renamed table is shown as Replacement True, needs approval
and is left alone without it (issue 16, issue 20 item 14)."""

from __future__ import annotations

import copy
import io
import sys

import boto3
import pytest

from deployment import cli as deploy
from deployment import workflow
from localcloud import LOCAL_CREDENTIALS
from localcloud import server as localcloud


@pytest.fixture(scope="module")
def endpoint():
    with localcloud.running() as url:
        yield url


def client(endpoint: str, service: str):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", **LOCAL_CREDENTIALS)


def deploying(monkeypatch, change) -> None:
    """The deploy tool renders its template, then change(template) edits it."""
    build = workflow.build_template

    def edited(profile):
        template = build(profile)
        rendered = copy.deepcopy(template.to_dict())
        change(rendered)
        template.to_dict = lambda: rendered
        return template

    monkeypatch.setattr(workflow, "build_template", edited)


def table_row(out: str) -> list[str]:
    """The change-set table's row of InvocationLogTable, column by column."""
    rows = [line.split() for line in out.splitlines() if line.startswith("Modify") and "InvocationLogTable" in line]
    assert len(rows) == 1, out
    return rows[0]


def table_name(endpoint: str, stack: str) -> str:
    resources = client(endpoint, "cloudformation").list_stack_resources(StackName=stack)["StackResourceSummaries"]
    return next(r["PhysicalResourceId"] for r in resources if r["LogicalResourceId"] == "InvocationLogTable")


def test_a_renamed_table_is_replaced_only_with_approval(endpoint, monkeypatch, capsys):
    argv = ["--stack-name", "renamed-log", "--endpoint", endpoint]
    assert deploy.main(argv) == 0
    cloudformation = client(endpoint, "cloudformation")
    before = cloudformation.describe_stacks(StackName="renamed-log")["Stacks"][0]
    old_table = table_name(endpoint, "renamed-log")
    capsys.readouterr()

    def rename(template):
        template["Resources"]["InvocationLogTable"]["Properties"]["TableName"] = "renamed-log-invocations"

    deploying(monkeypatch, rename)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert deploy.main(argv) == 2
    captured = capsys.readouterr()
    assert table_row(captured.out) == ["Modify", "InvocationLogTable", "AWS::DynamoDB::Table", "True"]
    assert "InvocationLogTable (AWS::DynamoDB::Table) is replaced: a new, empty one takes its place" in captured.out
    assert "refusing to deploy to stack renamed-log without approval: no terminal to ask" in captured.err
    after = cloudformation.describe_stacks(StackName="renamed-log")["Stacks"][0]
    assert (after["StackStatus"], after.get("LastUpdatedTime")) == (
        before["StackStatus"],
        before.get("LastUpdatedTime"),
    )
    assert table_name(endpoint, "renamed-log") == old_table
    assert "renamed-log-invocations" not in client(endpoint, "dynamodb").list_tables()["TableNames"]

    assert deploy.main(argv + ["--yes"]) == 0
    assert "Stack renamed-log: update complete." in capsys.readouterr().out
    assert table_name(endpoint, "renamed-log") == "renamed-log-invocations"
    tables = client(endpoint, "dynamodb").list_tables()["TableNames"]
    assert "renamed-log-invocations" in tables and old_table not in tables
    function = next(
        r["PhysicalResourceId"]
        for r in cloudformation.list_stack_resources(StackName="renamed-log")["StackResourceSummaries"]
        if r["LogicalResourceId"] == "InvocationLoggerFunction"
    )
    configuration = client(endpoint, "lambda").get_function_configuration(FunctionName=function)
    assert configuration["Environment"]["Variables"]["TABLE_NAME"] == "renamed-log-invocations"


def test_adding_the_object_key_index_updates_the_table_in_place_without_approval(endpoint, monkeypatch, capsys):
    """GlobalSecondaryIndexes and AttributeDefinitions are not create-only: Replacement False."""

    def without_index(template):
        properties = template["Resources"]["InvocationLogTable"]["Properties"]
        del properties["GlobalSecondaryIndexes"]
        properties["AttributeDefinitions"] = [
            a for a in properties["AttributeDefinitions"] if a["AttributeName"] != "objectKey"
        ]

    argv = ["--stack-name", "indexed-log", "--endpoint", endpoint]
    with monkeypatch.context() as before_the_index:
        deploying(before_the_index, without_index)
        assert deploy.main(argv) == 0
    old_table = table_name(endpoint, "indexed-log")
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert deploy.main(argv) == 0
    out = capsys.readouterr().out
    assert table_row(out) == ["Modify", "InvocationLogTable", "AWS::DynamoDB::Table", "False"]
    assert "cannot be undone" not in out
    assert table_name(endpoint, "indexed-log") == old_table
