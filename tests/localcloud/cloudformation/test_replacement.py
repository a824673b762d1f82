"""localcloud/cloudformation/replacement.py and replacement_plan.py: a change to a create-only
property replaces the resource (new physical ID, the old one deleted in the cleanup phase), and
change sets describe each Modify's Replacement, Scope and Details, as AWS recorded them in
LocalStack's parity snapshots."""

from __future__ import annotations

import copy
import json
import uuid

import pytest

from tests.localcloud.stacks import deploy, index_of, outputs, update_events

REPLACING = "Requested update requires the creation of a new physical resource; hence creating one."


def described_change_set(aws, stack: str, template: dict, parameters: dict | None = None) -> dict:
    """The UPDATE change set of template for stack, described, and deleted again."""
    cloudformation = aws("cloudformation")
    created = cloudformation.create_change_set(
        StackName=stack,
        ChangeSetName=f"c-{uuid.uuid4().hex[:8]}",
        ChangeSetType="UPDATE",
        TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": key, "ParameterValue": value} for key, value in (parameters or {}).items()],
        Capabilities=["CAPABILITY_NAMED_IAM"],
    )
    described = cloudformation.describe_change_set(ChangeSetName=created["Id"])
    cloudformation.delete_change_set(ChangeSetName=created["Id"])
    return {c["ResourceChange"]["LogicalResourceId"]: c["ResourceChange"] for c in described["Changes"]}


def queue_template(name_parameter: bool) -> dict:
    """LocalStack's test_requires_replacement: a queue CloudFormation names, then one named by a
    parameter."""
    queue = {"Type": "AWS::SQS::Queue"}
    template = {"Resources": {"MyQueue": queue}, "Outputs": {}}
    if name_parameter:
        template["Parameters"] = {"QueueName": {"Type": "String"}}
        queue["Properties"] = {"QueueName": {"Ref": "QueueName"}}
    for output, attribute in [("QueueName", "QueueName"), ("QueueArn", "Arn")]:
        template["Outputs"][output] = {"Value": {"Fn::GetAtt": ["MyQueue", attribute]}}
    return template


