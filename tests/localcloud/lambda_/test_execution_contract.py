"""Contract of localcloud/lambda_/execution.py: plain moto runs Lambda code only in Docker."""

from __future__ import annotations

from tests.localcloud.plain_moto import plain_function


def test_plain_moto_runs_lambda_code_only_in_docker(plain_moto):
    plain_function(plain_moto, "def handler(event, context):\n    return 1\n")
    response = plain_moto("lambda").invoke(FunctionName="f", Payload=b"{}")
    assert response.get("FunctionError") and b"docker" in response["Payload"].read()
