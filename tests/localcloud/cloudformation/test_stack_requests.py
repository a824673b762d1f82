"""UpdateStack with an unchanged template and GetTemplate answer as CloudFormation recorded them;
a stack's resources are those it created."""

from __future__ import annotations

import json
import uuid

import pytest
from botocore.exceptions import ClientError

TEMPLATE = json.dumps(
    {
        "Parameters": {"Delay": {"Type": "Number", "Default": "0"}},
        "Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": {"Ref": "Delay"}}}},
    }
)


@pytest.fixture(params=[[], [{"ParameterKey": "Delay", "ParameterValue": "0"}]], ids=["no parameters", "parameters"])
def parameters(request):
    return request.param


def created(aws, parameters: list[dict]) -> str:
    name = f"requests-{uuid.uuid4().hex[:8]}"
    cloudformation = aws("cloudformation")
    cloudformation.create_stack(StackName=name, TemplateBody=TEMPLATE, Parameters=parameters)
    cloudformation.get_waiter("stack_create_complete").wait(StackName=name, WaiterConfig={"Delay": 0.2})
    return name


@pytest.fixture
def stack_name(aws, parameters):
    return created(aws, parameters)


@pytest.fixture
def stack(aws):
    """A stack made with its parameters' defaults."""
    return created(aws, [])


def test_an_update_with_the_stack_s_own_template_is_refused(aws, stack_name, parameters):
    """tests/aws/services/cloudformation/api/test_stacks.py::TestStacksApi::
    test_update_stack_with_same_template_withoutchange: ValidationError "No updates are to be
    performed." (400), and the stack is unchanged."""
    cloudformation = aws("cloudformation")
    with pytest.raises(ClientError) as refused:
        cloudformation.update_stack(StackName=stack_name, TemplateBody=TEMPLATE, Parameters=parameters)
    assert refused.value.response["Error"]["Code"] == "ValidationError"
    assert refused.value.response["Error"]["Message"] == "No updates are to be performed."
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"


def test_an_unchanged_change_set_fails_with_aws_s_reason(aws, stack_name, parameters):
    """tests/aws/services/cloudformation/api/test_changesets.py::test_create_change_set_no_changes:
    the change set is FAILED, UNAVAILABLE, with the recorded StatusReason."""
    cloudformation = aws("cloudformation")
    created = cloudformation.create_change_set(
        StackName=stack_name,
        ChangeSetName="same",
        TemplateBody=TEMPLATE,
        Parameters=parameters,
        ChangeSetType="UPDATE",
    )
    described = cloudformation.describe_change_set(ChangeSetName=created["Id"])
    assert (described["Status"], described["ExecutionStatus"], described["Changes"]) == ("FAILED", "UNAVAILABLE", [])
    assert described["StatusReason"] == (
        "The submitted information didn't contain changes. Submit different information to create a change set."
    )


def test_get_template_names_the_stages_available(aws, stack_name):
    """tests/aws/services/cloudformation/api/test_stacks.py::TestStacksApi::
    test_get_template_using_create_stack[json]: StagesAvailable ["Original", "Processed"] beside
    the submitted template."""
    answer = aws("cloudformation").get_template(StackName=stack_name)
    assert answer["StagesAvailable"] == ["Original", "Processed"]
    assert answer["TemplateBody"] == json.loads(TEMPLATE)


@pytest.fixture
def protected(aws, stack):
    cloudformation = aws("cloudformation")
    cloudformation.update_termination_protection(StackName=stack, EnableTerminationProtection=True)
    yield stack
    cloudformation.update_termination_protection(StackName=stack, EnableTerminationProtection=False)


def test_termination_protection_is_set_and_unset(aws, stack):
    """tests/aws/services/cloudformation/api/test_stacks.py::test_update_termination_protection:
    the answer names the stack, and DescribeStacks answers EnableTerminationProtection true, then
    false."""
    cloudformation = aws("cloudformation")
    stack_id = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]["StackId"]
    for enabled in (True, False):
        answer = cloudformation.update_termination_protection(StackName=stack, EnableTerminationProtection=enabled)
        assert answer["StackId"] == stack_id
        described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
        assert described["EnableTerminationProtection"] is enabled


def test_a_protected_stack_is_not_deleted(aws, protected):
    """DeleteStack of a stack with termination protection: ValidationError "Stack [NAME] cannot be
    deleted while TerminationProtection is enabled" (AWS's DeleteStack reference), and the stack
    stays as it was."""
    cloudformation = aws("cloudformation")
    with pytest.raises(ClientError) as refused:
        cloudformation.delete_stack(StackName=protected)
    assert refused.value.response["Error"]["Code"] == "ValidationError"
    assert refused.value.response["Error"]["Message"] == (
        f"Stack [{protected}] cannot be deleted while TerminationProtection is enabled"
    )
    assert cloudformation.describe_stacks(StackName=protected)["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"


def test_a_deleted_stack_has_its_deletion_time(aws, stack):
    """tests/aws/services/cloudformation/api/test_stacks.py::TestStacksApi::test_stack_lifecycle and
    ::test_name_conflicts: by stack id a deleted stack is DELETE_COMPLETE with a DeletionTime (and
    no EnableTerminationProtection); by name it does not exist; ListStacks names its DeletionTime."""
    cloudformation = aws("cloudformation")
    stack_id = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]["StackId"]
    cloudformation.delete_stack(StackName=stack)
    deleted = cloudformation.describe_stacks(StackName=stack_id)["Stacks"][0]
    assert deleted["StackStatus"] == "DELETE_COMPLETE" and deleted["StackName"] == stack
    assert deleted["CreationTime"] <= deleted["DeletionTime"]
    assert "EnableTerminationProtection" not in deleted
    with pytest.raises(ClientError, match=f"Stack with id {stack} does not exist"):
        cloudformation.describe_stacks(StackName=stack)
    summaries = cloudformation.list_stacks(StackStatusFilter=["DELETE_COMPLETE"])["StackSummaries"]
    summary = next(s for s in summaries if s["StackId"] == stack_id)
    assert (summary["StackName"], summary["StackStatus"]) == (stack, "DELETE_COMPLETE")
    assert summary["DeletionTime"] == deleted["DeletionTime"]


