"""Contract of localcloud/lambda_/async_invocation.py, function_configuration.py and
event_invoke_config.py: plain moto runs an event invocation at once, drops DeadLetterConfig and has
no AWS::Lambda::EventInvokeConfig."""

from __future__ import annotations

import pytest

from tests.localcloud.plain_moto import create_stack, function_with_dead_letter_queue


def test_plain_moto_runs_an_event_invocation_at_once_and_drops_the_dead_letter_config(plain_moto):
    name = function_with_dead_letter_queue(plain_moto)
    assert "DeadLetterConfig" not in plain_moto("lambda").get_function_configuration(FunctionName=name)
    response = plain_moto("lambda").invoke(FunctionName=name, InvocationType="Event", Payload=b"{}")
    assert response["StatusCode"] == 202 and b"docker" in response["Payload"].read()  # ran inside the request


def test_plain_moto_has_no_event_invoke_config_resource(plain_moto):
    name = function_with_dead_letter_queue(plain_moto)
    create_stack(
        plain_moto,
        {
            "Config": {
                "Type": "AWS::Lambda::EventInvokeConfig",
                "Properties": {"FunctionName": name, "Qualifier": "$LATEST", "MaximumRetryAttempts": 0},
            }
        },
    )
    with pytest.raises(plain_moto("lambda").exceptions.ResourceNotFoundException):
        plain_moto("lambda").get_function_event_invoke_config(FunctionName=name)
