"""What the local cloud holds, counted from moto's backends, and the line that says it is lost on
stop: every stack, bucket, table, queue and function lives in the server's memory only."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def counts() -> dict[str, int]:
    """How many stacks, buckets, objects, tables, items, queues, messages and functions there are,
    over every account and region."""
    from moto.awslambda.models import lambda_backends
    from moto.cloudformation.models import cloudformation_backends
    from moto.dynamodb.models import dynamodb_backends
    from moto.s3.models import s3_backends
    from moto.sqs.models import sqs_backends

    def backends(backend_dict):
        return [backend for _, _, backend in backend_dict.iter_backends()]

    buckets = [bucket for backend in backends(s3_backends) for bucket in backend.buckets.values()]
    tables = [table for backend in backends(dynamodb_backends) for table in backend.tables.values()]
    queues = [queue for backend in backends(sqs_backends) for queue in backend.queues.values()]
    return {
        "stack": sum(len(backend.stacks) for backend in backends(cloudformation_backends)),
        "bucket": len(buckets),
        "object": sum(len(bucket.keys) for bucket in buckets),
        "table": len(tables),
        "item": sum(len(table) for table in tables),
        "queue": len(queues),
        "message": sum(queue.approximate_number_of_messages for queue in queues),
        "function": sum(len(list(backend.list_functions())) for backend in backends(lambda_backends)),
    }


def lost_on_stop() -> str:
    held = counts()
    return (
        f"stopped: the local cloud keeps its state in memory only, so these are gone: "
        f"{plural(held['stack'], 'stack')}, {plural(held['bucket'], 'bucket')} ({plural(held['object'], 'object')}), "
        f"{plural(held['table'], 'table')} ({plural(held['item'], 'item')}), "
        f"{plural(held['queue'], 'queue')} ({plural(held['message'], 'message')}), "
        f"{plural(held['function'], 'function')}"
    )
