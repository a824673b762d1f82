"""localcloud/cloudformation/update_rollback.py: a failed update rolls back to the previous
template, parameters and resources; a rollback that fails ends in UPDATE_ROLLBACK_FAILED, and
ContinueUpdateRollback completes it, once the cause is fixed or with the resource skipped."""

from __future__ import annotations

import json
import uuid

import pytest
from botocore.exceptions import ClientError

from localcloud import patches
from localcloud.cloud import LocalCloud, Options
from tests.localcloud.sample_app import custom_resource_template
from tests.localcloud.stacks import deploy, events, index_of, outputs, update_events

REPLACING = "Requested update requires the creation of a new physical resource; hence creating one."
FAILED_UPDATE = "The following resource(s) failed to update: [Custom]. "


def before_and_after(code_key: str) -> tuple[dict, dict]:
    """A stack of the custom resource, a queue (VisibilityTimeout 30), another queue and a Label
    parameter and output; then an update that fails: the custom resource told to fail, the queue's
    timeout 60, the other queue removed, a queue and a custom resource that refuses deletion added."""
    before = custom_resource_template(code_key)
    before["Parameters"] = {"Label": {"Type": "String"}}
    before["Resources"]["Queue"] = {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 30}}
    before["Resources"]["RemovedQueue"] = {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 5}}
    before["Outputs"]["Label"] = {"Value": {"Ref": "Label"}}
    before["Outputs"]["QueueUrl"] = {"Value": {"Ref": "Queue"}}
    after = json.loads(json.dumps(before))
    resources = after["Resources"]
    resources["Custom"]["Properties"]["Answer"] = "FAILED"
    resources["Queue"]["Properties"]["VisibilityTimeout"] = 60
    resources["AddedQueue"] = resources.pop("RemovedQueue")
    resources["AddedProbe"] = json.loads(json.dumps(resources["Custom"]))
    resources["AddedProbe"]["Properties"] = {"ServiceToken": resources["Custom"]["Properties"]["ServiceToken"]}
    resources["AddedProbe"]["Properties"]["FailDelete"] = "yes"
    return before, after


def update_stack(aws, name: str, template: dict, parameters: dict) -> dict:
    """UpdateStack, then the stack's description."""
    cloudformation = aws("cloudformation")
    cloudformation.update_stack(
        StackName=name,
        TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
    )
    return cloudformation.describe_stacks(StackName=name)["Stacks"][0]


def physical_ids(aws, name: str) -> list[tuple[str, str]]:
    """(logical id, physical id) of every event that names a physical id."""
    found = aws("cloudformation").describe_stack_events(StackName=name)["StackEvents"]
    return [(e["LogicalResourceId"], e["PhysicalResourceId"]) for e in found if e.get("PhysicalResourceId")]


def since(found: list[tuple], logical_id: str, status: str) -> list[tuple]:
    """The events after the last one of logical_id with this status."""
    index = max(
        i for i, (logical, event_status, _) in enumerate(found) if (logical, event_status) == (logical_id, status)
    )
    return found[index + 1 :]


