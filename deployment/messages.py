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
TARGET_NAMED = "Target: {name} {version} ({edition})"
TARGET_UNNAMED = "Target: AWS-compatible endpoint"
MACHINE_ARCHITECTURE = (
    "Function architecture: {architecture}, this machine's: LocalStack runs the function in a container for its "
    "architecture (give --architecture to choose)"
)
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


def failed(error: BaseException, at: Situation) -> str:
    return f"deployment of {at.stack_name} failed: {error}"


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
}


def wording(error: BaseException) -> Wording | None:
    """The table's entry for error's nearest type in the table, or None (a bug: let it show)."""
    return next((MESSAGES[kind] for kind in type(error).__mro__ if kind in MESSAGES), None)
