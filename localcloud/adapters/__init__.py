"""The adapters that close moto 5.2.5's gaps for this stack, one module per gap; install() applies
them all to the moto server in this process. tests/localcloud/test_contracts.py fails when moto's
behaviour or internals change under one of them."""

from __future__ import annotations

import os

from localcloud.adapters import (
    bucket_policy,
    bucket_policy_conditions,
    custom_resources,
    identity_policies,
    ignored_properties,
    lambda_execution,
    role_policies,
    stack_operations,
)
from localcloud.lambda_runner import LambdaRunner

MOTO_VERSION = "5.2.5"


def install(endpoint: str, ca_bundle: str | None = None) -> LambdaRunner:
    """Apply every adapter for a server reachable at endpoint (whose certificate is ca_bundle, for
    HTTPS), and start the custom-resource response receiver beside it; the Lambda runner they use."""
    import moto

    if moto.__version__ != MOTO_VERSION:
        raise RuntimeError(
            f"the local cloud's adapters were written for moto {MOTO_VERSION}, not {moto.__version__}: "
            "pip install -e '.[local]'"
        )
    # AWS-managed policies such as AWSLambdaBasicExecutionRole exist only when moto loads them.
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    host = endpoint.split("//", 1)[1].rsplit(":", 1)[0]
    runner = LambdaRunner(endpoint, ca_bundle)
    lambda_execution.install(runner)
    custom_resources.install(host)
    ignored_properties.install()
    bucket_policy.install()
    bucket_policy_conditions.install()
    identity_policies.install()
    role_policies.install()
    stack_operations.install()
    return runner
