"""One local cloud per test session, clients for it, the sample function's code in it, and plain
moto in the test process for the contract tests."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from deployment.aws_clients import DEFAULT_REGION as REGION
from localcloud import LOCAL_CREDENTIALS
from localcloud import server as localcloud
from tests.localcloud.sample_app import APP
from tests.localcloud.stacks import upload_code, zipped

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


@pytest.fixture(scope="session")
def code_key(aws):
    """The sample function's package, uploaded once: its key in the artifacts bucket."""
    return upload_code(aws, zipped({"app.py": APP}))


@pytest.fixture
def plain_moto(monkeypatch):
    """Clients of moto without the local cloud's patches, in this process."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        yield lambda service: boto3.client(service, region_name="us-east-1")
