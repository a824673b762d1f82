"""Stubbed AWS clients for the deploy tool's tests: every call must be one the test expects."""

import boto3
import pytest
from botocore.stub import Stubber

from deployment.aws_clients import Clients
from deployment.commands import target


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


@pytest.fixture
def stack_clients(stubbed, monkeypatch):
    """stack_clients(*services) -> {service: stubber}: the clients a sub-command opens (CloudFormation,
    DynamoDB and those named), stubbed."""

    def make(*services: str) -> dict:
        made = {service: stubbed(service) for service in {"cloudformation", "dynamodb", *services}}
        clients = Clients(lambda service: made[service][0], made["cloudformation"][0], None, None, made["dynamodb"][0])
        monkeypatch.setattr(target, "make_clients", lambda *args: clients)
        return {service: stub for service, (_, stub) in made.items()}

    return make


def stack_answer(outputs: dict[str, str], **extra) -> dict:
    """DescribeStacks' answer for stack uploadtrail-dev with these outputs."""
    stack = {
        "StackName": "uploadtrail-dev",
        "StackId": "stack-id",
        "CreationTime": "2026-01-01",
        "StackStatus": "UPDATE_COMPLETE",
        "Outputs": [{"OutputKey": key, "OutputValue": value} for key, value in outputs.items()],
        **extra,
    }
    return {"Stacks": [stack]}
