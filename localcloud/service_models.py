"""moto reads each service's API model (its requests, paginators) through a new botocore loader,
and each new loader lists the ~400 services it knows (a stat of each folder): 70-100 ms of the
first requests. The local cloud hands moto one loader, moto's own kind made by moto, listing once;
the service of an error moto answers is named from that loader's list too (moto made a new boto3
session for each service, to list them again)."""

from __future__ import annotations

from moto.core import utils
from moto.core.loaders import Loader

from localcloud.cloud import LocalCloud


def shared_loader(cloud: LocalCloud, original) -> Loader:
    """moto's create_loader: the cloud's one loader, made by moto's create_loader on first call."""
    with cloud.model_loader_lock:
        if cloud.model_loader is None:
            cloud.model_loader = original()
        return cloud.model_loader


def service_named(cloud: LocalCloud, original, moto_package_name: str) -> str:
    """moto's service_name_from_moto_package_name (moto drops the hyphens of a service's name in its
    package's: "resourcegroupstaggingapi"), from the one loader's list of services."""
    services = utils.create_loader().list_available_services("service-2")
    return {name.replace("-", ""): name for name in services}.get(moto_package_name, moto_package_name)
