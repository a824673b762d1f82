"""One integration suite, three targets, chosen by UPLOADTRAIL_TARGET:

- unset or "local": the embedded local cloud (the default; CI runs it);
- an http(s) URL: an AWS-compatible endpoint such as LocalStack's http://localhost:4566;
- "aws": real AWS with the ambient credentials (AWS_PROFILE, AWS_REGION...), a unique stack
  name, and a teardown that always runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Iterator

import pytest

from deployment import cli as deploy
from deployment.aws_clients import DEFAULT_REGION, Target, make_clients
from localcloud import server as localcloud

TARGET = os.environ.get("UPLOADTRAIL_TARGET", "local")
# Seconds before a failed asynchronous invocation's first retry on the local target (AWS: a minute).
LOCAL_RETRY_DELAY = 0.2


@pytest.fixture(scope="session")
def target() -> Target:
    if TARGET == "local":
        with localcloud.running(retry_delay=LOCAL_RETRY_DELAY) as endpoint:
            yield Target(DEFAULT_REGION, endpoint)
    elif TARGET.startswith(("http://", "https://")):
        yield Target(os.environ.get("AWS_REGION", DEFAULT_REGION), TARGET)
    elif TARGET == "aws":
        import boto3

        yield Target(boto3.session.Session().region_name or DEFAULT_REGION, None, os.environ.get("AWS_PROFILE"))
    else:
        raise pytest.UsageError(f"UPLOADTRAIL_TARGET={TARGET!r}: use 'local', an endpoint URL, or 'aws'")


@pytest.fixture(scope="session")
def stack_name() -> str:
    return "uploadtrail-it" if TARGET == "local" else f"uploadtrail-it-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def clients(target):
    return make_clients(target)


@pytest.fixture(scope="session")
def target_args(target, stack_name) -> list[str]:
    args = ["--stack-name", stack_name, "--region", target.region]
    if target.endpoint:
        args += ["--endpoint", target.endpoint]
    if target.profile:
        args += ["--profile", target.profile]
    return args


@contextlib.contextmanager
def stack_deployed(args: list[str], folder) -> Iterator[dict]:
    """A stack deployed with the deploy command's args, its outputs; always torn down after."""
    outputs_file = folder / "outputs.json"
    try:
        assert deploy.main(args + ["--outputs-file", str(outputs_file)]) == 0
        yield json.loads(outputs_file.read_text())
    finally:
        assert deploy.main(args + ["--destroy", "--yes"]) == 0, "--destroy failed: the stack is left behind"


@pytest.fixture(scope="session")
def deployed(target_args, tmp_path_factory):
    """The stack, deployed once for the suite; always torn down at the end, and a teardown whose
    --destroy fails fails the run (a stack left behind would otherwise go unnoticed)."""
    with stack_deployed(target_args, tmp_path_factory.mktemp("outputs")) as outputs:
        yield outputs
