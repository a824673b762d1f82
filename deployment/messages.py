"""Every message the deploy tool ends a run with, in one table: error type -> exit code and words;
what each run phase says when it starts and when Ctrl-C interrupts it; the slow-call notice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    SSLError,
    TokenRetrievalError,
)

from deployment import errors
from deployment.aws_clients import timeouts_for
from deployment.function_package import PackageError
from deployment.phases import Phase

EXIT_CODES = (
    "Exit codes: 0 success (also 'no changes', a diff shown, nothing to destroy); 1 the deployment or destroy "
    "failed, was declined or interrupted, or a check or the stack's state stopped it before any change; 2 bad "
    "usage, or a change that needs approval (or a destroy) with no terminal to ask and no --yes."
)
# Error codes with which AWS refuses the credentials themselves.
CREDENTIAL_ERRORS = {
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "SignatureDoesNotMatch",
    "InvalidAccessKeyId",
    "AuthFailure",
}


def follow_command(name: str) -> str:
    return f"aws cloudformation describe-stack-events --stack-name {name}"


PHASE_STARTS = {
    Phase.WAITING: "Stack {name} is {status}: waiting for CloudFormation to finish it.",
    Phase.RECREATING: (
        "Stack {name} is in ROLLBACK_COMPLETE after a failed first create: deleting it to create it again."
    ),
    Phase.CONTINUING_ROLLBACK: "Continuing the rollback of stack {name}.",
}
TARGET = "Target: {title}"
TARGET_NAMED = "{name} {version} ({edition})"
TARGET_UNNAMED = "Target: AWS-compatible endpoint"
MACHINE_ARCHITECTURE = (
    "Function architecture: {architecture}, this machine's: LocalStack runs the function in a container for its "
    "architecture (give --architecture to choose)"
)
HOLDS_QUESTION = "{why}\nDelete stack {name} and everything it holds, then create it again?"
DELETE_QUESTION = "Delete stack {name} and everything it holds?"
EMPTIED = (
    "{target} does not run custom resources, so {resource} would not empty bucket {bucket}: emptied it here, "
    "{deleted} object version(s) and delete marker(s) deleted."
)
LEFT_ALONE = (
    "{target} does not run custom resources, so {resource} would not empty bucket {bucket}; it lacks the tag "
    "{tag}=true, so it is left as it is (the stack's delete may fail on it)."
)
LOCALSTACK_GAPS = (
    "{title} does not apply these settings of this stack as AWS does (README, 'LocalStack'; LocalStack's own "
    "source says so where named):"
)
# What status, logs and redrive say on the way (their endings are in MESSAGES).
LOGS_NONE = "No log lines in {group} in the last {since} s."
LOGS_FOLLOWING = "Following {group}; Ctrl-C to stop."
LOGS_STOPPED = "Stopped following {group}."
NO_DEAD_LETTERS = "Dead-letter queue: empty."
DEAD_LETTERS_WAITING = (
    "Dead-letter queue: {waiting} waiting, {inFlight} in flight. Fix the cause (the alarms and `uploadtrail logs "
    "{target}` say what failed), then `uploadtrail redrive {target}` re-invokes the function with each."
)
MISSING_RESOURCE = (
    "{logicalId} ({type}) {physicalId} no longer exists: it was deleted outside CloudFormation, which still records "
    "it, so `uploadtrail deploy` finds no changes and does not bring it back."
)
RECREATE_MISSING = (
    "To re-create what is missing: `uploadtrail destroy {target}`, then `uploadtrail deploy {target}` (CloudFormation "
    "counts a resource already gone as deleted). The delete takes the stack's other data with it, dead letters "
    "included (list them first with `uploadtrail redrive --dry-run --output json {target}`); a prod stack keeps what "
    "its DeletionPolicy retains, and `destroy` says how to delete the kept upload bucket a new deploy of the same "
    "name needs free."
)
NO_DEAD_LETTERS_TO_REDRIVE = "No dead letters in the dead-letter queue of stack {name}: nothing to redrive."
REDRIVE_QUESTION = "Re-invoke {function} with the {count} event(s) above, deleting each message once accepted?"
REDRIVEN = "Re-invoked {function} with {count} event(s) (each accepted, its message deleted)."
SLOW_CALL = "... still waiting for {where} to answer {operation} ({seconds:.0f} s)"
INTERRUPTED = {
    Phase.CHECKING: "Interrupted while checking, before anything changed: stack {name} is as it was.",
    Phase.WAITING: (
        "Interrupted while waiting for CloudFormation: it goes on with what stack {name} was doing; this command "
        "started nothing. Follow it with `{follow}`."
    ),
    Phase.RECREATING: (
        "Interrupted while CloudFormation deletes stack {name} (left in ROLLBACK_COMPLETE by a failed first "
        "create): this command started that delete, and CloudFormation goes on with it. Follow it with "
        "`{follow}`, then run this command again to create the stack."
    ),
    Phase.CONTINUING_ROLLBACK: (
        "Interrupted while CloudFormation continues the rollback of stack {name}: this command started it "
        "(continue-update-rollback), and CloudFormation goes on with it. Follow it with `{follow}`, then run "
        "this command again without --continue-rollback."
    ),
    Phase.PREPARING: (
        "Interrupted while the change set was being prepared: the change set was deleted and stack {name} is unchanged."
    ),
    Phase.EXECUTING: (
        "Interrupted while CloudFormation executes the change set: CloudFormation goes on with stack {name} (stopping "
        "this command does not stop it). Follow it with `{follow}`, or run this command again to wait for it."
    ),
    Phase.EMPTYING: (
        "Interrupted while emptying the upload bucket of stack {name}: some of its objects may be deleted, the "
        "stack is as it was. Run the delete again to finish it."
    ),
    Phase.DESTROYING: "Interrupted while CloudFormation deletes stack {name}: it goes on. Follow it with `{follow}`.",
    Phase.SAMPLE: "Interrupted while waiting for the sample's logged item: stack {name} is deployed.",
}


@dataclass(frozen=True)
class Situation:
    """What a message may name: the stack, where the run went, and the phase it was in."""

    stack_name: str
    endpoint: str | None = None
    local: bool = False
    phase: Phase = Phase.CHECKING

    @property
    def where(self) -> str:
        return f"endpoint {self.endpoint}" if self.endpoint else "the local cloud" if self.local else "AWS"


@dataclass(frozen=True)
class Wording:
    """A run's end: its exit code, its words, and the prefix they take on the error stream."""

    exit_code: int
    words: Callable[[BaseException, Situation], str]
    prefix: str = "error: "


