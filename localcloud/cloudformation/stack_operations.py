"""CloudFormation's stack operations as CloudFormation runs them (moto orders by DependsOn or hash
order, records stack events only and leaves a failed create half-made): creation in dependency
order and deletion dependents first, CREATE_*/UPDATE_*/DELETE_* events per resource, rollback of a
failed first create, DeletionPolicy (Retain, RetainExceptOnCreate), deletion that refuses a
non-empty bucket and keeps a failed stack listed as DELETE_FAILED, and change sets that list
parameter-only changes and describe each Modify (replacement_plan.py)."""

from __future__ import annotations

from typing import Any

from moto.cloudformation import parsing
from moto.cloudformation.models import ChangeSet, CloudFormationBackend, Stack
from moto.s3.models import FakeBucket

from localcloud.cloud import LocalCloud
from localcloud.cloudformation import update_rollback
from localcloud.cloudformation.replacement_plan import Modification, planned, same
from localcloud.cloudformation.stack_events import add_event, set_status, stack_of
from templategraph import dependencies


def deletion_order(template: dict) -> list[str]:
    """Logical IDs, each after every resource that refers to it (dependents first)."""
    resources = template.get("Resources", {})
    uses = dependencies(resources)
    order: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        if name in done:
            return
        done.add(name)
        for dependency in sorted(uses[name]):
            visit(dependency)
        order.append(name)

    for name in sorted(resources):
        visit(name)
    return list(reversed(order))


def creation_order(cloud: LocalCloud, original: Any, self: parsing.ResourceMap) -> list[str]:
    """moto orders creation by DependsOn alone; follow Ref, GetAtt and Sub too."""
    return list(reversed(deletion_order({"Resources": self._resource_json_map})))


def ordered_diff(
    cloud: LocalCloud, original: Any, self: parsing.ResourceMap, other_template: dict, parameters: dict | None = None
) -> dict:
    """moto adds, modifies and removes resources in template order on update (and on a CREATE
    change set), and modifies only those whose template changed; add and modify in creation order,
    remove dependents first, modify what refers to a replaced resource too, and not what only
    lacks the empty Properties moto filled in."""
    diff = original(self, other_template, parameters)
    adding = list(reversed(deletion_order(other_template)))
    removing = deletion_order({"Resources": self._resource_json_map})
    diff["Add"] = sorted(diff["Add"], key=adding.index)
    old, new = self._resource_json_map, other_template["Resources"]
    filled_in = {name for name in diff["Modify"] if old[name] != new[name] and same(old[name], new[name])}
    modify = set(diff["Modify"]) - filled_in | set(planned(self, other_template, parameters))
    diff["Modify"] = sorted(modify, key=adding.index)
    diff["Remove"] = sorted(diff["Remove"], key=removing.index)
    return diff


def change_set_changes(cloud: LocalCloud, original: Any, self: ChangeSet) -> list[dict]:
    """moto leaves resources whose only change is a parameter's value (a new CodeKey) out of a
    change set, though executing it updates them, and describes no Modify (no Replacement, Scope
    or Details); list them as Modify, each as CloudFormation describes it."""
    resource_map = self.stack.resource_map
    diff = resource_map.build_resource_diff(self.template_dict, self.parameters)
    modifications = planned(resource_map, self.template_dict, self.parameters)
    old = resource_map._resource_json_map
    new = self.template_dict["Resources"]
    changes = []
    for action in ("Add", "Modify", "Remove"):
        for name in diff[action]:
            change = {"Action": action, "LogicalResourceId": name, "ResourceType": (new.get(name) or old[name])["Type"]}
            change |= {"Scope": [], "Details": []}
            if action != "Add":
                change["PhysicalResourceId"] = str(
                    getattr(resource_map._parsed_resources.get(name), "physical_resource_id", "")
                )
            if action == "Remove":
                # RetainExceptOnCreate keeps a resource that an update removes.
                change["PolicyAction"] = old[name].get("DeletionPolicy", "Delete").removesuffix("ExceptOnCreate")
            if action == "Modify":
                modification = modifications.get(name, Modification())
                change |= {
                    "Replacement": modification.replacement,
                    "Scope": modification.scope,
                    "Details": modification.details,
                }
                if modification.replaces:
                    change["PolicyAction"] = "ReplaceAnd" + new[name].get("UpdateReplacePolicy", "Delete")
            changes.append(change)
    return changes


