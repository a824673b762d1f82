"""The local cloud, through the deploy script: stack create, unchanged redeploy (time and API
calls), upload -> logged item latency (goal: median <= 100 ms), and destroy.

Run: python -m benchmarks.localcloud [uploads]
"""

from __future__ import annotations

import contextlib
import io
import sys
import time
import uuid

from benchmarks.timing import summary
from deployment import aws_clients
from deployment import cli as deploy
from localcloud import server as localcloud

LATENCY_GOAL_MS = 100.0
STACK = "uploadtrail-bench"


def timed_deploy(argv: list[str]) -> tuple[float, int]:
    """Seconds and AWS API calls of one deploy.main run (its output swallowed)."""
    calls = []
    original = aws_clients.make_clients

    def counting(target):
        clients = original(target)
        for client in (clients.cloudformation, clients.s3, clients.sts, clients.dynamodb):
            client.meta.events.register("before-call", lambda **kwargs: calls.append(1))
        return clients

    deploy.make_clients = counting
    try:
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            code = deploy.main(argv)
        elapsed = time.perf_counter() - started
    finally:
        deploy.make_clients = original
    if code != 0:
        raise RuntimeError(f"deploy {' '.join(argv)} exited {code}")
    return elapsed, len(calls)


def upload_latencies(clients, outputs: dict, uploads: int) -> list[float]:
    """Milliseconds from the start of each upload until its item can be read."""
    latencies = []
    for n in range(uploads):
        key = f"bench/{n}-{uuid.uuid4().hex[:6]}.txt"
        started = time.perf_counter()
        clients.s3.put_object(Bucket=outputs["BucketName"], Key=key, Body=b"benchmark")
        while not clients.dynamodb.scan(
            TableName=outputs["DynamoDBTableName"],
            FilterExpression="objectKey = :k",
            ExpressionAttributeValues={":k": {"S": key}},
        )["Items"]:
            time.sleep(0.001)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def measure(uploads: int = 50) -> dict:
    with localcloud.running() as endpoint:
        argv = ["--stack-name", STACK, "--endpoint", endpoint]
        create_s, create_calls = timed_deploy(argv)
        redeploy_s, redeploy_calls = timed_deploy(argv)
        clients = aws_clients.make_clients(aws_clients.Target(aws_clients.DEFAULT_REGION, endpoint))
        stack = clients.cloudformation.describe_stacks(StackName=STACK)["Stacks"][0]
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
        samples = upload_latencies(clients, outputs, uploads)
        latency = summary(samples)
        destroy_s, _ = timed_deploy(argv + ["--destroy", "--yes"])
    return {
        "create_s": create_s,
        "create_calls": create_calls,
        "redeploy_s": redeploy_s,
        "redeploy_calls": redeploy_calls,
        "destroy_s": destroy_s,
        "latency_ms": latency,
        "latency_samples": samples,
        "goal_ms": LATENCY_GOAL_MS,
        "met": latency["median"] <= LATENCY_GOAL_MS,
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    result = measure(int(args[0]) if args else 50)
    latency = result["latency_ms"]
    print(f"stack create {result['create_s']:.2f} s ({result['create_calls']} API calls)")
    print(f"unchanged redeploy {result['redeploy_s']:.2f} s ({result['redeploy_calls']} API calls)")
    print(f"destroy {result['destroy_s']:.2f} s")
    print(
        f"upload -> item: median {latency['median']:.1f} ms, p90 {latency['p90']:.1f} ms over {latency['n']} uploads "
        f"(goal <= {LATENCY_GOAL_MS} ms median): {'met' if result['met'] else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
