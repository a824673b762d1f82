"""CloudFormation's answers to UpdateStack, CreateChangeSet and GetTemplate where moto's differ:
UpdateStack with the stack's own template and parameters is refused ("No updates are to be
performed."; moto refuses it only when parameters are given), CreateChangeSet accepts it and the
change set FAILS with its reason (moto refuses it when parameters are given), and GetTemplate names
the StagesAvailable."""

from __future__ import annotations

from typing import Any

from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import Stack
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult

from localcloud.cloud import LocalCloud

TEMPLATE_STAGES = ["Original", "Processed"]


def refuse_unchanged_update(
    cloud: LocalCloud,
    original: Any,
    self: CloudFormationResponse,
    incoming_params: list[dict[str, Any]] | None,
    stack_body: str,
    old_stack: Stack,
) -> None:
    if self._get_action() != "UpdateStack" or not stack_body:
        return
    declared = old_stack.template_dict.get("Parameters", {})
    defaults = {name: str(spec["Default"]) for name, spec in declared.items() if "Default" in spec}
    new_params = defaults | self._get_param_values(incoming_params or [], old_stack.parameters)
    if old_stack.template == stack_body and defaults | old_stack.parameters == new_params:
        raise ValidationError(old_stack.name, message="No updates are to be performed.")


def template_with_stages(cloud: LocalCloud, original: Any, self: CloudFormationResponse) -> ActionResult:
    answer = original(self)
    answer.result["StagesAvailable"] = TEMPLATE_STAGES
    return answer
