"""The start of a local cloud in this process: check moto, build the LocalCloud (runner, invoker,
custom-resource receiver), install every patch of the registry and register the resource types
moto lacks."""

from __future__ import annotations

import os

from localcloud import moto_internals, patches
from localcloud.cloud import LocalCloud, Options
from localcloud.cloudformation import custom_resources, resource_types
from localcloud.lambda_ import async_invocation, execution


def start(endpoint: str, options: Options) -> LocalCloud:
    """The LocalCloud of a server reachable at endpoint, with moto patched for it."""
    import moto

    if moto.__version__ != moto_internals.MOTO_VERSION:  # the full check takes a second: only then
        moto_internals.check()
    # AWS-managed policies such as AWSLambdaBasicExecutionRole exist only when moto loads them.
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    cloud = LocalCloud(endpoint, options)
    cloud.runner = execution.runner_for(endpoint, options.ca_bundle)
    cloud.invoker = async_invocation.invoker_for(cloud)
    custom_resources.start_response_receiver(cloud)
    patches.install(cloud)
    resource_types.register_missing()
    return cloud