def bucket_is_empty(bucket: FakeBucket) -> bool:
    return not bucket.keys


# DeletionPolicy: moto keeps only "Retain". RetainExceptOnCreate keeps a resource too, except when
# the create that made it rolls back: CloudFormation then deletes it, so that a retry can reuse
# its name.
def kept(resource_json: dict, rolling_back_create: bool) -> bool:
    """Whether a deletion leaves this resource in place, by its DeletionPolicy."""
    policy = resource_json.get("DeletionPolicy", "Delete")
    return policy == "Retain" or (policy == "RetainExceptOnCreate" and not rolling_back_create)


# CloudFormation counts a resource that is already gone as deleted (a resource's delete handler
# answers NotFound, which it takes as success): a table or bucket removed by hand does not block
# the stack's deletion. moto's errors name AWS's codes: as `code` (ServiceException) or
# `error_type` (RESTError; DynamoDB's after a "namespace#").
ALREADY_GONE = {"ResourceNotFoundException", "NoSuchBucket", "NoSuchEntity", "QueueDoesNotExist"}


def already_gone(error: Exception) -> bool:
    codes = (getattr(error, "code", ""), getattr(error, "error_type", ""))
    return any(str(code).rsplit("#", 1)[-1] in ALREADY_GONE for code in codes)


def delete_resources(cloud: LocalCloud, original: Any, self: parsing.ResourceMap) -> None:
    """ResourceMap.delete: dependents first, events per resource, by DeletionPolicy."""
    delete_in_order(self, rolling_back_create=False)


def delete_in_order(self: parsing.ResourceMap, rolling_back_create: bool) -> None:
    for logical_id in deletion_order(self._template or {"Resources": self._resource_json_map}):
        resource_json = self._resource_json_map.get(logical_id, {})
        resource = self._parsed_resources.get(logical_id)
        if resource is None or isinstance(resource, str):
            continue
        delete_resource(self, logical_id, resource, resource_json, kept(resource_json, rolling_back_create))
        self._parsed_resources.pop(logical_id)
    self._resource_json_map = {}


def delete_resource(self: parsing.ResourceMap, logical_id: str, resource: Any, resource_json: dict, keep: bool) -> None:
    """Delete one resource of the stack (or skip it, when keep), with its DELETE_* events; raise
    when it cannot be deleted."""
    stack = stack_of(self._account_id, self._region_name, self.stack_id)
    resource_type = resource_json.get("Type", "")
    physical_id = getattr(resource, "physical_resource_id", logical_id)
    if keep:
        add_event(stack, logical_id, physical_id, resource_type, "DELETE_SKIPPED")
        return
    add_event(stack, logical_id, physical_id, resource_type, "DELETE_IN_PROGRESS")
    try:
        if isinstance(resource, FakeBucket) and not bucket_is_empty(resource):
            raise RuntimeError(f"The bucket you tried to delete is not empty (Bucket: {resource.name})")
        self._delete_resource(resource, resource_json)
    except Exception as error:  # noqa: BLE001 - any failure is the stack's to report: its event says why
        if already_gone(error):
            add_event(stack, logical_id, physical_id, resource_type, "DELETE_COMPLETE", "already gone")
            return
        add_event(stack, logical_id, physical_id, resource_type, "DELETE_FAILED", str(error))
        raise
    add_event(stack, logical_id, physical_id, resource_type, "DELETE_COMPLETE")


def remove_resources(stack: Stack, operation: str, reason: str) -> bool:
    """Delete the stack's resources as DELETE or ROLLBACK (of a first create; update_rollback.py
    rolls updates back): <operation>_IN_PROGRESS, then _COMPLETE, or _FAILED with the error as reason;
    True when complete."""
    set_status(stack, f"{operation}_IN_PROGRESS", reason)
    try:
        delete_in_order(stack.resource_map, rolling_back_create=operation == "ROLLBACK")
    except Exception as error:  # noqa: BLE001 - any failure is the stack's to report: its event says why
        set_status(stack, f"{operation}_FAILED", str(error))
        return False
    stack.output_map = parsing.OutputMap(stack.resource_map, {}, stack.stack_id)
    set_status(stack, f"{operation}_COMPLETE")
    return True


