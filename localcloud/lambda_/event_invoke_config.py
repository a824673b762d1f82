"""AWS::Lambda::EventInvokeConfig, which moto lacks: a function's MaximumRetryAttempts and
MaximumEventAgeInSeconds for asynchronous invocation, replacing any it had."""

from __future__ import annotations

from moto.awslambda.exceptions import UnknownFunctionException
from moto.awslambda.utils import get_backend


def put_event_invoke_config(function_name: str, properties: dict, account_id: str, region_name: str) -> None:
    backend = get_backend(account_id, region_name)
    config = {
        name: int(properties[name])
        for name in ("MaximumRetryAttempts", "MaximumEventAgeInSeconds")
        if name in properties
    }
    backend.get_function(function_name).event_invoke_config = []
    backend.put_function_event_invoke_config(function_name, config)


def remove_event_invoke_config(function_name: str, account_id: str, region_name: str) -> None:
    try:
        get_backend(account_id, region_name).get_function(function_name).event_invoke_config = []
    except UnknownFunctionException:  # the function went first
        pass
