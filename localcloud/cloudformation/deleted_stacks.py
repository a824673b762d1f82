"""A deleted stack as CloudFormation describes it (DescribeStacks by stack id, ListStacks): with its
DeletionTime, which moto's serializer reads from an attribute moto never sets. The time is kept
by the LocalCloud, per stack id; the answer wraps each deleted stack in a view that adds it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult

from localcloud.cloud import LocalCloud


class Stack:
    """moto's deleted stack, with deletion_time and without EnableTerminationProtection (AWS names
    it for live stacks only). Named as moto's class: its serializer finds StackName and
    StackStatus of a stack summary as name and status by the class's name."""

    enable_termination_protection = None

    def __init__(self, stack: Any, deletion_time: datetime) -> None:
        self._stack = stack
        self.deletion_time = deletion_time

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stack, name)


def with_deletion_times(key: str) -> Any:
    """A DescribeStacks or ListStacks replacement: moto's answer, each deleted stack of its list
    (under key) with its DeletionTime."""

    def replacement(cloud: LocalCloud, original: Any, self: CloudFormationResponse) -> ActionResult:
        answer = original(self)
        times = cloud.deletion_times
        answer.result[key] = [
            Stack(stack, times[stack.stack_id]) if stack.stack_id in times else stack for stack in answer.result[key]
        ]
        return answer

    return replacement