def test_resource_events_carry_the_resolved_properties(aws, stack):
    """tests/aws/services/cloudformation/api/test_stacks.py::TestStacksApi::test_list_events_after_deployment:
    each resource event has ResourceProperties, the JSON of its properties with the parameter
    resolved; the stack's own events have none."""
    found = aws("cloudformation").describe_stack_events(StackName=stack)["StackEvents"]
    queue = [event for event in found if event["LogicalResourceId"] == "Queue"]
    assert [event["ResourceStatus"] for event in reversed(queue)] == ["CREATE_IN_PROGRESS", "CREATE_COMPLETE"]
    assert all(json.loads(event["ResourceProperties"]) == {"DelaySeconds": "0"} for event in queue)
    assert not any("ResourceProperties" in event for event in found if event["LogicalResourceId"] == stack)


def change_set(cloudformation, name: str, kind: str, delay: str) -> str:
    created = cloudformation.create_change_set(
        StackName=name,
        ChangeSetName=f"{kind.lower()}-{delay}",
        TemplateBody=TEMPLATE,
        Parameters=[{"ParameterKey": "Delay", "ParameterValue": delay}],
        ChangeSetType=kind,
    )
    cloudformation.get_waiter("change_set_create_complete").wait(
        ChangeSetName=created["Id"], WaiterConfig={"Delay": 0.2}
    )
    return created["Id"]


def test_an_execution_removes_the_stacks_change_sets_from_the_list(aws):
    """tests/aws/services/cloudformation/api/test_changesets.py::test_create_change_set_update_without_parameters:
    after a CREATE change set is executed, ListChangeSets of the stack lists neither it nor one made
    before it, then only the UPDATE change set made since (AVAILABLE, CREATE_COMPLETE), and no
    other stack's."""
    cloudformation = aws("cloudformation")
    name, other = f"listed-{uuid.uuid4().hex[:8]}", f"other-{uuid.uuid4().hex[:8]}"
    executed = change_set(cloudformation, name, "CREATE", "0")
    change_set(cloudformation, name, "CREATE", "1")
    change_set(cloudformation, other, "CREATE", "0")
    cloudformation.execute_change_set(ChangeSetName=executed)
    cloudformation.get_waiter("stack_create_complete").wait(StackName=name, WaiterConfig={"Delay": 0.2})
    assert cloudformation.list_change_sets(StackName=name)["Summaries"] == []
    update = change_set(cloudformation, name, "UPDATE", "2")
    summaries = cloudformation.list_change_sets(StackName=name)["Summaries"]
    assert [(s["ChangeSetId"], s["ExecutionStatus"], s["Status"]) for s in summaries] == [
        (update, "AVAILABLE", "CREATE_COMPLETE")
    ]


CONDITIONAL = json.dumps(
    {
        "Parameters": {"Email": {"Type": "String", "Default": ""}},
        "Conditions": {"HasEmail": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Email"}, ""]}]}},
        "Resources": {
            "AlwaysQueue": {"Type": "AWS::SQS::Queue"},
            "EmailTopic": {"Type": "AWS::SNS::Topic", "Condition": "HasEmail"},
        },
    }
)


def test_a_resource_whose_condition_is_false_is_no_resource_of_the_stack(aws):
    """CloudFormation creates no resource whose Condition is false, and lists none: moto listed an
    empty one (no logical id, type or physical id), and DescribeStackResource answered 500."""
    name = f"conditional-{uuid.uuid4().hex[:8]}"
    cloudformation = aws("cloudformation")
    cloudformation.create_stack(StackName=name, TemplateBody=CONDITIONAL)
    cloudformation.get_waiter("stack_create_complete").wait(StackName=name, WaiterConfig={"Delay": 0.2})
    listed = cloudformation.list_stack_resources(StackName=name)["StackResourceSummaries"]
    assert [(r["LogicalResourceId"], r["ResourceType"]) for r in listed] == [("AlwaysQueue", "AWS::SQS::Queue")]
    described = cloudformation.describe_stack_resources(StackName=name)["StackResources"]
    assert [r["LogicalResourceId"] for r in described] == ["AlwaysQueue"]
    detail = cloudformation.describe_stack_resource(StackName=name, LogicalResourceId="AlwaysQueue")
    assert detail["StackResourceDetail"]["PhysicalResourceId"] == listed[0]["PhysicalResourceId"]
    with pytest.raises(ClientError) as missing:
        cloudformation.describe_stack_resource(StackName=name, LogicalResourceId="EmailTopic")
    assert missing.value.response["Error"]["Code"] == "ValidationError"
    assert missing.value.response["Error"]["Message"] == f"Resource EmailTopic does not exist for stack {name}"
