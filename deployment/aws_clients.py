"""The one place where the deploy script's boto3 clients are made: region, endpoint, credentials
profile and standard-mode retries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import boto3
from botocore.config import Config

from localcloud import LOCAL_CREDENTIALS

DEFAULT_REGION = "us-east-1"


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


def make_clients(target: Target) -> Clients:
    """Clients with standard retries; against an endpoint, path-style S3 and a short connect
    timeout, so an endpoint that is not there fails fast."""
    session = make_session(target)
    if target.endpoint:
        config = Config(
            retries={"mode": "standard", "max_attempts": 2},
            connect_timeout=3,
            read_timeout=120,
            s3={"addressing_style": "path"},
        )
    else:
        config = Config(retries={"mode": "standard"})

    def client(service: str):
        return session.client(service, endpoint_url=target.endpoint, config=config, verify=target.ca_bundle)

    return Clients(
        client=client,
        cloudformation=client("cloudformation"),
        s3=client("s3"),
        sts=client("sts"),
        dynamodb=client("dynamodb"),
    )
