"""The metrics Lambda publishes per function (Lambda developer guide, "Types of metrics for Lambda
functions"), in AWS/Lambda with the FunctionName dimension, as counts: Invocations and Errors (1 or
0) for every run of the code, stamped when it started, an asynchronous event's retries included;
Throttles for an event refused for want of concurrency; DeadLetterErrors for a dead letter that
could not be sent; AsyncEventsDropped for every asynchronous event Lambda gives up on, whether or
not it then reaches a dead-letter queue. (AWS also publishes per Resource and for the whole
account; the local cloud does not.)"""

from __future__ import annotations

from datetime import datetime

from localcloud.cloudwatch import metric_data

NAMESPACE = "AWS/Lambda"


def count(function_arn: str, metric: str, value: float = 1.0, timestamp: datetime | None = None) -> None:
    """One datapoint of metric for the function of an (unqualified) ARN."""
    _, _, _, region, account_id, _, name = function_arn.split(":")[:7]
    metric_data.put(account_id, region, NAMESPACE, metric, {"FunctionName": name}, value, timestamp)


def invoked(function_arn: str, started: datetime, errored: bool) -> None:
    """A run of the function's code: Invocations, and Errors 1 when it failed (else 0)."""
    count(function_arn, "Invocations", 1.0, started)
    count(function_arn, "Errors", 1.0 if errored else 0.0, started)
