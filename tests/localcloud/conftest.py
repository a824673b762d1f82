"""One local cloud per test session, and clients for it."""

from __future__ import annotations

import boto3
import pytest

from deployment.aws_clients import DEFAULT_REGION as REGION
from localcloud import LOCAL_CREDENTIALS
from localcloud import server as localcloud

# Seconds before an asynchronous invocation's first retry (then twice that): short, for the suite.
RETRY_DELAY = 0.2


@pytest.fixture(scope="session")
def endpoint():
    with localcloud.running(retry_delay=RETRY_DELAY) as url:
        yield url


@pytest.fixture(scope="session")
def aws(endpoint):
    """A client factory for the local cloud."""
    session = boto3.session.Session(region_name=REGION, **LOCAL_CREDENTIALS)
    return lambda service: session.client(service, endpoint_url=endpoint)
