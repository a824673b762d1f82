"""Replacement as CloudFormation performs it (moto updates every resource in place, so a renamed
queue keeps its ARN and a renamed role fails with NoSuchEntity): an update that changes a
create-only property (replacement_plan.py) creates the new resource, then, in the cleanup phase
after the rest of the update (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS), deletes the old one, or keeps
it by its UpdateReplacePolicy; a custom-named resource that would keep its name is refused. An
update that fails leaves the old resources to its rollback (update_rollback.py), which puts them
back and deletes the new ones."""

from __future__ import annotations

import contextlib
from typing import Any

from moto.cloudformation import parsing

from localcloud.cloud import LocalCloud, Replacing
from localcloud.cloudformation.replacement_plan import planned
from localcloud.cloudformation.stack_events import add_event, set_status, stack_of
from localcloud.cloudformation.stack_operations import delete_resource, update_with_events

REPLACING = "Requested update requires the creation of a new physical resource; hence creating one."
CREATING = "Resource creation Initiated"


def custom_name_kept(resource_type: str, properties: dict, change: Any) -> str | None:
    """The name of a custom-named resource whose replacement keeps its name (AWS refuses it)."""
    name_property = parsing.resource_name_property_from_type(resource_type)
    if name_property and name_property in properties and not change.changes(name_property):
        return str(properties[name_property])
    return None


def update_replacing(
    cloud: LocalCloud, original: Any, self: parsing.ResourceMap, template: dict, parameters: dict | None = None
) -> None:
    """ResourceMap.update: the resources whose change replaces them are created anew (by
    update_or_replace, as moto's update reaches them), then, once the update is complete, the old
    ones are deleted. A failed update keeps both, its entry in cloud.replacing naming the old ones
    for the rollback, which takes it (update_rollback.roll_back)."""
    changes = {name: change for name, change in planned(self, template, parameters).items() if change.replaces}
    old_templates = {name: self._resource_json_map[name] for name in changes}
    cloud.replacing[self.stack_id] = replacing = Replacing(changes, old_templates)
    original(self, template, parameters)
    del cloud.replacing[self.stack_id]
    if replacing.replaced:
        clean_up(self, replacing)


def clean_up(self: parsing.ResourceMap, replacing: Replacing) -> None:
    """CloudFormation's cleanup phase: each replaced resource deleted, or kept by its
    UpdateReplacePolicy; a failed delete leaves the update complete (its event says why)."""
    stack = stack_of(self._account_id, self._region_name, self.stack_id)
    set_status(stack, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
    for logical_id, resource, resource_json in replacing.replaced:
        keep = self._resource_json_map[logical_id].get("UpdateReplacePolicy", "Delete") == "Retain"
        # CloudFormation ends the update complete all the same; the DELETE_FAILED event says why.
        with contextlib.suppress(Exception):
            delete_resource(self, logical_id, resource, resource_json, keep)


def update_or_replace(
    cloud: LocalCloud,
    original: Any,
    logical_id: str,
    resource_json: dict,
    resources_map: parsing.ResourceMap,
    account_id: str,
    region_name: str,
) -> Any:
    """parsing.parse_and_update_resource: a resource whose change replaces it is created anew,
    with CloudFormation's UPDATE_* events (the old physical ID, then the new); any other is
    updated in place (stack_operations.update_with_events)."""
    replacing = cloud.replacing.get(resources_map.stack_id)
    if replacing is None or logical_id not in replacing.planned:
        return update_with_events(cloud, original, logical_id, resource_json, resources_map, account_id, region_name)
    stack = stack_of(account_id, region_name, resources_map.stack_id)
    resource_type = resource_json["Type"]
    old = resources_map[logical_id]
    old_id = str(getattr(old, "physical_resource_id", ""))
    add_event(stack, logical_id, old_id, resource_type, "UPDATE_IN_PROGRESS", REPLACING)
    try:
        resource = create(logical_id, resource_json, resources_map, account_id, region_name, replacing)
    except Exception as error:  # noqa: BLE001 - whatever fails the resource is its reason; re-raised
        add_event(stack, logical_id, "", resource_type, "UPDATE_FAILED", f"{type(error).__name__}: {error}")
        raise
    physical_id = str(resource.physical_resource_id)
    add_event(stack, logical_id, physical_id, resource_type, "UPDATE_IN_PROGRESS", CREATING)
    add_event(stack, logical_id, physical_id, resource_type, "UPDATE_COMPLETE")
    replacing.replaced.append((logical_id, old, replacing.old_templates[logical_id]))
    return resource


def create(
    logical_id: str,
    resource_json: dict,
    resources_map: parsing.ResourceMap,
    account_id: str,
    region_name: str,
    replacing: Replacing,
) -> Any:
    """The new resource, made as moto's parse_and_create_resource makes one (named from the
    template, or generated); refused when it would keep a custom name."""
    resource_class, resolved, name = parsing.parse_resource_and_generate_name(logical_id, resource_json, resources_map)
    kept_name = custom_name_kept(resolved["Type"], resolved["Properties"], replacing.planned[logical_id])
    if kept_name is not None:
        raise RuntimeError(
            "CloudFormation cannot update a stack when a custom-named resource requires replacing. "
            f"Rename {kept_name} and update the stack again."
        )
    resource = resource_class.create_from_cloudformation_json(
        name,
        resolved,
        account_id,
        region_name,
        LogicalId=logical_id,
        StackId=resources_map.stack_id,
        ResourceType=resolved["Type"],
    )
    # What moto's parse_and_create_resource sets on every resource it makes (its delete reads them).
    resource.cf_resource_type = resolved["Type"]
    resource.logical_resource_id = logical_id
    return resource
