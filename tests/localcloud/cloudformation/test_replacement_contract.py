"""Contract of localcloud/cloudformation/replacement.py: plain moto updates a renamed queue in
place (it keeps its URL), fails to rename a role (it looks the new name up), and describes a
Modify without Replacement."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from tests.localcloud.plain_moto import create_stack


def update(aws, resources: dict) -> None:
    aws("cloudformation").update_stack(StackName="contract", TemplateBody=json.dumps({"Resources": resources}))


def test_plain_moto_keeps_a_renamed_queue(plain_moto):
    create_stack(plain_moto, {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "first"}}})
    update(plain_moto, {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "second"}}})
    queues = plain_moto("sqs").list_queues()["QueueUrls"]
    assert [url.rsplit("/", 1)[1] for url in queues] == ["first"]  # AWS: a new queue named second


def test_plain_moto_cannot_rename_a_role(plain_moto):
    role = {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "first", "AssumeRolePolicyDocument": {}}}
    create_stack(plain_moto, {"Role": role})
    renamed = {"Role": {**role, "Properties": {**role["Properties"], "RoleName": "second"}}}
    with pytest.raises(ClientError, match="second"):  # AWS: a new role named second
        update(plain_moto, renamed)


def test_plain_moto_describes_no_replacement(plain_moto):
    create_stack(plain_moto, {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "first"}}})
    cloudformation = plain_moto("cloudformation")
    renamed = {"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "second"}}}}
    created = cloudformation.create_change_set(
        StackName="contract", ChangeSetName="c", ChangeSetType="UPDATE", TemplateBody=json.dumps(renamed)
    )
    change = cloudformation.describe_change_set(ChangeSetName=created["Id"])["Changes"][0]["ResourceChange"]
    assert change["Action"] == "Modify" and "Replacement" not in change  # AWS: Replacement True
