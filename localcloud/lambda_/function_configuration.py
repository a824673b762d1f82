"""What Lambda keeps of a function's configuration and moto drops: DeadLetterConfig (refused when
the execution role may not send to the queue, as Lambda refuses it), LoggingConfig's LogGroup and
LogFormat, and ReservedConcurrentExecutions from a template."""

from __future__ import annotations

from typing import Any

from moto.awslambda.exceptions import InvalidParameterValueException
from moto.awslambda.models import LambdaFunction

from localcloud.cloud import LocalCloud
from localcloud.iam import callers


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


def keep_dead_letter_config(cloud: LocalCloud, function: LambdaFunction, properties: dict) -> LambdaFunction:
    if "DeadLetterConfig" in properties:
        cloud.dead_letter_targets[function.function_arn] = dead_letter_target(properties)
    if "ReservedConcurrentExecutions" in properties:
        function.reserved_concurrency = properties["ReservedConcurrentExecutions"]
    return function


def create_function(cloud: LocalCloud, original: Any, self: Any, spec: dict) -> LambdaFunction:
    """LambdaBackend.create_function (CreateFunction)."""
    refuse_unsendable_dead_letters(self.account_id, spec.get("Role", ""), spec)
    function = original(self, spec)
    cloud.log_formats.pop(function.function_arn, None)
    cloud.dead_letter_targets.pop(function.function_arn, None)
    return keep_dead_letter_config(cloud, function, spec)


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
    """LambdaFunction.create_from_cloudformation_json (AWS::Lambda::Function)."""
    properties = cloudformation_json["Properties"]
    refuse_unsendable_dead_letters(account_id, properties.get("Role", ""), properties)
    function = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    logging_config = properties.get("LoggingConfig", {})
    if logging_config.get("LogGroup"):
        function.logs_group_name = logging_config["LogGroup"]
    cloud.log_formats[function.function_arn] = logging_config.get("LogFormat", "Text")
    cloud.dead_letter_targets.pop(function.function_arn, None)
    return keep_dead_letter_config(cloud, function, properties)


def update_configuration(cloud: LocalCloud, original: Any, self: LambdaFunction, config_updates: dict) -> dict:
    """LambdaFunction.update_configuration (UpdateFunctionConfiguration)."""
    refuse_unsendable_dead_letters(self.account_id, config_updates.get("Role", self.role), config_updates)
    keep_dead_letter_config(cloud, self, config_updates)
    return original(self, config_updates)


def configuration_with_dead_letter(
    cloud: LocalCloud, original: Any, self: LambdaFunction, on_create: bool = False
) -> dict:
    """LambdaFunction.get_configuration (GetFunctionConfiguration)."""
    configuration = original(self, on_create)
    target = cloud.dead_letter_targets.get(self.function_arn)
    if target:
        configuration["DeadLetterConfig"] = {"TargetArn": target}
    return configuration