def credentials(error: ClientError, at: Situation) -> str:
    code = error.response["Error"]["Code"]
    if code not in CREDENTIAL_ERRORS:
        return f"{at.where} refused the request: {error}"
    state = "have expired" if "Expired" in code else "were refused"
    return (
        f"the AWS credentials {state} ({code}). Refresh them (`aws sso login`, `aws configure`, a new "
        "session token) or choose others with --profile; nothing was changed."
    )


def ssl_failed(error: SSLError, at: Situation) -> str:
    hint = ""
    if at.endpoint and at.endpoint.startswith("https://") and "WRONG_VERSION_NUMBER" in str(error):
        hint = (
            f" The endpoint answered in plain HTTP: use {at.endpoint.replace('https://', 'http://', 1)} "
            "(the local cloud serves HTTPS only when started with --tls)."
        )
    return f"the TLS handshake with {at.where} failed ({error}).{hint or ' Check the URL and the certificate.'}"


def timed_out(kind: str, error: BotoCoreError, at: Situation) -> str:
    """kind: connect or read; each has its bound in deployment/aws_clients.py."""
    timeouts = timeouts_for(bool(at.endpoint or at.local))
    seconds, what = (timeouts.connect, "accept a connection") if kind == "connect" else (timeouts.read, "answer")
    return (
        f"{at.where} did not {what} within {seconds:g} s, {timeouts.attempts} attempt(s) ({kind} timeout: {error}). "
        "Is it running, and not paused or overloaded?"
    )


def interrupted(error: BaseException, at: Situation) -> str:
    return "\n" + INTERRUPTED[at.phase].format(name=at.stack_name, follow=follow_command(at.stack_name))


