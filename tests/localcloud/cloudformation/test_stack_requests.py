"""UpdateStack with an unchanged template and GetTemplate answer as CloudFormation recorded them."""

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


@pytest.fixture
def stack_name(aws, parameters):
    name = f"requests-{uuid.uuid4().hex[:8]}"
    cloudformation = aws("cloudformation")
    cloudformation.create_stack(StackName=name, TemplateBody=TEMPLATE, Parameters=parameters)
    cloudformation.get_waiter("stack_create_complete").wait(StackName=name, WaiterConfig={"Delay": 0.2})
    return name


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
