"""Stubbed AWS clients for the deploy tool's tests: every call must be one the test expects."""

import boto3
import pytest
from botocore.stub import Stubber


@pytest.fixture
def stubbed():
    """stubbed(service) -> (client, stubber); each stubber must have served all it was given."""
    made = []

    def make(service: str):
        client = boto3.client(service, region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
        stubber = Stubber(client)
        stubber.activate()
        made.append(stubber)
        return client, stubber

    yield make
    for stubber in made:
        stubber.assert_no_pending_responses()
        stubber.deactivate()


class Lines(list):
    """A stream for the reporter that keeps each line written, as a list of lines."""

    def __init__(self):
        super().__init__()
        self.partial = ""

    def write(self, text: str) -> None:
        *done, self.partial = (self.partial + text).split("\n")
        self.extend(done)

    def flush(self) -> None:
        pass
