"""One deploy, diff or destroy run, phase by phase: who and where, the stack's state, its template
profile, pre-flight checks, the change set and its security diff, approval for what cannot be
undone, upload, execution; or, for a destroy, confirmation and the delete. A change set that is
not executed is deleted whatever ends the run, and the reporter keeps the phase the run is in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError

from deployment import preflight
from deployment.approval import irreversible
from deployment.artifacts import ArtifactsBucket, artifacts_bucket_name
from deployment.aws_clients import Clients
from deployment.bucket_emptying import empty_upload_bucket
from deployment.deployer import ChangeSet, Deployer
from deployment.errors import (
    ApprovalUnavailable,
    DestroyDeclined,
    DestroyUnconfirmed,
    NoRecordedProfile,
    NotApproved,
    PreflightFailed,
    RollbackHolds,
)
from deployment.function_package import FunctionPackage
from deployment.localstack_gaps import told
from deployment.messages import DELETE_QUESTION, EMPTIED, HOLDS_QUESTION, LEFT_ALONE, LOCALSTACK_GAPS, holds
from deployment.phases import Phase
from deployment.reporter import Reporter
from deployment.security_diff import describe_security_diff
from deployment.target_kind import DEFAULT_ARCHITECTURE, TargetKind
from deployment.template_source import template_source
from generator.alarms import ALARM_EMAIL
from generator.config import PROFILES
from generator.naming import upload_bucket_name
from generator.storage import AUTO_DELETE_TAG
from generator.template import build_template

DEFAULT_PROFILE = "dev"
UPLOADED = {
    "uploaded": "Uploaded",
    "present": "Already uploaded (its SHA-256 checked):",
    "replaced": "Uploaded, over an object whose SHA-256 did not match,",
}


@dataclass
class Request:
    """What the user asked for."""

    stack_name: str
    template_profile: str | None = None
    reserved_concurrency: int | None = None
    artifacts_bucket: str | None = None
    diff: bool = False
    yes: bool = False
    wait: bool = True
    continue_rollback: bool = False
    endpoint: str | None = None
    architecture: str = DEFAULT_ARCHITECTURE
    alarm_email: str | None = None


def template_profile(template: dict) -> str | None:
    """The profile a deployed uploadtrail template records in its Metadata."""
    return template.get("Metadata", {}).get("uploadtrail", {}).get("profile")


def alarm_email(request: Request, stack: dict | None) -> str | None:
    """--alarm-email when given ("" unsubscribes), else the stack's own AlarmEmail when it has one:
    CloudFormation would otherwise fall back to the template's default, "", and drop the
    subscription. None: leave the parameter to its default."""
    if request.alarm_email is not None:
        return request.alarm_email
    given = (stack or {}).get("Parameters", [])
    return next((p["ParameterValue"] for p in given if p["ParameterKey"] == ALARM_EMAIL and p["ParameterValue"]), None)


def choose_profile(request: Request, deployed: dict | None, reporter: Reporter) -> tuple[str, str | None]:
    """The profile to deploy and the stack's own (None for a new stack), reported with its source."""
    if deployed is None:
        profile = request.template_profile or DEFAULT_PROFILE
        source = "--template-profile" if request.template_profile else "the default for a new stack"
        reporter.say(f"Template profile: {profile} ({source})")
        return profile, None
    own = template_profile(deployed)
    if request.template_profile:
        reporter.say(f"Template profile: {request.template_profile} (--template-profile; the stack's own is {own})")
        return request.template_profile, own
    if own not in PROFILES:
        raise NoRecordedProfile(request.stack_name)
    reporter.say(f"Template profile: {own} (the stack's own)")
    return own, own


