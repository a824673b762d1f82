"""localcloud/cloudformation/custom_resources.py: custom resources get Create, Update and Delete,
and a FAILED answer fails the stack as CloudFormation does."""

from __future__ import annotations

from tests.localcloud.sample_app import custom_resource_template
from tests.localcloud.stacks import deploy, events, outputs


def test_custom_resources_get_create_update_and_delete(aws, code_key):
    stack = deploy(aws, "custom-ok", custom_resource_template(code_key, Version="1"))
    assert stack["StackStatus"] == "CREATE_COMPLETE" and outputs(stack)["Seen"] == "Create"
    stack = deploy(aws, "custom-ok", custom_resource_template(code_key, Version="2"))
    assert outputs(stack)["Seen"] == "Update"
    aws("cloudformation").delete_stack(StackName="custom-ok")
    assert ("Custom", "DELETE_COMPLETE", None) in events(aws, stack["StackId"])


def test_a_failed_custom_resource_rolls_the_stack_back_with_its_reason(aws, code_key):
    stack = deploy(aws, "custom-failed", custom_resource_template(code_key, Answer="FAILED"))
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    failed = [reason for logical, status, reason in events(aws, stack["StackId"]) if status == "CREATE_FAILED"]
    assert failed and "told to FAILED" in failed[0]
    aws("cloudformation").delete_stack(StackName=stack["StackId"])


def test_a_failed_delete_keeps_the_stack_listed_as_delete_failed(aws, code_key):
    stack = deploy(aws, "custom-stuck", custom_resource_template(code_key, FailDelete="yes"))
    aws("cloudformation").delete_stack(StackName="custom-stuck")
    described = aws("cloudformation").describe_stacks(StackName="custom-stuck")["Stacks"][0]
    assert described["StackStatus"] == "DELETE_FAILED"
    assert ("Custom", "DELETE_FAILED", "Custom: refusing to delete") in events(aws, stack["StackId"])
