"""Contract of localcloud/cloudformation/custom_resources.py: plain moto sends custom resources to
Docker's host and never sends them Update or Delete."""

from __future__ import annotations

from moto import settings
from moto.cloudformation.custom_model import CustomModel


def test_plain_moto_sends_custom_resources_to_docker_and_never_deletes_them():
    assert "host.docker.internal" in settings.moto_server_host()
    assert "delete" not in CustomModel.__dict__
    assert getattr(CustomModel.update_from_cloudformation_json, "__isabstractmethod__", False)
