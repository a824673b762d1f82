"""One deploy or destroy run, phase by phase: who and where, the stack's state, its template
profile, pre-flight checks, the change set and its security diff, approval for what cannot be
undone, upload, execution. A change set that is not executed is deleted whatever ends the run,
and the phase the run is in says what an interruption leaves behind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError

from deployment import preflight
from deployment.approval import ask, irreversible
from deployment.artifacts import ArtifactsBucket, artifacts_bucket_name
from deployment.aws_clients import Clients
from deployment.deployer import ChangeSet, Deployer, follow_command
from deployment.errors import Stopped
from deployment.function_package import FunctionPackage
from deployment.security_diff import describe_security_diff
from deployment.template_source import template_source
from generator.config import PROFILES
from generator.naming import upload_bucket_name
from generator.template import build_template

DEFAULT_PROFILE = "dev"
UPLOADED = {
    "uploaded": "Uploaded",
    "present": "Already uploaded (its SHA-256 checked):",
    "replaced": "Uploaded, over an object whose SHA-256 did not match,",
}
INTERRUPTED = {
    "checking": "Interrupted while checking, before anything changed: stack {name} is as it was.",
    "waiting": (
        "Interrupted while waiting for CloudFormation: it goes on with what stack {name} was doing; this command "
        "started nothing. Follow it with `{follow}`."
    ),
    "preparing": (
        "Interrupted while the change set was being prepared: the change set was deleted and stack {name} is unchanged."
    ),
    "executing": (
        "Interrupted while CloudFormation executes the change set: CloudFormation goes on with stack {name} (stopping "
        "this command does not stop it). Follow it with `{follow}`, or run this command again to wait for it."
    ),
    "destroying": "Interrupted while CloudFormation deletes stack {name}: it goes on. Follow it with `{follow}`.",
    "sample": "Interrupted while waiting for the sample's logged item: stack {name} is deployed.",
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


@dataclass
class Phase:
    """Where a run is, for the message an interruption prints."""

    stack_name: str
    now: str = "checking"

    def interrupted(self) -> str:
        return INTERRUPTED[self.now].format(name=self.stack_name, follow=follow_command(self.stack_name))


def template_profile(template: dict) -> str | None:
    """The profile a deployed uploadtrail template records in its Metadata."""
    return template.get("Metadata", {}).get("uploadtrail", {}).get("profile")


def choose_profile(request: Request, deployed: dict | None) -> tuple[str, str | None]:
    """The profile to deploy and the stack's own (None for a new stack), printed with its source."""
    if deployed is None:
        profile = request.template_profile or DEFAULT_PROFILE
        source = "--template-profile" if request.template_profile else "the default for a new stack"
        print(f"Template profile: {profile} ({source})")
        return profile, None
    own = template_profile(deployed)
    if request.template_profile:
        print(f"Template profile: {request.template_profile} (--template-profile; the stack's own is {own})")
        return request.template_profile, own
    if own not in PROFILES:
        raise Stopped(
            f"stack {request.stack_name} records no uploadtrail template profile: pass --template-profile "
            f"({'|'.join(sorted(PROFILES))})",
            2,
        )
    print(f"Template profile: {own} (the stack's own)")
    return own, own


