"""The one place where the deploy tool's boto3 clients are made: region, endpoint, credentials
profile, standard-mode retries, bounded connect and read timeouts, and a notice while a call is
slow to answer."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import boto3
from botocore.config import Config

from localcloud import LOCAL_CREDENTIALS

DEFAULT_REGION = "us-east-1"
# How often a call that has not been answered says so.
SLOW_CALL_NOTICE_SECONDS = 10.0


@dataclass(frozen=True)
class Timeouts:
    """Seconds to connect and to read an answer, and attempts per call (retries included)."""

    connect: float
    read: float
    attempts: int


# An endpoint (the local cloud, LocalStack) answers fast or not at all; AWS keeps botocore's read bound.
ENDPOINT_TIMEOUTS = Timeouts(connect=3, read=60, attempts=2)
AWS_TIMEOUTS = Timeouts(connect=10, read=60, attempts=3)


def timeouts_for(endpoint: bool) -> Timeouts:
    return ENDPOINT_TIMEOUTS if endpoint else AWS_TIMEOUTS


@dataclass(frozen=True)
class Target:
    """Where to deploy: a region, and an AWS-compatible endpoint (None for real AWS) with the
    certificate file to trust for it (the local cloud's self-signed one; None: the usual CAs)."""

    region: str
    endpoint: str | None = None
    profile: str | None = None
    ca_bundle: str | None = None


@dataclass(frozen=True)
class Clients:
    """The clients the deploy script uses, and `client(service)` for any other, made alike."""

    client: Callable[[str], object]
    cloudformation: object
    s3: object
    sts: object
    dynamodb: object


def make_session(target: Target) -> boto3.session.Session:
    """A session for the target; test credentials for an endpoint when none are configured."""
    session = boto3.session.Session(profile_name=target.profile, region_name=target.region)
    if target.endpoint and session.get_credentials() is None:
        session = boto3.session.Session(region_name=target.region, **LOCAL_CREDENTIALS)
    return session


class SlowCallNotice:
    """Calls notice(operation, seconds) every SLOW_CALL_NOTICE_SECONDS while a request of the
    client it watches has no answer."""

    def __init__(self, notice: Callable[[str, float], None]):
        self.notice = notice
        self.waiting: dict[int, threading.Event] = {}

    def watch(self, client) -> None:
        client.meta.events.register("before-send", self.sent)
        client.meta.events.register("response-received", self.answered)

    def sent(self, request, event_name: str, **kwargs) -> None:
        answered = self.waiting[threading.get_ident()] = threading.Event()
        operation = event_name.rsplit(".", 1)[-1]
        threading.Thread(target=self.tick, args=(answered, operation), daemon=True).start()

    def answered(self, **kwargs) -> None:
        self.waiting.pop(threading.get_ident()).set()

    def tick(self, answered: threading.Event, operation: str) -> None:
        started = time.monotonic()
        while not answered.wait(SLOW_CALL_NOTICE_SECONDS):
            self.notice(operation, time.monotonic() - started)


def make_clients(
    target: Target,
    slow_call: Callable[[str, float], None] | None = None,
    session: boto3.session.Session | None = None,
) -> Clients:
    """Clients with standard retries and bounded timeouts; against an endpoint, path-style S3.
    slow_call(operation, seconds) hears of every call still unanswered after each notice period.
    Made from session when given (its loaded service models reused), else a new one."""
    session = session or make_session(target)
    timeouts = timeouts_for(target.endpoint is not None)
    config = Config(
        retries={"mode": "standard", "max_attempts": timeouts.attempts},
        connect_timeout=timeouts.connect,
        read_timeout=timeouts.read,
        s3={"addressing_style": "path"} if target.endpoint else None,
    )
    notice = SlowCallNotice(slow_call) if slow_call else None

    def client(service: str):
        made = session.client(service, endpoint_url=target.endpoint, config=config, verify=target.ca_bundle)
        if notice:
            notice.watch(made)
        return made

    return Clients(
        client=client,
        cloudformation=client("cloudformation"),
        s3=client("s3"),
        sts=client("sts"),
        dynamodb=client("dynamodb"),
    )
