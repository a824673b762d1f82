"""S3's notifier for Lambda destinations: it hands each event to Lambda's asynchronous invocation
(Invoke with InvocationType=Event) and never waits for the function, as S3 does."""

from __future__ import annotations

from typing import Any

from localcloud.cloud import LocalCloud
from localcloud.lambda_ import async_invocation


def deliver_to_lambda(
    cloud: LocalCloud, original: Any, account_id: str, event_body: Any, fn_arn: str, region_name: str
) -> None:
    """moto.s3.notifications._invoke_awslambda: queue the event instead of running it here."""
    async_invocation.invoke_event(cloud, account_id, region_name, fn_arn, event_body)
