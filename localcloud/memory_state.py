"""What the local cloud holds, counted from moto's backends, and the line that says it is lost on
stop: every stack, bucket, table, queue and function lives in the server's memory only."""

from __future__ import annotations

from moto.awslambda.models import LambdaBackend, lambda_backends
from moto.cloudformation import cloudformation_backends
from moto.cloudformation.models import CloudFormationBackend
from moto.dynamodb.models import DynamoDBBackend, dynamodb_backends
from moto.s3.models import S3Backend, s3_backends
from moto.sqs.models import SQSBackend, sqs_backends


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def stack_count(backend: CloudFormationBackend) -> dict[str, int]:
    return {"stack": len(backend.stacks)}


def bucket_counts(backend: S3Backend) -> dict[str, int]:
    return {"bucket": len(backend.buckets), "object": sum(len(bucket.keys) for bucket in backend.buckets.values())}


def table_counts(backend: DynamoDBBackend) -> dict[str, int]:
    return {"table": len(backend.tables), "item": sum(len(table) for table in backend.tables.values())}


def queue_counts(backend: SQSBackend) -> dict[str, int]:
    messages = sum(queue.approximate_number_of_messages for queue in backend.queues.values())
    return {"queue": len(backend.queues), "message": messages}


def function_count(backend: LambdaBackend) -> dict[str, int]:
    return {"function": len(list(backend.list_functions()))}


# Each backends dict, and what one of its backends holds.
COUNTED = (
    (cloudformation_backends, stack_count),
    (s3_backends, bucket_counts),
    (dynamodb_backends, table_counts),
    (sqs_backends, queue_counts),
    (lambda_backends, function_count),
)


def counts() -> dict[str, int]:
    """How many stacks, buckets, objects, tables, items, queues, messages and functions there are,
    over every account and region."""
    held: dict[str, int] = {}
    for backend_dict, count in COUNTED:
        for _, _, backend in backend_dict.iter_backends():
            for noun, number in count(backend).items():
                held[noun] = held.get(noun, 0) + number
    return held


def lost_on_stop() -> str:
    held = dict.fromkeys(("stack", "bucket", "object", "table", "item", "queue", "message", "function"), 0)
    held.update(counts())
    return (
        f"stopped: the local cloud keeps its state in memory only, so these are gone: "
        f"{plural(held['stack'], 'stack')}, {plural(held['bucket'], 'bucket')} ({plural(held['object'], 'object')}), "
        f"{plural(held['table'], 'table')} ({plural(held['item'], 'item')}), "
        f"{plural(held['queue'], 'queue')} ({plural(held['message'], 'message')}), "
        f"{plural(held['function'], 'function')}"
    )
