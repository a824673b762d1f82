"""What stops a deploy-tool run, as typed errors that carry the facts; deployment/messages.py
words each one and gives its exit code."""

from __future__ import annotations

from dataclasses import dataclass


class DeploymentFailed(Exception):
    """A stack operation ended in failure; the message is its root cause."""


@dataclass
class SampleNotLogged(Exception):
    """The --local run's sample upload logged no item in time."""

    key: str
    seconds: float


@dataclass
class StackBusy(Exception):
    """The stack is *_IN_PROGRESS and the run was told not to wait."""

    stack_name: str
    status: str


@dataclass
class RolledBackCreate(Exception):
    """A dry run met a stack that a deploy would delete and create again."""

    stack_name: str


@dataclass
class RollbackHolds(Exception):
    """A stack in ROLLBACK_COMPLETE that deleting could lose something of: it completed a create
    before (the failure was an update's) or some of its resources are still live; nobody approved
    deleting it."""

    stack_name: str
    created: bool
    live: list[str]


@dataclass
class RollbackFailed(Exception):
    """The stack is UPDATE_ROLLBACK_FAILED and the run may not continue the rollback."""

    stack_name: str
    cause: str


@dataclass
class DeleteOnly(Exception):
    """The stack is in a state from which CloudFormation only deletes."""

    stack_name: str
    status: str
    cause: str


@dataclass
class NotImplementedByTarget(Exception):
    """The endpoint answered 501: it does not implement the operation (LocalStack's
    ContinueUpdateRollback)."""

    stack_name: str
    operation: str


@dataclass
class DestroyFailed(Exception):
    """The stack's delete did not complete."""

    stack_name: str
    status: str
    cause: str


@dataclass
class BucketNotEmptied(Exception):
    """S3 refused to delete some versions of the bucket the deploy tool empties before a destroy."""

    bucket: str
    count: int
    first: str


@dataclass
class NoRecordedProfile(Exception):
    """The deployed stack records no template profile and none was given."""

    stack_name: str


class NoConcurrencyParameter(Exception):
    """--reserved-concurrency was given for a template without the ReservedConcurrency parameter."""


@dataclass
class PreflightFailed(Exception):
    """A pre-flight check found a problem; problem says what and what to do."""

    problem: str


@dataclass
class ApprovalUnavailable(Exception):
    """A change that cannot be undone, no --yes, and no terminal to ask."""

    stack_name: str


@dataclass
class NotApproved(Exception):
    """The user said no to a change that cannot be undone."""

    stack_name: str


@dataclass
class DestroyUnconfirmed(Exception):
    """A destroy without --yes and no terminal to ask."""

    stack_name: str


@dataclass
class DestroyDeclined(Exception):
    """The user said no to a destroy."""

    stack_name: str


@dataclass
class BadStackName(Exception):
    """The stack name cannot form the upload bucket's name."""

    problem: str


@dataclass
class UnknownRegion(Exception):
    """The region is none that botocore's endpoint data knows."""

    region: str
    known: list[str]
    source: str


@dataclass
class NoStack(Exception):
    """A command that reads a stack found none of that name."""

    stack_name: str


@dataclass
class LogGroupMissing(Exception):
    """The function's log group does not exist (nothing logged yet, or deleted)."""

    log_group: str


@dataclass
class StackUnhealthy(Exception):
    """status found resources deleted outside CloudFormation or alarms in ALARM."""

    stack_name: str
    missing: list[str]
    alarms: list[str]


@dataclass
class RedriveUnconfirmed(Exception):
    """A redrive without --yes and no terminal to ask."""

    stack_name: str
    count: int


@dataclass
class RedriveDeclined(Exception):
    """The user said no to a redrive."""

    stack_name: str


@dataclass
class RedriveIncomplete(Exception):
    """Some dead letters were not re-invoked; they stay in the queue."""

    stack_name: str
    redriven: int
    failures: list[str]


@dataclass
class RedriveInterrupted(Exception):
    """Ctrl-C while redriving: some dead letters were redriven, the rest made visible again."""

    stack_name: str
    redriven: int
    total: int