def holds(error: errors.RollbackHolds) -> str:
    """Why a ROLLBACK_COMPLETE stack is not deleted unasked."""
    why = []
    if error.created:
        why.append(
            "it completed a create before, so what failed was an update (LocalStack ends a failed update in "
            "ROLLBACK_COMPLETE without rolling anything back)"
        )
    if error.live:
        why.append(f"these of its resources are still live: {', '.join(error.live)}")
    return (
        f"Stack {error.stack_name} is ROLLBACK_COMPLETE, yet {' and '.join(why)}. CloudFormation can only delete "
        "such a stack, and deleting it loses what it holds."
    )


def holds_unapproved(error: errors.RollbackHolds, at: Situation) -> str:
    return (
        f"{holds(error)} Nothing was deleted: deploy on a terminal to be asked, or with --yes, to delete it and "
        "create it again (`uploadtrail destroy` deletes it alone, asking the same)."
    )


def failed(error: BaseException, at: Situation) -> str:
    return f"deployment of {at.stack_name} failed: {error}"


def unhealthy(error: errors.StackUnhealthy, at: Situation) -> str:
    found = [f"missing: {', '.join(error.missing)}"] if error.missing else []
    found += [f"in ALARM: {', '.join(error.alarms)}"] if error.alarms else []
    return f"stack {error.stack_name} is not healthy: {'; '.join(found)}."


