"""The metric SQS publishes for every queue once a minute (SQS developer guide, "Available
CloudWatch metrics for Amazon SQS"): AWS/SQS ApproximateNumberOfMessagesVisible per QueueName, the
messages available for retrieval, 0 for an empty queue. Each sample is stamped with the start of
its minute, as SQS's one-minute datapoints are."""

from __future__ import annotations

from datetime import datetime

from moto.sqs.models import Queue, sqs_backends

from localcloud.cloudwatch import metric_data

NAMESPACE = "AWS/SQS"
VISIBLE = "ApproximateNumberOfMessagesVisible"


def sample_queues(minute: datetime) -> None:
    """One datapoint per queue of every account and region, stamped minute."""
    for account_id, regions in list(sqs_backends.items()):
        for region, backend in list(regions.items()):
            for queue in list(backend.queues.values()):
                sample(account_id, region, queue, minute)


def sample(account_id: str, region: str, queue: Queue, minute: datetime) -> None:
    visible = queue.approximate_number_of_messages
    metric_data.put(account_id, region, NAMESPACE, VISIBLE, {"QueueName": queue.name}, visible, minute)