def delete_stack(cloud: LocalCloud, original: Any, self: CloudFormationBackend, name_or_stack_id: str) -> None:
    stack = next((s for s in self.stacks.values() if name_or_stack_id in (s.name, s.stack_id)), None)
    if stack is None:
        return
    export_names = [export.name for export in stack.exports]
    if remove_resources(stack, "DELETE", "User Initiated"):
        for name in export_names:
            self.exports.pop(name, None)
        self.stacks.pop(stack.stack_id)
        self.deleted_stacks[stack.stack_id] = stack


# Resource events and failures: moto records only stack events, and an exception while creating a
# resource escapes as a server error with the stack left half-made. Record CREATE_*/UPDATE_* events
# per resource; a failed creation rolls the stack back (ROLLBACK_COMPLETE) with the failure as the
# resource's reason, as CloudFormation does.
def with_events(
    action: str,
    original: Any,
    logical_id: str,
    resource_json: dict,
    resources_map: parsing.ResourceMap,
    account_id: str,
    region_name: str,
) -> Any:
    """moto's parse_and_create_resource or parse_and_update_resource, recording the resource's
    <action>_IN_PROGRESS, then <action>_COMPLETE or <action>_FAILED with the error as reason; a
    resource whose condition is false is not made, and CloudFormation records nothing for it."""
    condition = resource_json.get("Condition")
    if condition and not resources_map.lazy_condition_map[condition]:
        return original(logical_id, resource_json, resources_map, account_id, region_name)
    stack = stack_of(account_id, region_name, resources_map.stack_id)
    resource_type = resource_json["Type"]
    add_event(stack, logical_id, "", resource_type, f"{action}_IN_PROGRESS")
    try:
        resource = original(logical_id, resource_json, resources_map, account_id, region_name)
    except Exception as error:  # noqa: BLE001 - whatever fails the resource is its reason; re-raised
        add_event(stack, logical_id, "", resource_type, f"{action}_FAILED", f"{type(error).__name__}: {error}")
        raise
    if resource is None:  # a type moto cannot update keeps the resource it had
        resource = resources_map._parsed_resources.get(logical_id)
    add_event(
        stack, logical_id, str(getattr(resource, "physical_resource_id", "")), resource_type, f"{action}_COMPLETE"
    )
    return resource


def create_with_events(cloud: LocalCloud, original: Any, *args: Any, **kwargs: Any) -> Any:
    """parsing.parse_and_create_resource, with the resource's CREATE_* events."""
    return with_events("CREATE", original, *args, **kwargs)


def update_with_events(cloud: LocalCloud, original: Any, *args: Any, **kwargs: Any) -> Any:
    """parsing.parse_and_update_resource, with the resource's UPDATE_* events."""
    return with_events("UPDATE", original, *args, **kwargs)


def execute_change_set(
    cloud: LocalCloud, original: Any, self: CloudFormationBackend, change_set_name: str, stack_name: str | None = None
) -> None:
    change_set = self.change_sets.get(change_set_name) or next(
        (
            c
            for c in self.change_sets.values()
            if c.change_set_name == change_set_name and stack_name in (None, c.stack_name, c.stack_id)
        ),
        None,
    )
    stack = self.stacks[change_set.stack_id] if change_set else None
    before = update_rollback.before_update(stack) if stack is not None else None
    try:
        original(self, change_set_name, stack_name)
        if stack is not None:  # moto keeps the parsed template and outputs the stack began with
            stack._parse_template()
            stack.description = stack.template_dict.get("Description")
            stack.output_map = stack._create_output_map()
    except Exception as error:  # noqa: BLE001 - any failure is the stack's to report: its event says why
        if stack is None:
            raise
        change_set.execution_status = "EXECUTE_FAILED"
        if change_set.change_set_type == "CREATE":
            remove_resources(stack, "ROLLBACK", f"The following resource(s) failed to create: {error}")
        else:
            update_rollback.roll_back(cloud, stack, before, error)
