"""Contract of localcloud/cloudformation/update_rollback.py: plain moto leaves a failed update as
the failure left it (the new template, no rollback) and has no ContinueUpdateRollback."""

from __future__ import annotations

import json

import pytest

from tests.localcloud.plain_moto import create_stack


def queue(timeout) -> dict:
    return {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": timeout}}}


def test_plain_moto_keeps_the_template_of_a_failed_update_and_cannot_continue_a_rollback(plain_moto):
    create_stack(plain_moto, queue(30))
    cloudformation = plain_moto("cloudformation")
    with pytest.raises(ValueError):  # the server answers 500
        cloudformation.update_stack(StackName="contract", TemplateBody=json.dumps({"Resources": queue("never")}))
    stack = cloudformation.describe_stacks(StackName="contract")["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"  # AWS: UPDATE_ROLLBACK_COMPLETE
    assert cloudformation.get_template(StackName="contract")["TemplateBody"] == {"Resources": queue("never")}
    with pytest.raises(NotImplementedError):
        cloudformation.continue_update_rollback(StackName="contract")