MESSAGES: dict[type[BaseException], Wording] = {
    errors.DeploymentFailed: Wording(1, failed),
    PackageError: Wording(1, failed),
    errors.SampleNotLogged: Wording(
        1, lambda e, at: f"deployment of {at.stack_name} failed: no item was logged for {e.key} within {e.seconds} s"
    ),
    errors.StackBusy: Wording(
        1,
        lambda e, at: (
            f"stack {e.stack_name} is {e.status}: CloudFormation is still working on it and nothing was "
            f"done. Follow it with `{follow_command(e.stack_name)}`, then run this command again."
        ),
    ),
    errors.RolledBackCreate: Wording(
        0,
        lambda e, at: (
            f"stack {e.stack_name} is ROLLBACK_COMPLETE after a failed first create: a deploy deletes it "
            "and creates it again, so there is no change set to show; the diff changed nothing."
        ),
    ),
    errors.RollbackFailed: Wording(
        1,
        lambda e, at: (
            f"stack {e.stack_name} is UPDATE_ROLLBACK_FAILED: CloudFormation could not roll back "
            f"{e.cause}. Fix that cause, then deploy again with --continue-rollback (CloudFormation's "
            "continue-update-rollback)."
        ),
    ),
    errors.DeleteOnly: Wording(
        1,
        lambda e, at: (
            f"stack {e.stack_name} is {e.status}, from which CloudFormation only deletes: {e.cause}. "
            "Fix that, then delete it (`uploadtrail destroy`, or --destroy)."
        ),
    ),
    errors.DestroyFailed: Wording(
        1,
        lambda e, at: (
            f"deleting stack {e.stack_name} failed: stack {e.stack_name} is {e.status}: {e.cause}. "
            "Fix that, then delete it again."
        ),
    ),
    errors.NoRecordedProfile: Wording(
        2,
        lambda e, at: (
            f"stack {e.stack_name} records no uploadtrail template profile: pass --template-profile (dev|prod)"
        ),
    ),
    errors.NoConcurrencyParameter: Wording(
        2, lambda e, at: "--reserved-concurrency: this template has no ReservedConcurrency parameter"
    ),
    errors.PreflightFailed: Wording(1, lambda e, at: f"pre-flight check: {e.problem}"),
    errors.ApprovalUnavailable: Wording(
        2,
        lambda e, at: (
            f"refusing to deploy to stack {e.stack_name} without approval: no terminal to ask. Nothing "
            "was executed and the change set was deleted; pass --yes to approve."
        ),
    ),
    errors.NotApproved: Wording(
        1, lambda e, at: f"not deployed: the change set was deleted and stack {e.stack_name} is unchanged."
    ),
    errors.DestroyUnconfirmed: Wording(
        2,
        lambda e, at: f"refusing to delete stack {e.stack_name} without confirmation: no terminal to ask; pass --yes",
    ),
    errors.DestroyDeclined: Wording(1, lambda e, at: f"not deleted: stack {e.stack_name} is as it was."),
    errors.BadStackName: Wording(2, lambda e, at: e.problem),
    errors.UnknownRegion: Wording(
        2,
        lambda e, at: (
            f"{e.region!r} is not a known AWS region. The regions {e.source} knows: "
            f"{', '.join(e.known)}. Pass one with --region (or AWS_REGION); a newer region needs a newer botocore."
        ),
    ),
    ProfileNotFound: Wording(2, lambda e, at: str(e)),
    NoCredentialsError: Wording(
        1,
        lambda e, at: (
            "no AWS credentials found. Run `aws configure`, set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, or pass --profile; for LocalStack pass --endpoint."
        ),
    ),
    TokenRetrievalError: Wording(
        1, lambda e, at: f"the AWS credentials have expired ({e}). Run `aws sso login` or refresh them."
    ),
    SSLError: Wording(1, ssl_failed),
    ConnectTimeoutError: Wording(1, lambda e, at: timed_out("connect", e, at)),
    ReadTimeoutError: Wording(1, lambda e, at: timed_out("read", e, at)),
    EndpointConnectionError: Wording(
        1, lambda e, at: f"cannot reach {at.where} ({e}). Is it running, and is the URL right?"
    ),
    ClientError: Wording(1, credentials),
    BotoCoreError: Wording(1, lambda e, at: f"{at.where} refused the request: {e}"),
    KeyboardInterrupt: Wording(1, interrupted, prefix=""),
    BrokenPipeError: Wording(1, interrupted, prefix=""),
    errors.RollbackHolds: Wording(2, holds_unapproved),
    errors.NotImplementedByTarget: Wording(
        1,
        lambda e, at: (
            f"{at.where} does not implement {e.operation} (it answered 501 Not Implemented; LocalStack 4.14 has "
            f"none): stack {e.stack_name} is as it was. Delete it (`uploadtrail destroy`) and deploy again."
        ),
    ),
    errors.BucketNotEmptied: Wording(
        1,
        lambda e, at: (
            f"could not empty bucket {e.bucket}: S3 refused {e.count} version(s), e.g. {e.first}. Stack "
            f"{at.stack_name} is as it was; fix that, then delete it again."
        ),
    ),
    errors.NoStack: Wording(
        1, lambda e, at: f"no stack named {e.stack_name} at {at.where}: deploy it first (`uploadtrail deploy`)."
    ),
    errors.LogGroupMissing: Wording(
        1,
        lambda e, at: (
            f"log group {e.log_group} does not exist: the function has not logged since it was created, or the "
            "group was deleted (`uploadtrail status` checks each of the stack's resources)."
        ),
    ),
    errors.StackUnhealthy: Wording(3, unhealthy),
    errors.RedriveUnconfirmed: Wording(
        2,
        lambda e, at: (
            f"refusing to redrive {e.count} dead letter(s) of stack {e.stack_name} without confirmation: no terminal "
            "to ask; pass --yes. They stay in the queue."
        ),
    ),
    errors.RedriveDeclined: Wording(
        1, lambda e, at: f"not redriven: the dead letters of stack {e.stack_name} stay in the queue."
    ),
    errors.RedriveIncomplete: Wording(
        1,
        lambda e, at: (
            f"redrove {e.redriven} dead letter(s) of stack {e.stack_name}; these stay in the queue: "
            f"{'; '.join(e.failures)}. Run `uploadtrail redrive` again once the cause is fixed."
        ),
    ),
    errors.RedriveInterrupted: Wording(
        1,
        lambda e, at: (
            f"\nInterrupted: {e.redriven} of {e.total} dead letter(s) of stack {e.stack_name} were redriven; the "
            "others are visible in the queue again for the next `uploadtrail redrive` (an event redriven twice is "
            "logged once)."
        ),
        prefix="",
    ),
}


def wording(error: BaseException) -> Wording | None:
    """The table's entry for error's nearest type in the table, or None (a bug: let it show)."""
    return next((MESSAGES[kind] for kind in type(error).__mro__ if kind in MESSAGES), None)
