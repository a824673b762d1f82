"""The --local run's sample upload waits for its item with a deadline."""

import json
from types import SimpleNamespace

import pytest

from deployment.errors import SampleNotLogged
from deployment.reporter import Reporter
from deployment.sample import SAMPLE_KEY, upload_sample
from tests.deployment.conftest import Lines


def test_a_sample_whose_item_never_appears_fails_the_local_run():
    scans = []
    clients = SimpleNamespace(
        s3=SimpleNamespace(put_object=lambda **kwargs: None),
        dynamodb=SimpleNamespace(scan=lambda **kwargs: scans.append(kwargs) or {"Items": []}),
    )
    with pytest.raises(SampleNotLogged) as failed:
        upload_sample(clients, {"BucketName": "b", "DynamoDBTableName": "t"}, Reporter(out=Lines()), wait_seconds=0.5)
    assert failed.value == SampleNotLogged(SAMPLE_KEY, 0.5)
    assert scans and scans[0]["ExpressionAttributeValues"] == {":key": {"S": SAMPLE_KEY}}


def test_the_sample_item_prints_numbers_as_numbers():
    item = {"objectKey": {"S": SAMPLE_KEY}, "objectSize": {"N": "23"}}
    clients = SimpleNamespace(
        s3=SimpleNamespace(put_object=lambda **kwargs: None),
        dynamodb=SimpleNamespace(scan=lambda **kwargs: {"Items": [item]}),
    )
    shown = upload_sample(clients, {"BucketName": "b", "DynamoDBTableName": "t"}, Reporter(out=Lines()))
    assert shown == {"objectKey": SAMPLE_KEY, "objectSize": 23}
    assert '"objectSize": 23' in json.dumps(shown)
