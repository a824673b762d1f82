"""CloudFormation's rollback of a failed update (moto leaves the stack as the failure left it, and
has no ContinueUpdateRollback): UPDATE_ROLLBACK_IN_PROGRESS naming the failed resources, every
resource the update touched put back to the previous template's properties (one it replaced
switched back to the old resource, which replacement.py deletes only in its cleanup phase), what
it added and the replacements it made deleted in UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS,
the previous template, parameters and outputs, UPDATE_ROLLBACK_COMPLETE; a rollback that fails
ends in UPDATE_ROLLBACK_FAILED, which ContinueUpdateRollback retries, skipping ResourcesToSkip.
moto deletes what an update removes before it adds or modifies anything, so a rollback creates
those resources again (CloudFormation deletes them only once the update is complete, and keeps
their physical IDs)."""

from __future__ import annotations

import contextlib
import copy
from typing import Any

from moto.cloudformation import parsing
from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import CloudFormationBackend, Stack

from localcloud.cloud import LocalCloud, StackBefore
from localcloud.cloudformation import stack_operations
from localcloud.cloudformation.stack_events import add_event, set_status

STACK_TYPE = "AWS::CloudFormation::Stack"
# A failed resource's action, as CloudFormation's stack event words it.
FAILED_TO = {"CREATE_FAILED": "create", "UPDATE_FAILED": "update"}


def before_update(stack: Stack) -> StackBefore:
    """What the rollback of an update about to start puts back."""
    resources = stack.resource_map
    return StackBefore(
        template=stack.template,
        template_dict=copy.deepcopy(stack.template_dict),
        description=stack.description,
        parameters=dict(stack.parameters),
        resource_template=copy.deepcopy(resources._template),
        resource_json=copy.deepcopy(resources._resource_json_map),
        input_parameters=dict(resources.input_parameters),
        resolved_parameters=dict(resources.resolved_parameters),
        conditions=resources.lazy_condition_map,
        held=dict(resources._parsed_resources),
        first_event=len(stack.events),
    )


def update_or_roll_back(
    cloud: LocalCloud,
    original: Any,
    self: Stack,
    template: str,
    role_arn: str | None = None,
    parameters: dict | None = None,
    tags: dict | None = None,
) -> None:
    """Stack.update (UpdateStack): a failed update is rolled back."""
    before = before_update(self)
    try:
        original(self, template, role_arn, parameters, tags)
    except Exception as error:  # noqa: BLE001 - whatever fails the update is the rollback's reason
        roll_back(cloud, self, before, error)


def failure_reason(stack: Stack, first_event: int) -> str:
    """CloudFormation's words for the resources that failed since first_event ("" for none)."""
    failed: dict[str, list[str]] = {}
    for event in stack.events[first_event:]:
        action = FAILED_TO.get(event.resource_status) if event.resource_type != STACK_TYPE else None
        if action and event.logical_resource_id not in failed.setdefault(action, []):
            failed[action].append(event.logical_resource_id)
    return "".join(
        f"The following resource(s) failed to {action}: [{', '.join(names)}]. " for action, names in failed.items()
    )


def roll_back(cloud: LocalCloud, stack: Stack, before: StackBefore, error: Exception) -> None:
    """Put the stack back as it was before the update that failed with error."""
    set_status(stack, "UPDATE_ROLLBACK_IN_PROGRESS", failure_reason(stack, before.first_event) or str(error))
    resources = stack.resource_map
    attempted = resources._resource_json_map
    touched = {
        event.logical_resource_id for event in stack.events[before.first_event :] if event.resource_type != STACK_TYPE
    }
    replacing = cloud.replacing.pop(stack.stack_id, None)  # replacement.py leaves it to the rollback
    before.replaced = {name: old for name, old, _ in replacing.replaced} if replacing else {}
    before.to_recreate = {name for name in before.resource_json if name not in attempted}
    before.to_restore = [
        name
        for name in reversed(stack_operations.deletion_order({"Resources": before.resource_json}))
        if name in touched or name in before.to_recreate or name in before.replaced
    ]
    before.made = {
        name: (resources._parsed_resources[name], attempted[name])
        for name in attempted
        if (name not in before.resource_json and name in resources._parsed_resources) or name in before.replaced
    }
    stack.template = before.template
    stack.template_dict = before.template_dict
    stack.description = before.description
    stack.parameters = before.parameters
    resources._template = before.resource_template
    resources._resource_json_map = before.resource_json
    resources.input_parameters = before.input_parameters
    resources.resolved_parameters = before.resolved_parameters
    resources.lazy_condition_map = before.conditions
    resources._parsed_resources.update({name: held for name, held in before.held.items() if name not in attempted})
    cloud.stacks_before[stack.stack_id] = before
    resume(cloud, stack, before, [])