def test_a_renamed_queue_is_a_new_queue_and_the_old_one_is_deleted_in_cleanup(aws):
    """tests/aws/services/cloudformation/engine/test_replacement.py::test_requires_replacement and
    test_change_set_parameters.py::TestChangeSetParameters::test_update_parameter_default_value
    (per-resource-events, describe-change-set-2): the new queue is created under the old physical
    ID's UPDATE_IN_PROGRESS, the old one deleted after UPDATE_COMPLETE_CLEANUP_IN_PROGRESS."""
    first = deploy(aws, "renamed-queue", queue_template(False))
    before = outputs(first)
    new_name = f"queue-{uuid.uuid4().hex[:8]}"

    change = described_change_set(aws, "renamed-queue", queue_template(True), {"QueueName": new_name})["MyQueue"]
    assert change["Action"] == "Modify" and change["Replacement"] == "True"
    old_url = change["PhysicalResourceId"]  # the queue's URL, as CloudFormation names a queue
    assert old_url.endswith(f"/{before['QueueName']}") and change["PolicyAction"] == "ReplaceAndDelete"
    assert change["Scope"] == ["Properties"]
    assert change["Details"] == [
        {
            "Target": {"Attribute": "Properties", "Name": "QueueName", "RequiresRecreation": "Always"},
            "Evaluation": "Static",
            "ChangeSource": "DirectModification",
        }
    ]

    updated = deploy(aws, "renamed-queue", queue_template(True), {"QueueName": new_name})
    assert updated["StackStatus"] == "UPDATE_COMPLETE"
    after = outputs(updated)
    assert after["QueueName"] == new_name and after["QueueArn"] != before["QueueArn"]
    queues = [url.rsplit("/", 1)[1] for url in aws("sqs").list_queues().get("QueueUrls", [])]
    assert new_name in queues and before["QueueName"] not in queues
    resources = aws("cloudformation").list_stack_resources(StackName="renamed-queue")["StackResourceSummaries"]
    new_url = resources[0]["PhysicalResourceId"]
    assert new_url.endswith(f"/{new_name}")
    assert update_events(aws, "renamed-queue")[1:] == [
        ("MyQueue", "UPDATE_IN_PROGRESS", old_url, REPLACING),
        ("MyQueue", "UPDATE_IN_PROGRESS", new_url, "Resource creation Initiated"),
        ("MyQueue", "UPDATE_COMPLETE", new_url, None),
        ("renamed-queue", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", first["StackId"], None),
        ("MyQueue", "DELETE_IN_PROGRESS", old_url, None),
        ("MyQueue", "DELETE_COMPLETE", old_url, None),
        ("renamed-queue", "UPDATE_COMPLETE", first["StackId"], None),
    ]


def test_a_parameter_that_renames_a_resource_is_its_static_cause(aws):
    """test_change_set_parameters.py::TestChangeSetParameters::test_update_parameter_default_value
    (describe-change-set-2): ParameterReference (Static) and DirectModification (Dynamic), True."""
    deploy(aws, "named-by-parameter", queue_template(True), {"QueueName": f"q-{uuid.uuid4().hex[:8]}"})
    change = described_change_set(
        aws, "named-by-parameter", queue_template(True), {"QueueName": f"q-{uuid.uuid4().hex[:8]}"}
    )["MyQueue"]
    target = {"Attribute": "Properties", "Name": "QueueName", "RequiresRecreation": "Always"}
    assert change["Replacement"] == "True"
    assert change["Details"] == [
        {"Target": target, "Evaluation": "Static", "ChangeSource": "ParameterReference", "CausingEntity": "QueueName"},
        {"Target": target, "Evaluation": "Dynamic", "ChangeSource": "DirectModification"},
    ]


def role_template(code_key: str, role_name: str, description: str = "first") -> dict:
    from tests.localcloud.stacks import python_function_template

    template = python_function_template(code_key)
    template["Resources"]["Role"]["Properties"] |= {"RoleName": role_name, "Description": description}
    template["Outputs"]["RoleArn"] = {"Value": {"Fn::GetAtt": ["Role", "Arn"]}}
    return template


def test_a_renamed_role_is_a_new_role_and_its_function_moves_to_it(aws, code_key):
    """AWS replaces a role whose RoleName changes (moto's update looks the new name up and fails
    with NoSuchEntity); the function that refers to it is updated to the new ARN, a Dynamic
    ResourceAttribute change that replaces nothing."""
    old_name, new_name = f"role-{uuid.uuid4().hex[:8]}", f"role-{uuid.uuid4().hex[:8]}"
    deploy(aws, "renamed-role", role_template(code_key, old_name))
    changes = described_change_set(aws, "renamed-role", role_template(code_key, new_name))
    assert changes["Role"]["Replacement"] == "True"
    assert changes["Function"]["Replacement"] == "False"
    assert changes["Function"]["Details"] == [
        {
            "Target": {"Attribute": "Properties", "Name": "Role", "RequiresRecreation": "Never"},
            "Evaluation": "Dynamic",
            "ChangeSource": "ResourceAttribute",
            "CausingEntity": "Role.Arn",
        }
    ]

    updated = deploy(aws, "renamed-role", role_template(code_key, new_name))
    assert updated["StackStatus"] == "UPDATE_COMPLETE"
    new_arn = outputs(updated)["RoleArn"]
    assert new_arn.endswith(f":role/{new_name}")
    function = aws("lambda").get_function_configuration(FunctionName=outputs(updated)["FunctionName"])
    assert function["Role"] == new_arn
    with pytest.raises(aws("iam").exceptions.NoSuchEntityException):
        aws("iam").get_role(RoleName=old_name)


def test_a_description_change_updates_in_place(aws, code_key):
    """test_change_sets.py::test_unrelated_changes_update_propagation (describe-change-set-2): a
    property that is not create-only is a Static DirectModification that never recreates."""
    name = f"role-{uuid.uuid4().hex[:8]}"
    first = deploy(aws, "described-role", role_template(code_key, name))
    role_id = aws("iam").get_role(RoleName=name)["Role"]["RoleId"]
    changes = described_change_set(aws, "described-role", role_template(code_key, name, "second"))
    assert list(changes) == ["Role"]
    assert changes["Role"]["Replacement"] == "False" and "PolicyAction" not in changes["Role"]
    assert changes["Role"]["Scope"] == ["Properties"]
    assert changes["Role"]["Details"] == [
        {
            "Target": {"Attribute": "Properties", "Name": "Description", "RequiresRecreation": "Never"},
            "Evaluation": "Static",
            "ChangeSource": "DirectModification",
        }
    ]
    updated = deploy(aws, "described-role", role_template(code_key, name, "second"))
    assert updated["StackStatus"] == "UPDATE_COMPLETE"
    role = aws("iam").get_role(RoleName=name)["Role"]
    assert (role["RoleId"], role["Description"]) == (role_id, "second")
    assert outputs(updated)["RoleArn"] == outputs(first)["RoleArn"]


def table_template(name: str | None, key: str = "k") -> dict:
    properties = {
        "AttributeDefinitions": [{"AttributeName": key, "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST",
    }
    if name:
        properties["TableName"] = name
    return {
        "Resources": {"Table": {"Type": "AWS::DynamoDB::Table", "Properties": properties}},
        "Outputs": {"TableName": {"Value": {"Ref": "Table"}}},
    }


def test_a_renamed_table_is_a_new_table(aws):
    first = deploy(aws, "renamed-table", table_template(None))
    old_name = outputs(first)["TableName"]
    aws("dynamodb").put_item(TableName=old_name, Item={"k": {"S": "kept?"}})
    new_name = f"table-{uuid.uuid4().hex[:8]}"
    assert described_change_set(aws, "renamed-table", table_template(new_name))["Table"]["Replacement"] == "True"
    updated = deploy(aws, "renamed-table", table_template(new_name))
    assert updated["StackStatus"] == "UPDATE_COMPLETE" and outputs(updated)["TableName"] == new_name
    assert aws("dynamodb").scan(TableName=new_name)["Items"] == []
    assert old_name not in aws("dynamodb").list_tables()["TableNames"]


def test_a_key_schema_change_may_replace_and_a_custom_name_that_stays_is_refused(aws):
    """KeySchema is conditionally create-only in the resource schema: Conditional, and
    CloudFormation will not replace a custom-named resource that keeps its name."""
    name = f"table-{uuid.uuid4().hex[:8]}"
    deploy(aws, "rekeyed-table", table_template(name))
    change = described_change_set(aws, "rekeyed-table", table_template(name, "other"))["Table"]
    assert change["Replacement"] == "Conditional"
    assert {"Name": "KeySchema", "Attribute": "Properties", "RequiresRecreation": "Conditionally"} in [
        detail["Target"] for detail in change["Details"]
    ]
    stack = deploy(aws, "rekeyed-table", table_template(name, "other"))
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"  # the rollback replaces nothing again
    found = update_events(aws, "rekeyed-table")
    rollback = index_of(found, "rekeyed-table", "UPDATE_ROLLBACK_IN_PROGRESS")
    failed = [(status, reason) for logical, status, _, reason in found[:rollback] if logical == "Table"]
    assert failed[-1] == (
        "UPDATE_FAILED",
        "RuntimeError: CloudFormation cannot update a stack when a custom-named resource requires replacing. "
        f"Rename {name} and update the stack again.",
    )
    key = aws("dynamodb").describe_table(TableName=name)["Table"]["KeySchema"]
    assert key == [{"AttributeName": "k", "KeyType": "HASH"}]


def test_update_replace_policy_retain_keeps_the_old_resource(aws):
    first = deploy(aws, "kept-on-replace", table_template(None))
    old_name = outputs(first)["TableName"]
    template = table_template(f"table-{uuid.uuid4().hex[:8]}")
    template["Resources"]["Table"]["UpdateReplacePolicy"] = "Retain"
    change = described_change_set(aws, "kept-on-replace", template)["Table"]
    assert change["PolicyAction"] == "ReplaceAndRetain"
    deploy(aws, "kept-on-replace", template)
    assert old_name in aws("dynamodb").list_tables()["TableNames"]
    kept = [e for e in update_events(aws, "kept-on-replace") if e[0] == "Table" and e[1] == "DELETE_SKIPPED"]
    assert [physical for _, _, physical, _ in kept] == [old_name]


def test_add_and_remove_describe_no_replacement(aws):
    """test_changesets.py: an Add has empty Scope and Details; a Remove names its physical ID and
    PolicyAction Delete."""
    template = table_template(None)
    first = deploy(aws, "added-removed", template)
    queue = copy.deepcopy(template)
    del queue["Resources"]["Table"]
    queue["Resources"]["Queue"] = {"Type": "AWS::SQS::Queue"}
    queue["Outputs"] = {}
    changes = described_change_set(aws, "added-removed", queue)
    assert changes["Queue"] == {
        "Action": "Add",
        "LogicalResourceId": "Queue",
        "ResourceType": "AWS::SQS::Queue",
        "Scope": [],
        "Details": [],
    }
    assert changes["Table"]["PhysicalResourceId"] == outputs(first)["TableName"]
    assert changes["Table"]["PolicyAction"] == "Delete" and "Replacement" not in changes["Table"]


def test_an_old_resource_that_cannot_be_deleted_leaves_the_update_complete(aws):
    """The cleanup phase does not fail the update: a replaced bucket that still holds objects
    stays, and its DELETE_FAILED event says why."""
    suffix = uuid.uuid4().hex[:8]
    bucket = {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": f"old-{suffix}"}}
    deploy(aws, "full-replaced", {"Resources": {"Bucket": bucket}})
    aws("s3").put_object(Bucket=f"old-{suffix}", Key="k", Body=b"x")
    renamed = {"Resources": {"Bucket": {**bucket, "Properties": {"BucketName": f"new-{suffix}"}}}}
    assert deploy(aws, "full-replaced", renamed)["StackStatus"] == "UPDATE_COMPLETE"
    failed = [reason for logical, status, _, reason in update_events(aws, "full-replaced") if status == "DELETE_FAILED"]
    assert len(failed) == 1 and "not empty" in failed[0]
    names = {b["Name"] for b in aws("s3").list_buckets()["Buckets"]}
    assert {f"old-{suffix}", f"new-{suffix}"} <= names


def test_a_resource_without_properties_is_left_alone_by_an_update_that_does_not_touch_it(aws):
    """moto fills in an empty Properties in the template it keeps, and its SNS topic update
    deletes and re-creates the topic: every update replaced such a topic, leaving its
    subscriptions behind. CloudFormation leaves an unchanged resource alone."""
    template = {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}, "Queue": {"Type": "AWS::SQS::Queue"}},
        "Outputs": {"TopicArn": {"Value": {"Ref": "Topic"}}},
    }
    first = deploy(aws, "bare-topic", template)
    changed = copy.deepcopy(template)
    changed["Resources"]["Queue"]["Properties"] = {"VisibilityTimeout": 60}
    assert list(described_change_set(aws, "bare-topic", changed)) == ["Queue"]
    assert outputs(deploy(aws, "bare-topic", changed))["TopicArn"] == outputs(first)["TopicArn"]
