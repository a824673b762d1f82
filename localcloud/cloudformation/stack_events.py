"""A stack's history as CloudFormation keeps it: the resource events that moto does not record
(it records stack-level events only) and status changes, each an event."""

from __future__ import annotations

from moto.cloudformation import cloudformation_backends
from moto.cloudformation.models import Event, Stack


def stack_of(account_id: str, region: str, stack_id: str) -> Stack | None:
    return cloudformation_backends[account_id][region].stacks.get(stack_id)


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
        stack.events.append(
            Event(stack.stack_id, stack.name, logical_id, physical_id, resource_type, status, reason, None)
        )


def set_status(stack: Stack, status: str, reason: str | None = None) -> None:
    stack.status = status
    stack._add_stack_event(status, resource_status_reason=reason)