class Run:
    def __init__(
        self,
        request: Request,
        clients: Clients,
        region: str,
        reporter: Reporter,
        build_packages: Callable[[], dict[str, FunctionPackage]],
        kind: TargetKind | None = None,
    ):
        """kind: what answers at the endpoint (None for AWS)."""
        self.request = request
        self.kind = kind
        self.build_packages = build_packages
        self.clients = clients
        self.region = region
        self.reporter = reporter
        self.deployer = Deployer(clients.cloudformation, reporter)

    def who(self, doing: str) -> preflight.Identity:
        """Who the credentials are, reported with the region before anything changes."""
        who = preflight.identity(self.clients.sts)
        self.reporter.say(f"{doing} as {who.arn}: account {who.account}, region {self.region}")
        return who

    def artifacts(self, who: preflight.Identity) -> ArtifactsBucket:
        name = self.request.artifacts_bucket or artifacts_bucket_name(who.account, self.region)
        return ArtifactsBucket(self.clients.s3, name, who.account, self.region, who.partition)

    def ready(self, bucket: ArtifactsBucket) -> ArtifactsBucket:
        if bucket.ensure():
            self.reporter.say(f"Created artifacts bucket {bucket.name}")
        return bucket

    def check(self, who: preflight.Identity, template: dict, resources: list[dict]) -> None:
        """The pre-flight checks; PreflightFailed with the first problem."""
        request = self.request
        needed = preflight.needed_concurrency(template, request.reserved_concurrency)
        functions = [r["PhysicalResourceId"] for r in resources if r["ResourceType"] == "AWS::Lambda::Function"]
        problem = preflight.concurrency_problem(self.clients.client("lambda"), needed, functions) if needed else None
        bucket = upload_bucket_name(request.stack_name, who.account, self.region)
        physical_ids = {r.get("PhysicalResourceId") for r in resources}
        problem = problem or preflight.upload_bucket_problem(
            self.clients.s3, bucket, who.account, request.stack_name, physical_ids
        )
        if problem:
            raise PreflightFailed(problem)

    def deploy(self) -> dict[str, str] | None:
        """Create or update the stack (or, for a diff, show what that would do): its outputs, or
        None for a diff."""
        request, deployer, reporter = self.request, self.deployer, self.reporter
        name = request.stack_name
        reporter.enter(Phase.CHECKING, name)
        who = self.who("Showing the changes" if request.diff else "Deploying")
        kind, stack = deployer.prepare(
            name,
            wait=request.wait,
            continue_rollback=request.continue_rollback,
            dry_run=request.diff,
            approve_delete=self.approve_rollback_delete,
        )
        reporter.enter(Phase.CHECKING, name)
        deployed = deployer.deployed_template(name) if stack else None
        profile, own = choose_profile(request, deployed, reporter)
        template = build_template(PROFILES[profile]).to_dict()
        if self.kind and self.kind.is_localstack:
            reporter.say(LOCALSTACK_GAPS.format(title=self.kind.title))
            reporter.say("\n".join(told(template)))
        packages = {
            key: package for key, package in self.build_packages().items() if key in template.get("Parameters", {})
        }
        resources = (
            self.clients.cloudformation.list_stack_resources(StackName=stack["StackId"])["StackResourceSummaries"]
            if stack
            else []
        )
        self.check(who, template, resources)
        artifacts = self.artifacts(who)
        parameters = {"CodeBucket": artifacts.name, "FunctionArchitecture": request.architecture} | {
            key: package.key for key, package in packages.items()
        }
        if request.reserved_concurrency is not None:
            parameters["ReservedConcurrency"] = str(request.reserved_concurrency)
        email = alarm_email(request, stack)
        if email is not None and ALARM_EMAIL in template.get("Parameters", {}):
            parameters[ALARM_EMAIL] = email
        reporter.enter(Phase.PREPARING, name)
        source = template_source(template, lambda: self.ready(artifacts))
        change_set = deployer.create_change_set(name, source, parameters, kind)
        if change_set is None:
            reporter.say(f"No changes: stack {name} is up to date.")
            return None if request.diff else deployer.outputs(name)
        executed = False
        try:
            reporter.say(f"Change set for stack {name} ({kind}):")
            reporter.say(deployer.describe(change_set, reporter.width()))
            reporter.say(describe_security_diff(deployed or {}, template, reporter.width()))
            risks = irreversible(change_set.changes, deployed or {}, template, own, profile)
            if risks:
                reporter.say("This deploy cannot be undone:")
                reporter.say("\n".join(f"  - {risk}" for risk in risks))
            if request.diff:
                return None
            self.approve(risks)
            self.ready(artifacts)
            for package in packages.values():
                status = artifacts.upload(package.key, package.data, "application/zip")
                reporter.say(f"{UPLOADED[status]} s3://{artifacts.name}/{package.key} ({len(package.data)} bytes)")
            marker = deployer.start(change_set)
            executed = True
        finally:
            if not executed:
                self.discard(change_set)
        reporter.enter(Phase.EXECUTING, name)
        deployer.finish(change_set, name, marker)
        reporter.say(f"Stack {name}: {kind.lower()} complete.")
        return deployer.outputs(name)

    def approve(self, risks: list[str]) -> None:
        """Go on, or a typed error: what cannot be undone needs --yes or a yes on the terminal."""
        if not risks:
            return
        name = self.request.stack_name
        if self.request.yes:
            self.reporter.say("Approved by --yes.")
            return
        answer = self.reporter.ask(f"Deploy these changes to stack {name}?")
        if answer is None:
            raise ApprovalUnavailable(name)
        if not answer:
            raise NotApproved(name)

    def discard(self, change_set: ChangeSet) -> None:
        """Delete a change set that was not executed; a failure to do so is reported, not raised."""
        try:
            self.deployer.discard(change_set)
            self.reporter.say("The change set was deleted; nothing was executed.")
        except (ClientError, BotoCoreError) as error:
            self.reporter.error(
                f"warning: could not delete change set {change_set.id} ({error}); delete it with "
                f"`aws cloudformation delete-change-set --change-set-name {change_set.id}`"
            )

    def delete_approved(self, question: str) -> bool:
        """The one approval every delete needs: --yes, or a yes on the terminal. False when there is
        no terminal to ask; DestroyDeclined when the answer is no."""
        if self.request.yes:
            self.reporter.say("Approved by --yes.")
            return True
        answer = self.reporter.ask(question)
        if answer is None:
            return False
        if not answer:
            raise DestroyDeclined(self.request.stack_name)
        return True

    def approve_rollback_delete(self, held: RollbackHolds) -> bool:
        """Approval to delete a ROLLBACK_COMPLETE stack that may still hold something, asked with
        the reason (said first under --yes)."""
        if self.request.yes:
            self.reporter.say(holds(held))
        approved = self.delete_approved(HOLDS_QUESTION.format(why=holds(held), name=held.stack_name))
        if approved:
            self.before_delete()
        return approved

    def before_delete(self) -> None:
        """Where the target does not run custom resources, empty the upload bucket as the stack's
        auto-delete resource would have, and say why."""
        if self.kind is None or self.kind.runs_custom_resources:
            return
        name = self.request.stack_name
        self.reporter.enter(Phase.EMPTYING, name)
        template = self.deployer.deployed_template(name)
        emptied = empty_upload_bucket(self.clients.cloudformation, self.clients.s3, name, template)
        if emptied:
            words = LEFT_ALONE if emptied.deleted is None else EMPTIED
            self.reporter.say(
                words.format(
                    target=self.kind.title,
                    resource=emptied.resource,
                    bucket=emptied.bucket,
                    deleted=emptied.deleted,
                    tag=AUTO_DELETE_TAG,
                )
            )

    def destroy(self) -> list[dict] | None:
        """Delete the stack once confirmed: the events of the resources it kept, or None when
        there is no stack (then nothing is asked)."""
        name = self.request.stack_name
        self.reporter.enter(Phase.CHECKING, name)
        self.who("Deleting")
        stack = self.deployer.stack(name)
        if stack is None:
            return None
        if not self.delete_approved(DELETE_QUESTION.format(name=name)):
            raise DestroyUnconfirmed(name)
        self.before_delete()
        self.reporter.enter(Phase.DESTROYING, name)
        return self.deployer.destroy(stack)
