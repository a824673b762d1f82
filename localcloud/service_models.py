"""moto reads each service's API model (its requests, paginators) through a new botocore loader,
and each new loader lists the ~400 services it knows (a stat of each folder): 70-100 ms of the
first requests. The local cloud hands moto one loader, moto's own kind made by moto, listing once."""

from __future__ import annotations

from moto.core.loaders import Loader

from localcloud.cloud import LocalCloud


def shared_loader(cloud: LocalCloud, original) -> Loader:
    """moto's create_loader: the cloud's one loader, made by moto's create_loader on first call."""
    with cloud.model_loader_lock:
        if cloud.model_loader is None:
            cloud.model_loader = original()
        return cloud.model_loader
