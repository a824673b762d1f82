"""A stack's history as CloudFormation keeps it: the resource events that moto does not record
(it records stack-level events only), each with the resource's ResourceProperties (the JSON of its
properties, parameters and references resolved), and status changes, each an event."""

from __future__ import annotations

import json

from moto.cloudformation import cloudformation_backends, parsing
from moto.cloudformation.models import Event, Stack


def stack_of(account_id: str, region: str, stack_id: str) -> Stack | None:
    return cloudformation_backends[account_id][region].stacks.get(stack_id)


def resource_properties(stack: Stack, logical_id: str) -> str | None:
    """The resource's properties as the stack's template now gives them, resolved, as JSON (None
    for a resource without properties). What they refer to exists: resources are created after,
    and deleted before, what they refer to, and moto refuses unresolvable references up front."""
    properties = stack.resource_map._resource_json_map.get(logical_id, {}).get("Properties")
    if properties is None:
        return None
    return json.dumps(parsing.clean_json(properties, stack.resource_map), default=str)


def add_event(
    stack: Stack | None,
    logical_id: str,
    physical_id: str,
    resource_type: str,
    status: str,
    reason: str | None = None,
) -> None:
    """A resource event in the stack's history."""
    if stack is not None:
        properties = resource_properties(stack, logical_id)
        stack.events.append(
            Event(stack.stack_id, stack.name, logical_id, physical_id, resource_type, status, reason, properties)
        )


def set_status(stack: Stack, status: str, reason: str | None = None) -> None:
    stack.status = status
    stack._add_stack_event(status, resource_status_reason=reason)
