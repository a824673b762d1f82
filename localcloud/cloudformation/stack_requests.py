"""CloudFormation's answers where moto's differ: UpdateStack with the stack's own template and
parameters is refused ("No updates are to be performed."; moto refuses it only when parameters are
given), CreateChangeSet accepts it and the change set FAILS with its reason (moto refuses it when
parameters are given); UpdateStack refuses a stack in UPDATE_ROLLBACK_FAILED; GetTemplate names the
StagesAvailable; ContinueUpdateRollback (which moto lacks) is answered; UpdateTerminationProtection
(moto lacks it) sets the protection that DeleteStack then honours, and a deleted stack keeps its
DeletionTime; ListChangeSets lists the named stack's change sets, without those its last execution
removed (moto lists every stack's, executed ones too); a resource whose Condition is false is no
resource of the stack (moto lists an empty one, and DescribeStackResource fails on it)."""

from __future__ import annotations

from datetime import UTC, datetime
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


def update_termination_protection(cloud: LocalCloud, original: None, self: CloudFormationResponse) -> ActionResult:
    stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
    stack.enable_termination_protection = bool(self._get_param("EnableTerminationProtection"))
    return ActionResult({"StackId": stack.stack_id})


def delete_stack(cloud: LocalCloud, original: Any, self: CloudFormationResponse) -> Any:
    """DeleteStack: a protected stack is refused as CloudFormation refuses it; the time a stack is
    deleted is kept (its DeletionTime)."""
    name = self._get_param("StackName")
    backend = self.cloudformation_backend
    stack = next((s for s in backend.stacks.values() if name in (s.name, s.stack_id)), None)
    if stack is not None and stack.enable_termination_protection:
        raise ValidationError(name, message=f"Stack [{name}] cannot be deleted while TerminationProtection is enabled")
    answer = original(self)
    if stack is not None and stack.stack_id in backend.deleted_stacks:
        cloud.deletion_times[stack.stack_id] = datetime.now(UTC)
    return answer


# An execution (begun, complete or failed) removes every change set of its stack made before it.
EXECUTED = {"EXECUTE_IN_PROGRESS", "EXECUTE_COMPLETE", "EXECUTE_FAILED"}


def list_change_sets(cloud: LocalCloud, original: Any, self: CloudFormationResponse) -> ActionResult:
    backend = self.cloudformation_backend
    stack = backend.get_stack(self._get_param("StackName"))
    change_sets = [c for c in backend.change_sets.values() if c.stack_id == stack.stack_id]
    executed = [index for index, change_set in enumerate(change_sets) if change_set.execution_status in EXECUTED]
    return ActionResult({"Summaries": change_sets[executed[-1] + 1 :] if executed else change_sets})


def created_resources(cloud: LocalCloud, original: Any, self: Stack) -> list[Any]:
    """The stack's resources, without the None that moto's resource map holds for each resource
    whose Condition is false (CloudFormation never creates it)."""
    return [resource for resource in original(self) if resource is not None]
