"""localcloud/service_models.py: services answer from their API models as moto loads them (moto's
extras merged, paginators read) though one loader reads every model."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from moto.core import loaders, utils

from localcloud import patches
from localcloud.cloud import LocalCloud, Options


def queue_pages(sqs, prefix: str) -> list[list[str]]:
    """The queue names ListQueues answers a page of one at a time, page by page."""
    for name in ("a", "b", "c"):
        sqs.create_queue(QueueName=f"{prefix}-{name}")
    pages, token = [], None
    while True:
        answer = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=1, **({"NextToken": token} if token else {}))
        pages.append([url.rsplit("/", 1)[1] for url in answer.get("QueueUrls", [])])
        token = answer.get("NextToken")
        if not token:
            return pages


def test_two_services_answer_paginated_and_modelled_errors_as_motos_do(aws, plain_moto):
    prefix = f"models-{uuid.uuid4().hex[:8]}"
    assert queue_pages(aws("sqs"), prefix) == queue_pages(plain_moto("sqs"), prefix)
    errors = []
    for dynamodb in (aws("dynamodb"), plain_moto("dynamodb")):
        with pytest.raises(dynamodb.exceptions.ResourceNotFoundException) as error:
            dynamodb.describe_table(TableName=prefix)
        errors.append(error.value.response["Error"])
    assert errors[0] == errors[1]


SHARED = ("moto.core.utils.create_loader", "moto.core.utils.service_name_from_moto_package_name")


@pytest.fixture
def shared():
    """The patches installed in this process (then undone)."""
    chosen = [patch for patch in patches.PATCHES if patch.target in SHARED]
    patches.install(LocalCloud("http://127.0.0.1:1", Options()), chosen, [])
    yield
    patches.uninstall()


@pytest.mark.parametrize(
    ("service", "model"), [("sqs", "service-2"), ("rds", "paginators-1"), ("dynamodb", "service-2")]
)
def test_every_model_is_the_one_a_loader_of_its_own_reads(shared, service, model):
    assert utils._load_service_model(service, model) == loaders.create_loader().load_service_model(service, model)


def test_one_loader_of_motos_reads_every_model(shared):
    loader = utils.create_loader()
    assert utils.create_loader() is loader
    assert isinstance(loader, loaders.Loader) and loaders.moto_root in loader.search_paths


def test_every_moto_package_names_the_service_moto_named_it():
    """The error of every moto service is answered in the same service's model as before."""
    packages = sorted(entry.name for entry in Path(loaders.moto_root).iterdir() if (entry / "models.py").exists())
    expected = {package: utils.service_name_from_moto_package_name(package) for package in packages}
    (patch,) = [patch for patch in patches.PATCHES if patch.target == SHARED[1]]
    patches.install(LocalCloud("http://127.0.0.1:1", Options()), [patch], [])
    try:
        assert {package: utils.service_name_from_moto_package_name(package) for package in packages} == expected
    finally:
        patches.uninstall()
    assert expected["cognitoidp"] == "cognito-idp" and expected["cloudformation"] == "cloudformation"
