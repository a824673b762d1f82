"""The adapters that close moto 5.2.5's gaps for this stack, one module per gap; install() applies
them all to the moto server in this process. tests/localcloud/test_contracts.py fails when moto's
behaviour or internals change under one of them."""

from __future__ import annotations

from localcloud.adapters import (
    bucket_policy,
    custom_resources,
    ignored_properties,
    lambda_execution,
    stack_operations,
)
from localcloud.lambda_runner import LambdaRunner

MOTO_VERSION = "5.2.5"


def install(endpoint: str) -> LambdaRunner:
    """Apply every adapter for a server reachable at endpoint, and start the custom-resource
    response receiver beside it; the Lambda runner they use."""
    import moto

    if moto.__version__ != MOTO_VERSION:
        raise RuntimeError(
            f"the local cloud's adapters were written for moto {MOTO_VERSION}, not {moto.__version__}: "
            "pip install -e '.[local]'"
        )
    host = endpoint.split("//", 1)[1].rsplit(":", 1)[0]
    runner = LambdaRunner(endpoint)
    lambda_execution.install(runner)
    custom_resources.install(host)
    ignored_properties.install()
    bucket_policy.install()
    stack_operations.install()
    return runner