@pytest.mark.parametrize("how", ["change set", "UpdateStack"])
def test_a_failed_update_rolls_back_to_the_previous_template_parameters_and_resources(aws, code_key, how):
    name = f"rollback-{how.replace(' ', '-').lower()}"
    old, new = before_and_after(code_key)
    stack = deploy(aws, name, old, {"Label": "v1"})
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    queue_url = outputs(stack)["QueueUrl"]

    if how == "change set":
        stack = deploy(aws, name, new, {"Label": "v2"})
    else:
        stack = update_stack(aws, name, new, {"Label": "v2"})

    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert outputs(stack)["Label"] == "v1" and outputs(stack)["QueueUrl"] == queue_url
    assert stack["Parameters"] == [{"ParameterKey": "Label", "ParameterValue": "v1"}]
    cloudformation = aws("cloudformation")
    assert cloudformation.get_template(StackName=name)["TemplateBody"] == old
    sqs = aws("sqs")
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["VisibilityTimeout"])
    assert attributes["Attributes"]["VisibilityTimeout"] == "30"
    summaries = cloudformation.list_stack_resources(StackName=name)["StackResourceSummaries"]
    held = {s["LogicalResourceId"]: s["PhysicalResourceId"] for s in summaries}
    assert set(held) == {"Role", "Function", "Custom", "Queue", "RemovedQueue"}
    assert sqs.get_queue_attributes(QueueUrl=held["RemovedQueue"], AttributeNames=["VisibilityTimeout"])
    (added_queue,) = {physical for logical, physical in physical_ids(aws, name) if logical == "AddedQueue"}
    with pytest.raises(ClientError, match="NonExistentQueue"):
        sqs.get_queue_attributes(QueueUrl=added_queue)

    found = since(events(aws, stack["StackId"]), name, "UPDATE_IN_PROGRESS")
    assert ("Custom", "UPDATE_FAILED", "RuntimeError: Custom: told to FAILED") in found
    rollback = since(found, "Custom", "UPDATE_FAILED")
    assert rollback[0] == (name, "UPDATE_ROLLBACK_IN_PROGRESS", FAILED_UPDATE)
    assert rollback[-1] == (name, "UPDATE_ROLLBACK_COMPLETE", None)
    statuses = [(logical, status) for logical, status, _ in rollback[1:-1]]
    cleanup = statuses.index((name, "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"))
    assert set(statuses[:cleanup]) == {
        *[
            (resource, status)
            for resource in ("Custom", "Queue")
            for status in ("UPDATE_IN_PROGRESS", "UPDATE_COMPLETE")
        ],
        ("RemovedQueue", "CREATE_IN_PROGRESS"),
        ("RemovedQueue", "CREATE_COMPLETE"),
    }
    assert set(statuses[cleanup + 1 :]) == {
        ("AddedQueue", "DELETE_IN_PROGRESS"),
        ("AddedQueue", "DELETE_COMPLETE"),
        ("AddedProbe", "DELETE_IN_PROGRESS"),
        ("AddedProbe", "DELETE_FAILED"),  # a failed clean-up does not fail the rollback
    }
    cloudformation.delete_stack(StackName=name)


def stuck_stack(aws, code_key: str, name: str) -> dict:
    """A stack whose custom resource refuses every update (its function's FAIL_UPDATES is set), after
    an update of that resource: its rollback failed too."""
    old = custom_resource_template(code_key, Version="1")
    old["Resources"]["Function"]["Properties"]["Environment"] = {"Variables": {"FAIL_UPDATES": "yes"}}
    assert deploy(aws, name, old)["StackStatus"] == "CREATE_COMPLETE"
    new = json.loads(json.dumps(old))
    new["Resources"]["Custom"]["Properties"]["Version"] = "2"
    stack = deploy(aws, name, new)
    assert aws("cloudformation").get_template(StackName=name)["TemplateBody"] == old
    return stack


def test_a_rollback_that_fails_ends_update_rollback_failed_with_its_reason(aws, code_key):
    stack = stuck_stack(aws, code_key, "rollback-stuck")
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_FAILED"
    rollback = since(events(aws, stack["StackId"]), "rollback-stuck", "UPDATE_ROLLBACK_IN_PROGRESS")
    assert rollback == [
        ("Custom", "UPDATE_IN_PROGRESS", None),
        ("Custom", "UPDATE_FAILED", "RuntimeError: Custom: refusing to update"),
        ("rollback-stuck", "UPDATE_ROLLBACK_FAILED", FAILED_UPDATE),
    ]
    with pytest.raises(ClientError, match="is in UPDATE_ROLLBACK_FAILED state and can not be updated"):
        update_stack(aws, "rollback-stuck", custom_resource_template(code_key, Version="3"), {})


