"""What cannot be undone needs approval."""

import copy

import pytest

from deployment.approval import irreversible
from deployment.security_diff import security_diff


def change(action: str, logical: str, kind: str, replacement: str | None = None) -> dict:
    resource = {"Action": action, "LogicalResourceId": logical, "ResourceType": kind}
    if replacement:
        resource["Replacement"] = replacement
    return {"Type": "Resource", "ResourceChange": resource}


def test_switching_prod_to_dev_lists_everything_that_cannot_be_undone(prod, dev):
    changes = [
        change("Remove", "DataEncryptionKey", "AWS::KMS::Key"),
        change("Remove", "AccessLogBucketPolicy", "AWS::S3::BucketPolicy"),
        change("Modify", "InvocationLogTable", "AWS::DynamoDB::Table", "False"),
        change("Modify", "UploadsBucket", "AWS::S3::Bucket", "False"),
        change("Modify", "InvocationLoggerFunction", "AWS::Lambda::Function", "True"),
    ]
    assert irreversible(changes, prod, dev, "prod", "dev") == [
        "the stack's template profile changes from prod to dev",
        "DataEncryptionKey (AWS::KMS::Key) is removed from the stack: kept outside any stack by its DeletionPolicy",
        "InvocationLogTable (AWS::DynamoDB::Table) turns off deletion protection (DeletionProtectionEnabled)",
        "InvocationLogTable (AWS::DynamoDB::Table) is no longer kept when the stack is deleted (DeletionPolicy Delete)",
        "UploadsBucket (AWS::S3::Bucket) is no longer kept when the stack is deleted (DeletionPolicy Delete)",
    ]


def test_replacing_or_removing_data_without_retention(dev):
    changes = [
        change("Modify", "InvocationLogTable", "AWS::DynamoDB::Table", "True"),
        change("Modify", "UploadsBucket", "AWS::S3::Bucket", "Conditional"),
        change("Remove", "InvocationLoggerDeadLetterQueue", "AWS::SQS::Queue"),
        {"Type": "HookInvocation"},
    ]
    assert irreversible(changes, dev, dev, "dev", "dev") == [
        "InvocationLogTable (AWS::DynamoDB::Table) is replaced: a new, empty one takes its place",
        "UploadsBucket (AWS::S3::Bucket) may be replaced: a new, empty one takes its place",
        "InvocationLoggerDeadLetterQueue (AWS::SQS::Queue) is removed from the stack: deleted with its data",
    ]


def test_a_new_stack_and_ordinary_updates_need_no_approval(dev):
    assert irreversible([change("Add", "UploadsBucket", "AWS::S3::Bucket")], {}, dev, None, "dev") == []
    code_update = [change("Modify", "InvocationLoggerFunction", "AWS::Lambda::Function", "False")]
    assert irreversible(code_update, dev, dev, "dev", "dev") == []


def without_object_key_index(template: dict) -> dict:
    """template as it was before the index by objectKey: the stack an update adds it to."""
    old = copy.deepcopy(template)
    properties = old["Resources"]["InvocationLogTable"]["Properties"]
    del properties["GlobalSecondaryIndexes"]
    properties["AttributeDefinitions"] = [
        a for a in properties["AttributeDefinitions"] if a["AttributeName"] != "objectKey"
    ]
    return old


def in_place(logical: str, kind: str, *properties: str) -> dict:
    """A Modify as CloudFormation's change set reports a property update without interruption."""
    return {
        "Type": "Resource",
        "ResourceChange": {
            "Action": "Modify",
            "LogicalResourceId": logical,
            "PhysicalResourceId": f"{logical.lower()}-physical",
            "ResourceType": kind,
            "Replacement": "False",
            "Scope": ["Properties"],
            "Details": [
                {
                    "Target": {"Attribute": "Properties", "Name": name, "RequiresRecreation": "Never"},
                    "Evaluation": "Static",
                    "ChangeSource": "DirectModification",
                }
                for name in properties
            ],
        },
    }


@pytest.mark.parametrize("profile", ["dev", "prod"])
def test_adding_the_object_key_index_updates_the_table_in_place_without_approval(rendered, profile):
    # GlobalSecondaryIndexes and AttributeDefinitions update without interruption (DynamoDB builds
    # one new index per update); only KeySchema would replace the table.
    new = rendered[profile]
    old = without_object_key_index(new)
    changes = [in_place("InvocationLogTable", "AWS::DynamoDB::Table", "AttributeDefinitions", "GlobalSecondaryIndexes")]
    assert irreversible(changes, old, new, profile, profile) == []
    assert security_diff(old, new) == []


@pytest.mark.parametrize("profile", ["dev", "prod"])
def test_changing_the_function_architecture_is_a_code_only_update(rendered, profile):
    # A new FunctionArchitecture value leaves the template as it is: Architectures of both
    # functions update in place, and no statement changes.
    template = rendered[profile]
    changes = [
        in_place(logical, "AWS::Lambda::Function", "Architectures")
        for logical, resource in template["Resources"].items()
        if resource["Type"] == "AWS::Lambda::Function"
    ]
    assert changes
    assert irreversible(changes, template, template, profile, profile) == []
    assert security_diff(template, template) == []
