"""The start of a local cloud in this process: check moto, build the LocalCloud (runner, invoker,
custom-resource receiver), install every patch of the registry, register the resource types moto
lacks and start the alarm scheduler (SQS's metrics, then every alarm, once a scaled minute)."""

from __future__ import annotations

import os

from localcloud import moto_internals, patches
from localcloud.cloud import LocalCloud, Options
from localcloud.cloudformation import custom_resources, resource_types
from localcloud.cloudwatch import alarms
from localcloud.cloudwatch.alarm_scheduler import AlarmScheduler
from localcloud.lambda_ import async_invocation, execution
from localcloud.sqs import metrics as sqs_metrics


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
    scale = options.alarm_period_scale
    cloud.alarm_scheduler = AlarmScheduler(scale, [sqs_metrics.sample_queues, alarms.evaluator(scale)])
    cloud.alarm_scheduler.start()
    return cloud
