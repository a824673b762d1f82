"""The adapters that close moto 5.2.5's gaps for this stack, one module per gap; install() applies
them all to the moto server in this process. The moto internals they touch are listed in
localcloud/moto_internals.py; tests/localcloud/test_contracts.py fails when moto's behaviour or
internals change under one of them."""

from __future__ import annotations

import os

from localcloud import moto_internals
from localcloud.adapters import (
    async_invocation,
    bucket_policy,
    bucket_policy_conditions,
    custom_resources,
    identity_policies,
    ignored_properties,
    lambda_execution,
    role_policies,
    s3_events,
    stack_operations,
)
from localcloud.async_invoker import AsyncInvoker
from localcloud.lambda_runner import LambdaRunner


def install(
    endpoint: str, retry_delay: float = 1.0, record_events: str | None = None, ca_bundle: str | None = None
) -> tuple[LambdaRunner, AsyncInvoker]:
    """Apply every adapter for a server reachable at endpoint (whose certificate is ca_bundle, for
    HTTPS), and start the custom-resource response receiver beside it; the Lambda runner and the
    asynchronous invoker they use (retries after retry_delay seconds, then twice that; S3 events
    appended to record_events)."""
    import moto

    if moto.__version__ != moto_internals.MOTO_VERSION:  # the full check takes a second: only then
        moto_internals.check()
    # AWS-managed policies such as AWSLambdaBasicExecutionRole exist only when moto loads them.
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    host = endpoint.split("//", 1)[1].rsplit(":", 1)[0]
    runner = LambdaRunner(endpoint, lambda_execution.write_logs, ca_bundle)
    lambda_execution.install(runner)
    invoker = async_invocation.install(retry_delay)
    s3_events.install(record_events)
    custom_resources.install(host)
    ignored_properties.install()
    bucket_policy.install()
    bucket_policy_conditions.install()
    identity_policies.install()
    role_policies.install()
    stack_operations.install()
    return runner, invoker
