"""CloudFormation's answers to UpdateStack, CreateChangeSet, GetTemplate and ContinueUpdateRollback
where moto's differ: UpdateStack with the stack's own template and parameters is refused ("No
updates are to be performed."; moto refuses it only when parameters are given), CreateChangeSet
accepts it and the change set FAILS with its reason (moto refuses it when parameters are given),
UpdateStack refuses a stack in UPDATE_ROLLBACK_FAILED, GetTemplate names the StagesAvailable, and
ContinueUpdateRollback (which moto lacks) is answered."""

from __future__ import annotations

from typing import Any

from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import Stack
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult, EmptyResult

from localcloud.cloud import LocalCloud
from localcloud.cloudformation import update_rollback

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


def refuse_stuck_update(cloud: LocalCloud, original: Any, self: CloudFormationResponse, stack: Stack) -> None:
    """CloudFormationResponse._validate_status (UpdateStack): a stack whose rollback failed takes
    ContinueUpdateRollback or a delete first."""
    if stack.status == "UPDATE_ROLLBACK_FAILED":
        raise ValidationError(
            stack.stack_id, message=f"Stack:{stack.stack_id} is in UPDATE_ROLLBACK_FAILED state and can not be updated."
        )
    original(self, stack)


def continue_update_rollback(cloud: LocalCloud, original: Any, self: CloudFormationResponse) -> Any:
    """CloudFormationResponse.call_action: ContinueUpdateRollback answered; every other action as
    moto answers it."""
    if self._get_action() != "ContinueUpdateRollback":
        return original(self)
    try:
        update_rollback.continue_rollback(
            cloud, self.cloudformation_backend, self._get_param("StackName"), self._get_param("ResourcesToSkip", [])
        )
        result = EmptyResult()
    except ValidationError as error:
        result = ActionResult(error)
    status, headers, body = self.serialized(result)
    headers, body = self._enrich_response(headers, body)
    return status, headers, body