class Run:
    def __init__(
        self,
        request: Request,
        clients: Clients,
        region: str,
        phase: Phase,
        build_package: Callable[[], FunctionPackage],
        write: Callable = print,
    ):
        self.request = request
        self.build_package = build_package
        self.clients = clients
        self.region = region
        self.phase = phase
        self.write = write
        self.deployer = Deployer(clients.cloudformation, write=write)

    def artifacts(self, who: preflight.Identity) -> ArtifactsBucket:
        name = self.request.artifacts_bucket or artifacts_bucket_name(who.account, self.region)
        return ArtifactsBucket(self.clients.s3, name, who.account, self.region, who.partition)

    def ready(self, bucket: ArtifactsBucket) -> ArtifactsBucket:
        if bucket.ensure():
            self.write(f"Created artifacts bucket {bucket.name}")
        return bucket

    def check(self, who: preflight.Identity, template: dict, resources: list[dict]) -> None:
        """The pre-flight checks; Stopped with the first problem."""
        request = self.request
        needed = preflight.needed_concurrency(template, request.reserved_concurrency)
        functions = [r["PhysicalResourceId"] for r in resources if r["ResourceType"] == "AWS::Lambda::Function"]
        problem = preflight.concurrency_problem(self.clients.client("lambda"), needed, functions, request.endpoint)
        bucket = upload_bucket_name(request.stack_name, who.account, self.region)
        physical_ids = {r.get("PhysicalResourceId") for r in resources}
        problem = problem or preflight.upload_bucket_problem(
            self.clients.s3, bucket, who.account, request.stack_name, physical_ids
        )
        if problem:
            raise Stopped(f"pre-flight check: {problem}")

    def deploy(self) -> dict[str, str] | None:
        """Create or update the stack: its outputs, or None for a dry run."""
        request, deployer = self.request, self.deployer
        name = request.stack_name
        self.phase.now = "checking"
        who = preflight.identity(self.clients.sts, self.region, self.write)
        self.phase.now = "waiting"
        kind, stack = deployer.prepare(
            name, wait=request.wait, continue_rollback=request.continue_rollback, dry_run=request.diff
        )
        self.phase.now = "checking"
        deployed = deployer.deployed_template(name) if stack else None
        profile, own = choose_profile(request, deployed)
        template = build_template(PROFILES[profile]).to_dict()
        package = self.build_package()
        resources = (
            self.clients.cloudformation.list_stack_resources(StackName=stack["StackId"])["StackResourceSummaries"]
            if stack
            else []
        )
        self.check(who, template, resources)
        artifacts = self.artifacts(who)
        parameters = {"CodeBucket": artifacts.name, "CodeKey": package.key}
        if request.reserved_concurrency is not None:
            parameters["ReservedConcurrency"] = str(request.reserved_concurrency)
        self.phase.now = "preparing"
        source = template_source(template, lambda: self.ready(artifacts))
        change_set = deployer.create_change_set(name, source, parameters, kind)
        if change_set is None:
            self.write(f"No changes: stack {name} is up to date.")
            return None if request.diff else deployer.outputs(name)
        executed = False
        try:
            self.write(f"Change set for stack {name} ({kind}):")
            self.write(deployer.describe(change_set))
            self.write(describe_security_diff(deployed or {}, template))
            if request.diff:
                return None
            self.approve(change_set, deployed or {}, template, own, profile)
            self.ready(artifacts)
            status = artifacts.upload(package.key, package.data, "application/zip")
            self.write(f"{UPLOADED[status]} s3://{artifacts.name}/{package.key} ({len(package.data)} bytes)")
            marker = deployer.start(change_set)
            executed = True
        finally:
            if not executed:
                self.discard(change_set)
        self.phase.now = "executing"
        deployer.finish(change_set, name, marker)
        self.write(f"Stack {name}: {kind.lower()} complete.")
        return deployer.outputs(name)

    def approve(self, change_set: ChangeSet, deployed: dict, template: dict, own: str | None, profile: str) -> None:
        """Go on, or Stopped: what cannot be undone needs --yes or a yes on the terminal."""
        risks = irreversible(change_set.changes, deployed, template, own, profile)
        if not risks:
            return
        self.write("This deploy cannot be undone:")
        for risk in risks:
            self.write(f"  - {risk}")
        if self.request.yes:
            self.write("Approved by --yes.")
            return
        answer = ask(f"Deploy these changes to stack {self.request.stack_name}?")
        if answer is None:
            raise Stopped(
                f"refusing to deploy to stack {self.request.stack_name} without approval: no terminal to ask. "
                "Nothing was executed and the change set was deleted; pass --yes to approve.",
                2,
            )
        if not answer:
            raise Stopped(f"not deployed: the change set was deleted and stack {self.request.stack_name} is unchanged.")

    def discard(self, change_set: ChangeSet) -> None:
        """Delete a change set that was not executed; a failure to do so is reported, not raised."""
        try:
            self.deployer.discard(change_set)
            self.write("The change set was deleted; nothing was executed.")
        except (ClientError, BotoCoreError) as error:
            self.write(
                f"warning: could not delete change set {change_set.id} ({error}); delete it with "
                f"`aws cloudformation delete-change-set --change-set-name {change_set.id}`"
            )

    def destroy(self) -> list[dict] | None:
        self.phase.now = "destroying"
        return self.deployer.destroy(self.request.stack_name)
