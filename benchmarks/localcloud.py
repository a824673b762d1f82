"""The local cloud, through the deploy script: stack create, unchanged redeploy (time and API
calls), upload -> logged item latency with asynchronous invocation (goal: median <= 50 ms), a
burst of 200 uploads (time until all are logged), destroy; and the whole `deploy.py --local` run
(start, deploy, upload to item, stop) beside a bare `import moto.server, boto3, troposphere, awacs`
(goal: at most 3x), with where its time goes; the standalone server's start until ready beside
`import moto.server` (goal: at most 2x).

Run: python -m benchmarks.localcloud [uploads]
"""

from __future__ import annotations

import contextlib
import io
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from benchmarks.timing import PROJECT_ROOT, interleaved, summary
from deployment import aws_clients
from deployment import cli as deploy
from deployment.commands import deploy as deploy_command
from deployment.commands import target
from deployment.workflow import Run
from localcloud import server as localcloud

LATENCY_GOAL_MS = 50.0
STACK = "uploadtrail-bench"
BURST = 200
LOCAL_RUN_GOAL = 3.0
BARE_IMPORT = "import moto.server, boto3, troposphere, awacs"
LOCAL_RUN = [sys.executable, str(PROJECT_ROOT / "scripts" / "deploy.py"), "--local"]
# The standalone server's start until it is ready (then killed: its stop is not timed here).
SERVER_START = "from localcloud.server import Starting\ncloud = Starting()\ncloud.ready()\ncloud.process.kill()"
SERVER_START_GOAL = 2.0
# What local_run_phases times (the phase each one's end closes), replaced for one run and put back after.
TIMED_STEPS = [
    (localcloud.Starting, "ready", "start"),
    (Run, "deploy", "deploy"),
    (deploy_command, "upload_sample", "upload to item"),
]
STOP = (localcloud.Starting, "stop", "stop")


def timed_deploy(argv: list[str]) -> tuple[float, int]:
    """Seconds and AWS API calls of one deploy.main run (its output swallowed)."""
    calls = []
    original = aws_clients.make_clients

    def counting(where, slow_call=None):
        clients = original(where, slow_call)
        for client in (clients.cloudformation, clients.s3, clients.sts, clients.dynamodb):
            client.meta.events.register("before-call", lambda **kwargs: calls.append(1))
        return clients

    target.make_clients = counting
    try:
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            code = deploy.main(argv)
        elapsed = time.perf_counter() - started
    finally:
        target.make_clients = original
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


def items_under(clients, outputs: dict, prefix: str) -> int:
    pages = clients.dynamodb.get_paginator("scan").paginate(
        TableName=outputs["DynamoDBTableName"],
        FilterExpression="begins_with(objectKey, :p)",
        ExpressionAttributeValues={":p": {"S": prefix}},
        Select="COUNT",
    )
    return sum(page["Count"] for page in pages)


def burst(clients, outputs: dict, uploads: int = BURST) -> dict:
    """Seconds from the first of `uploads` concurrent uploads until all are logged; items/s."""
    prefix = f"burst-{uuid.uuid4().hex[:6]}/"
    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        keys = [f"{prefix}{n}.txt" for n in range(uploads)]
        list(pool.map(lambda key: clients.s3.put_object(Bucket=outputs["BucketName"], Key=key, Body=b"b"), keys))
    uploaded = time.perf_counter() - started
    while items_under(clients, outputs, prefix) < uploads:
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    return {"uploads": uploads, "uploaded_s": uploaded, "logged_s": seconds, "items_per_s": uploads / seconds}


def local_run_phases() -> dict[str, float]:
    """Seconds of each phase of one in-process `deploy.py --local` run (its imports already paid):
    start (until the server is ready: the client prepares meanwhile), deploy, upload to item, stop."""
    marks: list[tuple[str, float]] = [("begin", time.perf_counter())]

    def timed(original, label: str):
        def call(*args, **kwargs):
            result = original(*args, **kwargs)
            if label not in dict(marks):
                marks.append((label, time.perf_counter()))
            return result

        return call

    originals = {(owner, name): getattr(owner, name) for owner, name, _ in TIMED_STEPS + [STOP]}
    for owner, name, label in TIMED_STEPS + [STOP]:
        setattr(owner, name, timed(getattr(owner, name), label))
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            deploy.main(["--local", "--stack-name", f"{STACK}-phases"])
    finally:
        for (owner, name), original in originals.items():
            setattr(owner, name, original)
    return {label: at - marks[index - 1][1] for index, (label, at) in enumerate(marks) if index}


def local_run(repeats: int) -> dict:
    """The whole `deploy.py --local` run beside the bare imports, and the standalone server's start
    until ready beside `import moto.server`, fresh processes, interleaved; one run's phases."""
    runs = interleaved({"deploy.py --local": LOCAL_RUN, "bare import": BARE_IMPORT}, repeats)
    start = interleaved({"server start": SERVER_START, "import moto.server": "import moto.server"}, repeats)
    ratio = runs["deploy.py --local"]["median"] / runs["bare import"]["median"]
    start_ratio = start["server start"]["median"] / start["import moto.server"]["median"]
    return {
        **runs,
        **start,
        "phases_s": local_run_phases(),
        "ratio": ratio,
        "goal": LOCAL_RUN_GOAL,
        "met": ratio <= LOCAL_RUN_GOAL,
        "start_ratio": start_ratio,
        "start_goal": SERVER_START_GOAL,
        "start_met": start_ratio <= SERVER_START_GOAL,
    }


def measure(uploads: int = 50, repeats: int = 5) -> dict:
    with localcloud.running() as endpoint:
        argv = ["--stack-name", STACK, "--endpoint", endpoint]
        create_s, create_calls = timed_deploy(argv)
        redeploy_s, redeploy_calls = timed_deploy(argv)
        clients = aws_clients.make_clients(aws_clients.Target(aws_clients.DEFAULT_REGION, endpoint))
        stack = clients.cloudformation.describe_stacks(StackName=STACK)["Stacks"][0]
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
        samples = upload_latencies(clients, outputs, uploads)
        latency = summary(samples)
        burst_figures = burst(clients, outputs)
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
        "burst": burst_figures,
        "local_run": local_run(repeats),
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
    figures = result["burst"]
    print(
        f"burst of {figures['uploads']} uploads: all logged after {figures['logged_s']:.2f} s "
        f"({figures['items_per_s']:.0f} items/s; uploads done after {figures['uploaded_s']:.2f} s)"
    )
    run = result["local_run"]
    print(
        f"deploy.py --local: median {run['deploy.py --local']['median']:.0f} ms, bare import "
        f"{run['bare import']['median']:.0f} ms: {run['ratio']:.1f}x (goal <= {LOCAL_RUN_GOAL:.0f}x)"
    )
    print("  phases: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in run["phases_s"].items()))
    print(
        f"server start until ready: median {run['server start']['median']:.0f} ms, import moto.server "
        f"{run['import moto.server']['median']:.0f} ms: {run['start_ratio']:.1f}x (goal <= {SERVER_START_GOAL:.0f}x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
