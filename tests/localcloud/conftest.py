"""One local cloud per test session, and clients for it."""

from __future__ import annotations

import sys

import boto3
import pytest

from tests.conftest import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))

import localcloud  # noqa: E402

REGION = "us-east-1"


@pytest.fixture(scope="session")
def endpoint():
    with localcloud.running() as url:
        yield url


@pytest.fixture(scope="session")
def aws(endpoint):
    """A client factory for the local cloud."""
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
    )
    return lambda service: session.client(service, endpoint_url=endpoint)
