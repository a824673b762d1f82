"""The one LocalCloud object of a server: its endpoint, options, Lambda runner, asynchronous
invoker, alarm scheduler and moto's model loader, and the side tables (keyed by ARN or id) of what
AWS keeps and moto's objects do not."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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
class StackBefore:
    """A stack as it was before an update, kept until the update's rollback completes: its
    template, parameters and description, its resource map's template, resources and parameters,
    the resources the map held, and where the update's events begin."""

    template: Any
    template_dict: dict
    description: str | None
    parameters: dict
    resource_template: dict
    resource_json: dict
    input_parameters: dict
    resolved_parameters: dict
    conditions: Any
    held: dict
    first_event: int
    # Logical IDs the rollback still has to put back, those it recreates (the update deleted them),
    # the old resources the update replaced (put back as they are); and what the update made that
    # the rollback deletes in cleanup (the resources it added, the replacements), by logical ID
    # with their template entry.
    to_restore: list[str] = field(default_factory=list)
    to_recreate: set[str] = field(default_factory=set)
    replaced: dict[str, Any] = field(default_factory=dict)
    made: dict[str, tuple[Any, dict]] = field(default_factory=dict)


@dataclass
class Replacing:
    """An update in progress that replaces resources: the changes that replace them (by logical
    ID) and, once made, each old resource with its template entry, deleted in cleanup."""

    planned: dict
    old_templates: dict[str, dict]
    replaced: list[tuple[str, object, dict]] = field(default_factory=list)


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
    # When each deleted stack was deleted, by stack id (moto keeps no DeletionTime).
    deletion_times: dict[str, datetime] = field(default_factory=dict)
    # What each stack whose update rolls back was before the update, by stack id (kept while its
    # rollback is UPDATE_ROLLBACK_FAILED, for ContinueUpdateRollback).
    stacks_before: dict[str, StackBefore] = field(default_factory=dict)
    # The update each stack is in, by stack id, while it replaces resources (a failed one's until
    # its rollback takes it).
    replacing: dict[str, Replacing] = field(default_factory=dict)
    # The S3 request this thread serves (and whether it completes a multipart upload); the last
    # S3 event sequencer handed out.
    s3_request: threading.local = field(default_factory=threading.local)
    last_sequencer: int = 0
    sequencer_lock: threading.Lock = field(default_factory=threading.Lock)
    # The one loader moto reads service models through (made on first use, by moto).
    model_loader: Any = None
    model_loader_lock: threading.Lock = field(default_factory=threading.Lock)

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
