"""What Lambda keeps of a function's configuration and moto drops or answers otherwise:
DeadLetterConfig (refused when the execution role may not send to the queue, as Lambda refuses
it), LoggingConfig, Architectures and ReservedConcurrentExecutions from a template, RevisionId,
RuntimeVersionConfig, and the State and LastUpdateStatus transitions a create or an update
reports (Pending, then Active; InProgress, then Successful). A template's create and every change
start the function's next worker (execution.prepare)."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from moto.awslambda.exceptions import InvalidParameterValueException
from moto.awslambda.models import LambdaFunction

from localcloud.cloud import LocalCloud
from localcloud.iam import callers
from localcloud.lambda_ import execution

# What the answer of a create or an update reports while the change is under way (AWS's recorded
# reason for an update is also "being created"); SETTLING marks a change reported once.
REPORTED = {
    "Creating": {"State": "Pending", "StateReason": "The function is being created.", "StateReasonCode": "Creating"},
    "Updating": {
        "LastUpdateStatus": "InProgress",
        "LastUpdateStatusReason": "The function is being created.",
        "LastUpdateStatusReasonCode": "Creating",
    },
}
SETTLING = "settling"
# The levels a JSON LoggingConfig defaults to; Text has none.
LOG_LEVELS = {"ApplicationLogLevel": "INFO", "SystemLogLevel": "INFO"}


def dead_letter_target(properties: dict) -> str | None:
    return (properties.get("DeadLetterConfig") or {}).get("TargetArn") or None


def refuse_unsendable_dead_letters(account_id: str, role_arn: str, properties: dict) -> None:
    """Lambda refuses to create or update a function whose execution role may not send to its
    dead-letter queue."""
    target = dead_letter_target(properties)
    if not target or target.split(":")[2] != "sqs":
        return
    if not callers.role_allows(account_id, role_arn, "sqs:SendMessage", target):
        raise InvalidParameterValueException(
            "The provided execution role does not have permissions to call SendMessage on SQS"
        )


def logging_config(function: LambdaFunction, current: dict, given: dict) -> dict:
    """LoggingConfig merged as Lambda merges it: the format Text or JSON, the levels only in JSON
    (INFO unless given), the log group /aws/lambda/<name> unless given."""
    merged = {**current, **given}
    merged.setdefault("LogFormat", "Text")
    merged.setdefault("LogGroup", f"/aws/lambda/{function.function_name}")
    if merged["LogFormat"] == "JSON":
        return {**LOG_LEVELS, **merged}
    return {key: value for key, value in merged.items() if key not in LOG_LEVELS}


def keep_properties(cloud: LocalCloud, function: LambdaFunction, properties: dict) -> LambdaFunction:
    """The properties moto drops, kept for this function."""
    if "DeadLetterConfig" in properties:
        cloud.dead_letter_targets[function.function_arn] = dead_letter_target(properties)
    if "ReservedConcurrentExecutions" in properties:
        function.reserved_concurrency = properties["ReservedConcurrentExecutions"]
    if "Architectures" in properties:
        function.architectures = properties["Architectures"]
    current = cloud.logging_configs.get(function.function_arn, {})
    config = logging_config(function, current, properties.get("LoggingConfig") or {})
    cloud.logging_configs[function.function_arn] = config
    function.logs_group_name = config["LogGroup"]
    return function


def changed(cloud: LocalCloud, function: LambdaFunction, change: str | None) -> None:
    """A new RevisionId, and the change (if any) its next answer reports."""
    cloud.revisions[function.function_arn] = str(uuid.uuid4())
    if change:
        cloud.changes[function.function_arn] = change


def forget(cloud: LocalCloud, function_arn: str) -> None:
    for kept in (cloud.logging_configs, cloud.dead_letter_targets, cloud.revisions, cloud.changes):
        kept.pop(function_arn, None)


def create_function(cloud: LocalCloud, original: Any, self: Any, spec: dict) -> LambdaFunction:
    """LambdaBackend.create_function (CreateFunction): answered Pending."""
    refuse_unsendable_dead_letters(self.account_id, spec.get("Role", ""), spec)
    function = original(self, spec)
    forget(cloud, function.function_arn)
    changed(cloud, function, "Creating")
    return keep_properties(cloud, function, spec)


def create_from_template(
    cloud: LocalCloud,
    original: Any,
    cls: type,
    resource_name: str,
    cloudformation_json: dict,
    account_id: str,
    region_name: str,
    **kwargs: Any,
) -> LambdaFunction:
    """LambdaFunction.create_from_cloudformation_json (AWS::Lambda::Function): CloudFormation
    waits until the function is Active."""
    properties = cloudformation_json["Properties"]
    refuse_unsendable_dead_letters(account_id, properties.get("Role", ""), properties)
    function = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    forget(cloud, function.function_arn)
    changed(cloud, function, None)
    return execution.prepare(cloud, keep_properties(cloud, function, properties))


def update_configuration(cloud: LocalCloud, original: Any, self: LambdaFunction, config_updates: dict) -> dict:
    """LambdaFunction.update_configuration (UpdateFunctionConfiguration): answered InProgress."""
    refuse_unsendable_dead_letters(self.account_id, config_updates.get("Role", self.role), config_updates)
    keep_properties(cloud, self, config_updates)
    changed(cloud, self, "Updating")
    answer = original(self, config_updates)
    execution.prepare(cloud, self)
    return answer


def update_code(cloud: LocalCloud, original: Any, self: LambdaFunction, updated_spec: dict) -> dict:
    """LambdaFunction.update_function_code (UpdateFunctionCode): answered InProgress."""
    changed(cloud, self, "Updating")
    answer = original(self, updated_spec)
    execution.prepare(cloud, self)
    return answer


def configuration(cloud: LocalCloud, original: Any, self: LambdaFunction, on_create: bool = False) -> dict:
    """LambdaFunction.get_configuration (GetFunctionConfiguration, and every answer that holds a
    configuration): DeadLetterConfig, LoggingConfig, RevisionId and RuntimeVersionConfig added, no
    empty Layers nor null keys. The answer of a create or update reports the change under way; the
    next one reports it done (the local function is ready at once), with a new RevisionId."""
    answer = {key: value for key, value in original(self, on_create).items() if value is not None}
    if not answer.get("Layers"):
        answer.pop("Layers", None)
    arn = self.function_arn
    target = cloud.dead_letter_targets.get(arn)
    if target:
        answer["DeadLetterConfig"] = {"TargetArn": target}
    answer["LoggingConfig"] = cloud.logging_configs.get(arn) or logging_config(self, {}, {})
    change = cloud.changes.get(arn)
    if change == SETTLING:
        cloud.revisions[arn] = str(uuid.uuid4())
        del cloud.changes[arn]
    elif change:
        answer.update(REPORTED[change])
        if change == "Creating":
            answer.pop("LastUpdateStatus", None)
        cloud.changes[arn] = SETTLING
    answer["RevisionId"] = cloud.revisions.setdefault(arn, str(uuid.uuid4()))
    runtime = hashlib.sha256(f"{self.region}:{self.run_time}".encode()).hexdigest()
    answer["RuntimeVersionConfig"] = {"RuntimeVersionArn": f"arn:aws:lambda:{self.region}::runtime:{runtime}"}
    return answer
