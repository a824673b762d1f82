"""One integration suite, three targets, chosen by UPLOADTRAIL_TARGET:

- unset or "local": the embedded local cloud (the default; CI runs it);
- an http(s) URL: an AWS-compatible endpoint such as LocalStack's http://localhost:4566;
- "aws": real AWS with the ambient credentials (AWS_PROFILE, AWS_REGION...), a unique stack
  name, and a teardown that always runs.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import uuid
from collections.abc import Iterator

import pytest

from deployment import cli as deploy
from deployment.aws_clients import DEFAULT_REGION, Target, make_clients
from deployment.localstack_gaps import SOURCE_ROOT, gap_of
from deployment.target_kind import TargetKind, target_kind
from localcloud import server as localcloud

TARGET = os.environ.get("UPLOADTRAIL_TARGET", "local")
# Seconds before a failed asynchronous invocation's first retry on the local target (AWS: a minute).
LOCAL_RETRY_DELAY = 0.2


LOCALSTACK_IGNORES = "localstack_ignores"


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers",
        f"{LOCALSTACK_IGNORES}(setting): the test needs a setting LocalStack does not apply (a row of "
        "deployment/localstack_gaps.py); skipped, with that row as the reason, when the target is LocalStack",
    )


@functools.cache
def endpoint_kind() -> TargetKind | None:
    """What answers at an endpoint target, asked once; None for the local cloud and AWS."""
    return target_kind(TARGET) if TARGET.startswith(("http://", "https://")) else None


def pytest_runtest_setup(item) -> None:
    """The one place a test is skipped on LocalStack: its localstack_ignores marker names the
    setting, and the skip gives LocalStack's treatment of it and the source file that shows it."""
    marker = item.get_closest_marker(LOCALSTACK_IGNORES)
    kind = endpoint_kind() if marker else None
    if kind and kind.is_localstack:
        gap = gap_of(marker.args[0])
        pytest.skip(
            f"{kind.title} does not apply {marker.args[0]} of {', '.join(gap.types)}: {gap.effect} "
            f"({SOURCE_ROOT}{gap.source})"
        )


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