def switched_back(stack: Stack, before: StackBefore, name: str) -> None:
    """The resource the stack holds under name taken as rolled back (UPDATE_COMPLETE, its physical ID)."""
    resource = stack.resource_map._parsed_resources.get(name)
    physical_id = str(getattr(resource, "physical_resource_id", ""))
    add_event(stack, name, physical_id, before.resource_json[name]["Type"], "UPDATE_COMPLETE")


def restore(stack: Stack, before: StackBefore, name: str) -> None:
    """One resource back as the previous template has it: the old resource put back when the
    update replaced it, created again when the update deleted it, else updated to the previous
    properties."""
    resources = stack.resource_map
    if name in before.replaced:
        resources._parsed_resources[name] = before.replaced.pop(name)
        switched_back(stack, before, name)
        return
    if name in before.to_recreate:
        resources._parsed_resources.pop(name, None)
        _ = resources[name]  # ResourceMap creates a resource on its first lookup
        return
    restored = parsing.parse_and_update_resource(
        name, resources._resource_json_map[name], resources, resources._account_id, resources._region_name
    )
    if restored is not None:
        resources._parsed_resources[name] = restored


def resume(cloud: LocalCloud, stack: Stack, before: StackBefore, skip: list[str]) -> None:
    """Restore what is left to restore (skip: set UPDATE_COMPLETE as it is); UPDATE_ROLLBACK_FAILED
    when a resource cannot be, else clean up and UPDATE_ROLLBACK_COMPLETE."""
    resources = stack.resource_map
    first_event = len(stack.events)
    failed = []
    for name in before.to_restore:
        if name in skip:
            switched_back(stack, before, name)
            continue
        try:
            restore(stack, before, name)
        except Exception:  # noqa: BLE001 - the resource's failure event says why; the stack's names it
            failed.append(name)
    before.to_restore = failed
    if failed:
        set_status(stack, "UPDATE_ROLLBACK_FAILED", failure_reason(stack, first_event) or None)
        return
    set_status(stack, "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS")
    made = {name: resource_json for name, (_, resource_json) in before.made.items()}
    for name in stack_operations.deletion_order({"Resources": made}):
        if name not in before.resource_json:  # an added resource leaves the stack (a replacement has left it)
            resources._parsed_resources.pop(name, None)
        resource, resource_json = before.made[name]
        # A failed clean-up does not fail the rollback; its DELETE_FAILED event says why.
        with contextlib.suppress(Exception):
            stack_operations.delete_resource(
                resources, name, resource, resource_json, stack_operations.kept(resource_json, True)
            )
    stack.output_map = stack._create_output_map()
    set_status(stack, "UPDATE_ROLLBACK_COMPLETE")
    del cloud.stacks_before[stack.stack_id]


def continue_rollback(cloud: LocalCloud, backend: CloudFormationBackend, stack_name: str, skip: list[str]) -> None:
    """ContinueUpdateRollback: the rollback of a stack in UPDATE_ROLLBACK_FAILED retried, the
    resources to skip left as they are; refused for a stack in any other state, or a resource to
    skip whose rollback did not fail."""
    stack = backend.get_stack(stack_name)
    before = cloud.stacks_before.get(stack.stack_id)
    if stack.status != "UPDATE_ROLLBACK_FAILED" or before is None:
        raise ValidationError(
            stack.stack_id,
            message=f"Stack:{stack.stack_id} is in {stack.status} state and can not continue update rollback.",
        )
    unknown = sorted(set(skip) - set(before.to_restore))
    if unknown:
        raise ValidationError(
            stack.stack_id,
            message=f"Resources [{', '.join(unknown)}] cannot be skipped: they are not in UPDATE_FAILED state "
            "because of a rollback failure",
        )
    set_status(stack, "UPDATE_ROLLBACK_IN_PROGRESS")
    resume(cloud, stack, before, skip)