def test_continuing_a_rollback_retries_it_until_the_cause_is_fixed(aws, code_key):
    stack = stuck_stack(aws, code_key, "rollback-continued")
    cloudformation = aws("cloudformation")
    cloudformation.continue_update_rollback(StackName="rollback-continued")
    again = cloudformation.describe_stacks(StackName="rollback-continued")["Stacks"][0]
    assert again["StackStatus"] == "UPDATE_ROLLBACK_FAILED"

    fixed = {"Variables": {}}  # the cause fixed by hand: the function no longer refuses updates
    aws("lambda").update_function_configuration(FunctionName=outputs(stack)["FunctionName"], Environment=fixed)
    cloudformation.continue_update_rollback(StackName=stack["StackId"])
    done = cloudformation.describe_stacks(StackName="rollback-continued")["Stacks"][0]
    assert done["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert since(events(aws, stack["StackId"]), "rollback-continued", "UPDATE_ROLLBACK_FAILED") == [
        ("rollback-continued", "UPDATE_ROLLBACK_IN_PROGRESS", None),
        ("Custom", "UPDATE_IN_PROGRESS", None),
        ("Custom", "UPDATE_COMPLETE", None),
        ("rollback-continued", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", None),
        ("rollback-continued", "UPDATE_ROLLBACK_COMPLETE", None),
    ]
    with pytest.raises(ClientError, match="is in UPDATE_ROLLBACK_COMPLETE state and can not continue update rollback"):
        cloudformation.continue_update_rollback(StackName="rollback-continued")
    cloudformation.delete_stack(StackName="rollback-continued")


def test_a_resource_to_skip_is_left_as_it_is_and_must_be_one_whose_rollback_failed(aws, code_key):
    stack = stuck_stack(aws, code_key, "rollback-skipped")
    cloudformation = aws("cloudformation")
    with pytest.raises(ClientError, match=r"Resources \[Function\] cannot be skipped"):
        cloudformation.continue_update_rollback(StackName="rollback-skipped", ResourcesToSkip=["Function"])

    cloudformation.continue_update_rollback(StackName="rollback-skipped", ResourcesToSkip=["Custom"])
    done = cloudformation.describe_stacks(StackName="rollback-skipped")["Stacks"][0]
    assert done["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert since(events(aws, stack["StackId"]), "rollback-skipped", "UPDATE_ROLLBACK_FAILED")[:2] == [
        ("rollback-skipped", "UPDATE_ROLLBACK_IN_PROGRESS", None),
        ("Custom", "UPDATE_COMPLETE", None),
    ]
    cloudformation.delete_stack(StackName="rollback-skipped")


def replaced_queue_templates(code_key: str, custom: dict) -> tuple[dict, dict]:
    """A stack of a named queue and a custom resource that refers to it (so it is updated after the
    queue); then an update that renames the queue (a replacement) and changes the custom resource
    as custom says."""
    before = custom_resource_template(code_key, QueueArn={"Fn::GetAtt": ["Queue", "Arn"]})
    before["Resources"]["Queue"] = {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": f"old-{uuid.uuid4().hex}"}}
    before["Outputs"] |= {
        "QueueUrl": {"Value": {"Ref": "Queue"}},
        "QueueArn": {"Value": {"Fn::GetAtt": ["Queue", "Arn"]}},
    }
    after = json.loads(json.dumps(before))
    after["Resources"]["Queue"]["Properties"]["QueueName"] = f"new-{uuid.uuid4().hex}"
    after["Resources"]["Custom"]["Properties"] |= custom
    return before, after


def held_queue(aws, name: str) -> str:
    """The physical id ListStackResources gives the stack's queue."""
    summaries = aws("cloudformation").list_stack_resources(StackName=name)["StackResourceSummaries"]
    return next(s["PhysicalResourceId"] for s in summaries if s["LogicalResourceId"] == "Queue")


def assert_put_back(aws, name: str, old: dict, new_queue_name: str, found: list[tuple]) -> None:
    """The stack holds the old queue again (its URL and ARN), the rollback switched back to it
    without creating anything (UPDATE_COMPLETE under the old URL), and deleted the new queue in
    UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS."""
    sqs = aws("sqs")
    stack = aws("cloudformation").describe_stacks(StackName=name)["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert outputs(stack)["QueueUrl"] == old["QueueUrl"] and outputs(stack)["QueueArn"] == old["QueueArn"]
    assert held_queue(aws, name) == old["QueueUrl"]
    assert sqs.get_queue_attributes(QueueUrl=old["QueueUrl"], AttributeNames=["QueueArn"])["Attributes"] == {
        "QueueArn": old["QueueArn"]
    }
    with pytest.raises(ClientError, match="NonExistentQueue"):
        sqs.get_queue_url(QueueName=new_queue_name)
    new_url = old["QueueUrl"].rsplit("/", 1)[0] + "/" + new_queue_name
    cleanup = index_of(found, name, "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS")
    assert [event for event in found[:cleanup] if event[0] == "Queue"] == [
        ("Queue", "UPDATE_COMPLETE", old["QueueUrl"], None)
    ]
    assert [event for event in found[cleanup:] if event[0] == "Queue"] == [
        ("Queue", "DELETE_IN_PROGRESS", new_url, None),
        ("Queue", "DELETE_COMPLETE", new_url, None),
    ]


def test_a_failed_update_that_replaced_a_queue_puts_the_old_queue_back_and_deletes_the_new(aws, code_key):
    """A replacement made before the update fails: the old queue, never deleted (the cleanup phase
    had not run), is the stack's queue again, and the new one is deleted in the rollback's cleanup;
    a later update replaces the queue cleanly."""
    name = "rollback-replaced"
    before, after = replaced_queue_templates(code_key, {"Answer": "FAILED"})
    old = outputs(deploy(aws, name, before))
    new_queue_name = after["Resources"]["Queue"]["Properties"]["QueueName"]

    failed = deploy(aws, name, after)

    found = update_events(aws, name)
    assert ("Queue", "UPDATE_IN_PROGRESS", old["QueueUrl"], REPLACING) in found
    assert index_of(found, "Queue", "UPDATE_COMPLETE") < index_of(found, "Custom", "UPDATE_FAILED")
    rollback = index_of(found, name, "UPDATE_ROLLBACK_IN_PROGRESS")
    assert_put_back(aws, name, old, new_queue_name, found[rollback:])
    assert failed["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"

    del after["Resources"]["Custom"]["Properties"]["Answer"]
    again = deploy(aws, name, after)
    assert again["StackStatus"] == "UPDATE_COMPLETE"
    assert outputs(again)["QueueUrl"].endswith(f"/{new_queue_name}") and held_queue(aws, name) != old["QueueUrl"]
    with pytest.raises(ClientError, match="NonExistentQueue"):
        aws("sqs").get_queue_attributes(QueueUrl=old["QueueUrl"])
    aws("cloudformation").delete_stack(StackName=name)


def test_a_failed_rollback_after_a_replacement_keeps_the_old_queue_and_continuing_deletes_the_new(aws, code_key):
    """The custom resource refuses every update, so the rollback fails after it switched back to
    the old queue: UPDATE_ROLLBACK_FAILED holds the old queue, the new one still exists until
    ContinueUpdateRollback (the cause fixed) completes the rollback and its cleanup deletes it."""
    name = "rollback-replaced-stuck"
    before, after = replaced_queue_templates(code_key, {"Version": "2"})
    for template in (before, after):
        template["Resources"]["Function"]["Properties"]["Environment"] = {"Variables": {"FAIL_UPDATES": "yes"}}
    stack = deploy(aws, name, before)
    old = outputs(stack)
    new_queue_name = after["Resources"]["Queue"]["Properties"]["QueueName"]

    stuck = deploy(aws, name, after)
    assert stuck["StackStatus"] == "UPDATE_ROLLBACK_FAILED"
    assert held_queue(aws, name) == old["QueueUrl"]
    assert aws("sqs").get_queue_url(QueueName=new_queue_name)["QueueUrl"].endswith(f"/{new_queue_name}")

    cloudformation = aws("cloudformation")
    aws("lambda").update_function_configuration(FunctionName=old["FunctionName"], Environment={"Variables": {}})
    cloudformation.continue_update_rollback(StackName=name)

    found = update_events(aws, name)
    rollback = index_of(found, name, "UPDATE_ROLLBACK_IN_PROGRESS")
    assert_put_back(aws, name, old, new_queue_name, found[rollback:])
    cloudformation.delete_stack(StackName=name)


def test_a_rolled_back_replacement_leaves_nothing_of_the_update_in_the_local_cloud(plain_moto):
    """In the test process, moto with every patch installed: once a failed update that replaced a
    queue is rolled back, the LocalCloud keeps no replacement in progress and no stack to put back."""
    cloud = LocalCloud("http://127.0.0.1:1", Options())
    patches.install(cloud)
    try:
        cloudformation = plain_moto("cloudformation")

        def template(queue_name: str, timeout) -> str:
            other = {"VisibilityTimeout": timeout, "Tags": [{"Key": "q", "Value": {"Fn::GetAtt": ["Queue", "Arn"]}}]}
            return json.dumps(
                {
                    "Resources": {
                        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": queue_name}},
                        "Other": {"Type": "AWS::SQS::Queue", "Properties": other},
                    }
                }
            )

        cloudformation.create_stack(StackName="in-process", TemplateBody=template("old-queue", 30))
        cloudformation.update_stack(StackName="in-process", TemplateBody=template("new-queue", "never"))
        stack = cloudformation.describe_stacks(StackName="in-process")["Stacks"][0]
        assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
        names = {url.rsplit("/", 1)[1] for url in plain_moto("sqs").list_queues()["QueueUrls"]}
        assert "old-queue" in names and "new-queue" not in names
        assert cloud.replacing == {} and cloud.stacks_before == {}
    finally:
        patches.uninstall()
