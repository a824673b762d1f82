"""The one LocalCloud object of a server: its endpoint, options, Lambda runner, asynchronous
invoker and alarm scheduler, and the side tables (keyed by ARN or id) of what AWS keeps and moto's objects do not."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from localcloud.cloudwatch.alarm_scheduler import AlarmScheduler
from localcloud.lambda_.event_queue import AsyncInvoker
from localcloud.lambda_.redelivery import Redelivery
from localcloud.lambda_.runner import LambdaRunner


@dataclass(frozen=True)
class Options:
    """How a local cloud behaves: retry_delay is the back-off before an asynchronous invocation's
        first retry (doubled for the second); ca_bundle the certificate file its clients trust (HTTPS);
        record_event, when given, receives every S3 event sent (the test suite checks them); redeliver
    the fraction of asynchronous events delivered a second time (lambda_/redelivery.py);
    alarm_period_scale compresses CloudWatch's minute and alarm periods (0.05: a 60 s period is 3 s)."""

    retry_delay: float = 1.0
    ca_bundle: str | None = None
    record_event: Callable[[dict], None] | None = None
    redeliver: float = 0.0
    alarm_period_scale: float = 1.0


@dataclass
class CustomResource:
    """What CloudFormation keeps of a custom resource, by the RequestId of its Create."""

    stack_id: str
    resource_type: str
    properties: dict
    physical_id: str = ""


@dataclass
class LocalCloud:
    """Handed to every patch and service module that needs more than moto's own state."""

    endpoint: str
    options: Options
    runner: LambdaRunner = field(init=False)
    invoker: AsyncInvoker = field(init=False)
    redelivery: Redelivery = field(init=False)
    alarm_scheduler: AlarmScheduler = field(init=False)
    # LoggingConfig and DeadLetterConfig.TargetArn by function ARN (moto drops both); each
    # function's RevisionId and the change (Creating or Updating) its next answer still reports.
    logging_configs: dict[str, dict[str, str]] = field(default_factory=dict)
    revisions: dict[str, str] = field(default_factory=dict)
    changes: dict[str, str] = field(default_factory=dict)
    dead_letter_targets: dict[str, str | None] = field(default_factory=dict)
    # Custom resources by the RequestId of their Create; their answers by RequestId; the URL
    # custom resources answer on.
    custom_resources: dict[str, CustomResource] = field(default_factory=dict)
    custom_resource_answers: dict[str, dict] = field(default_factory=dict)
    response_url: str = ""
    # The S3 request this thread serves (and whether it completes a multipart upload); the last
    # S3 event sequencer handed out.
    s3_request: threading.local = field(default_factory=threading.local)
    last_sequencer: int = 0
    sequencer_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.redelivery = Redelivery(self.options.redeliver)

    @property
    def host(self) -> str:
        return self.endpoint.split("//", 1)[1].rsplit(":", 1)[0]

    def close(self, drain_seconds: float) -> list:
        """Stop evaluating alarms, let queued asynchronous invocations finish for drain_seconds,
        stop the workers; the invocations not delivered."""
        self.alarm_scheduler.close()
        undelivered = self.invoker.close(drain_seconds)
        self.runner.close()
        return undelivered
