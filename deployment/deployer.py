"""The change-set deployer: creates, shows, executes or discards change sets (one that is not
executed is always deleted), streams stack events oldest first from a marker taken before
execution, finds the root cause of a failure, answers every stack state before a deploy, and
tears stacks down. It receives its CloudFormation client (so tests can stub it) and the reporter,
which it tells the phases it enters and the stack events; it returns states and raises the typed
errors of deployment/errors.py, which the command layer words."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from botocore.exceptions import ClientError

from deployment.errors import (
    DeleteOnly,
    DeploymentFailed,
    DestroyFailed,
    NotImplementedByTarget,
    RollbackFailed,
    RollbackHolds,
    RolledBackCreate,
    StackBusy,
)
from deployment.phases import Phase
from deployment.progress import table

SUCCESS = {"CREATE_COMPLETE", "UPDATE_COMPLETE", "DELETE_COMPLETE", "IMPORT_COMPLETE"}
NO_CHANGES = ("didn't contain changes", "No updates are to be performed")
STACK_TYPE = "AWS::CloudFormation::Stack"
# States from which CloudFormation accepts only a delete.
DELETE_ONLY = {"DELETE_FAILED", "ROLLBACK_FAILED"}
NOT_IMPLEMENTED = 501


@dataclass(frozen=True)
class ChangeSet:
    id: str
    stack_id: str
    kind: str
    changes: list[dict]


class Deployer:
    def __init__(
        self,
        cloudformation,
        reporter,
        poll_seconds: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.cloudformation = cloudformation
        self.reporter = reporter
        self.poll_seconds = poll_seconds
        self.sleep = sleep

    def stack(self, name: str) -> dict | None:
        """The stack's description, or None when there is none."""
        try:
            return self.cloudformation.describe_stacks(StackName=name)["Stacks"][0]
        except ClientError as error:
            if "does not exist" in error.response["Error"]["Message"]:
                return None
            raise

    def deployed_template(self, name: str) -> dict:
        """The template the stack was last deployed with; {} when it is not JSON (botocore
        decodes a JSON body; this tool sends nothing else)."""
        body = self.cloudformation.get_template(StackName=name, TemplateStage="Original")["TemplateBody"]
        return body if isinstance(body, dict) else {}

    def failed_resources(self, stack_id: str) -> str:
        """Each resource whose last operation failed, with CloudFormation's reason ("" for none)."""
        summaries = self.cloudformation.list_stack_resources(StackName=stack_id)["StackResourceSummaries"]
        return "; ".join(
            f"{s['LogicalResourceId']} ({s['ResourceType']}): {s.get('ResourceStatusReason') or s['ResourceStatus']}"
            for s in summaries
            if s["ResourceStatus"].endswith("_FAILED")
        )

    def why_stuck(self, stack: dict) -> str:
        """The failed resources, else the latest failure among the stack's recent events."""
        events = [
            event
            for event in self.cloudformation.describe_stack_events(StackName=stack["StackId"])["StackEvents"]
            if event["ResourceType"] != STACK_TYPE
        ]
        return self.failed_resources(stack["StackId"]) or self.root_cause(stack["StackStatus"], events)

    @staticmethod
    def is_live(summary: dict) -> bool:
        """Whether a resource of a ROLLBACK_COMPLETE stack may still exist. It is gone when it is
        DELETE_COMPLETE, or CREATE_FAILED with no physical id (never created); every other state may
        hold data: CREATE_COMPLETE or UPDATE_COMPLETE (LocalStack ends a failed update in
        ROLLBACK_COMPLETE without rolling back), DELETE_SKIPPED (kept by its DeletionPolicy),
        DELETE_FAILED, and CREATE_FAILED with a physical id (created, then failed to stabilise)."""
        status = summary["ResourceStatus"]
        never_created = status == "CREATE_FAILED" and not summary.get("PhysicalResourceId")
        return status != "DELETE_COMPLETE" and not never_created

    def holds(self, stack: dict) -> RollbackHolds | None:
        """What a ROLLBACK_COMPLETE stack may still hold, or None when deleting it loses nothing.

        It loses nothing only when the stack never completed a create (none of its events is the
        stack's own CREATE_COMPLETE: AWS rolled back a failed first create) and none of its
        resources is live (is_live). Both are checked: a stack that once completed a create was
        rolled back from an update, whatever its resources say now."""
        stack_id, name = stack["StackId"], stack["StackName"]
        created = any(
            event["ResourceType"] == STACK_TYPE
            and event["LogicalResourceId"] == name
            and event["ResourceStatus"] == "CREATE_COMPLETE"
            for page in self.cloudformation.get_paginator("describe_stack_events").paginate(StackName=stack_id)
            for event in page["StackEvents"]
        )
        live = [
            f"{s['LogicalResourceId']} ({s['ResourceType']}, {s['ResourceStatus']})"
            for page in self.cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack_id)
            for s in page["StackResourceSummaries"]
            if self.is_live(s)
        ]
        return RollbackHolds(name, created, live) if created or live else None

    def prepare(
        self,
        name: str,
        *,
        wait: bool = True,
        continue_rollback: bool = False,
        dry_run: bool = False,
        approve_delete: Callable[[RollbackHolds], bool] | None = None,
    ) -> tuple[str, dict | None]:
        """CREATE or UPDATE, and the stack, once it is in a state a change set can follow: waits
        out *_IN_PROGRESS, re-creates a stack a failed first create left in ROLLBACK_COMPLETE (one
        that may still hold something only once approve_delete approves), continues a failed
        rollback when asked; a typed error naming the state otherwise."""
        while True:
            stack = self.stack(name)
            status = stack["StackStatus"] if stack else None
            if stack is None or status == "REVIEW_IN_PROGRESS":
                return "CREATE", None
            if status.endswith("_IN_PROGRESS"):
                if not wait:
                    raise StackBusy(name, status)
                self.reporter.enter(Phase.WAITING, name, status)
                self.follow(stack["StackId"], name, self.latest_event_id(stack["StackId"]), 0)
            elif status == "ROLLBACK_COMPLETE":
                self.recreate(stack, dry_run, approve_delete)
            elif status == "UPDATE_ROLLBACK_FAILED":
                if not continue_rollback or dry_run:
                    raise RollbackFailed(name, self.why_stuck(stack))
                self.continue_rollback(stack["StackId"], name)
            elif status in DELETE_ONLY:
                raise DeleteOnly(name, status, self.why_stuck(stack))
            else:
                return "UPDATE", stack

    def recreate(self, stack: dict, dry_run: bool, approve_delete: Callable[[RollbackHolds], bool] | None) -> None:
        """Delete a ROLLBACK_COMPLETE stack so that it can be created again: at once when it holds
        nothing, else only once approved (RollbackHolds when nobody approves)."""
        name = stack["StackName"]
        holds = self.holds(stack)
        if holds is None:
            if dry_run:
                raise RolledBackCreate(name)
            self.reporter.enter(Phase.RECREATING, name, stack["StackStatus"])
        else:
            if dry_run or approve_delete is None or not approve_delete(holds):
                raise holds
            self.reporter.enter(Phase.DESTROYING, name)
        self.destroy(stack)

    def continue_rollback(self, stack_id: str, name: str) -> None:
        """continue-update-rollback, followed to its end; DeploymentFailed unless it completes,
        NotImplementedByTarget when the endpoint answers 501 (LocalStack has no such operation)."""
        marker = self.latest_event_id(stack_id)
        self.reporter.enter(Phase.CONTINUING_ROLLBACK, name)
        try:
            self.cloudformation.continue_update_rollback(StackName=stack_id)
        except ClientError as error:
            if error.response["ResponseMetadata"].get("HTTPStatusCode") == NOT_IMPLEMENTED:
                raise NotImplementedByTarget(name, "ContinueUpdateRollback") from error
            raise
        status, events = self.follow(stack_id, name, marker, 0)
        if status != "UPDATE_ROLLBACK_COMPLETE":
            raise DeploymentFailed(self.root_cause(status, events))

    def create_change_set(
        self, name: str, template: dict[str, str], parameters: dict[str, str], kind: str
    ) -> ChangeSet | None:
        """A change set for the template (TemplateBody or TemplateURL), or None when it would
        change nothing. A change set that is not returned is deleted, with the empty stack a CREATE
        change set makes, whatever stops its creation."""
        try:
            created = self.cloudformation.create_change_set(
                StackName=name,
                ChangeSetName=f"uploadtrail-{uuid.uuid4().hex[:12]}",
                ChangeSetType=kind,
                Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in sorted(parameters.items())],
                Capabilities=["CAPABILITY_IAM"],
                **template,
            )
        except ClientError as error:
            # AWS answers an unchanged template with a FAILED change set; some emulators
            # (moto, LocalStack) refuse to create it instead.
            if any(text in error.response["Error"]["Message"] for text in NO_CHANGES):
                return None
            raise
        change_set = ChangeSet(created["Id"], created["StackId"], kind, [])
        try:
            while True:
                described = self.cloudformation.describe_change_set(ChangeSetName=change_set.id)
                status = described["Status"]
                if status == "CREATE_COMPLETE":
                    return ChangeSet(change_set.id, change_set.stack_id, kind, described.get("Changes", []))
                if status == "FAILED":
                    reason = described.get("StatusReason", "")
                    if any(text in reason for text in NO_CHANGES):
                        self.discard(change_set)
                        return None
                    raise DeploymentFailed(f"the change set could not be created: {reason}")
                self.sleep(self.poll_seconds)
        except BaseException:
            self.discard(change_set)
            raise

    def discard(self, change_set: ChangeSet) -> None:
        """Delete a change set that will not be executed, and the empty stack of a CREATE."""
        self.cloudformation.delete_change_set(ChangeSetName=change_set.id)
        if change_set.kind == "CREATE":
            self.cloudformation.delete_stack(StackName=change_set.stack_id)

    @staticmethod
    def describe(change_set: ChangeSet, width: int | None = None) -> str:
        rows = []
        for change in change_set.changes:
            resource = change["ResourceChange"]
            rows.append(
                [
                    resource["Action"],
                    resource["LogicalResourceId"],
                    resource["ResourceType"],
                    resource.get("Replacement", "-") if resource["Action"] == "Modify" else "-",
                ]
            )
        return table(["Action", "Logical ID", "Type", "Replacement"], rows, width)

    def latest_event_id(self, stack_id: str) -> str | None:
        events = self.cloudformation.describe_stack_events(StackName=stack_id)["StackEvents"]
        return events[0]["EventId"] if events else None

    def new_events(self, stack_id: str, marker: str | None, seen: set[str]) -> list[dict]:
        """Events after the marker not yet seen, oldest first."""
        found = []
        for page in self.cloudformation.get_paginator("describe_stack_events").paginate(StackName=stack_id):
            for event in page["StackEvents"]:
                if event["EventId"] == marker:
                    return list(reversed(found))
                if event["EventId"] not in seen:
                    found.append(event)
        return list(reversed(found))

    def follow(self, stack_id: str, name: str, marker: str | None, total: int) -> tuple[str, list[dict]]:
        """Report events as they come until the stack leaves *_IN_PROGRESS, each with the time
        since the first one (CloudFormation's timestamps: the events of a fast endpoint arrive
        together); the final status and every event seen."""
        started = None
        seen: set[str] = set()
        events: list[dict] = []
        finished: set[str] = set()
        while True:
            status = self.cloudformation.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"]
            for event in self.new_events(stack_id, marker, seen):
                seen.add(event["EventId"])
                events.append(event)
                if event["ResourceType"] != STACK_TYPE and not event["ResourceStatus"].endswith("_IN_PROGRESS"):
                    finished.add(event["LogicalResourceId"])
                started = started or event["Timestamp"]
                elapsed = (event["Timestamp"] - started).total_seconds()
                self.reporter.stack_event(name, len(finished), max(total, len(finished)), elapsed, event)
            if not status.endswith("_IN_PROGRESS"):
                return status, events
            self.sleep(self.poll_seconds)

    @staticmethod
    def root_cause(status: str, events: list[dict]) -> str:
        """The first failure reason that is not a cancellation, else the final status."""
        for event in events:
            reason = event.get("ResourceStatusReason") or ""
            if event["ResourceStatus"].endswith("_FAILED") and "cancelled" not in reason.lower():
                return f"{event['LogicalResourceId']} ({event['ResourceType']}): {reason or event['ResourceStatus']}"
        return f"the stack ended in {status}"

    def start(self, change_set: ChangeSet) -> str | None:
        """Execute the change set; the event marker to follow it from. From here on the change set
        belongs to CloudFormation."""
        marker = self.latest_event_id(change_set.stack_id)
        self.cloudformation.execute_change_set(ChangeSetName=change_set.id)
        return marker

    def finish(self, change_set: ChangeSet, name: str, marker: str | None) -> None:
        """Follow an executed change set; DeploymentFailed with the root cause on failure."""
        status, events = self.follow(change_set.stack_id, name, marker, len(change_set.changes))
        if status not in SUCCESS:
            raise DeploymentFailed(self.root_cause(status, events))

    def outputs(self, name: str) -> dict[str, str]:
        stack = self.stack(name) or {}
        return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}

    def destroy(self, stack: dict) -> list[dict]:
        """Delete the stack and follow it; the events of the resources it kept (DeletionPolicy
        Retain). DestroyFailed naming every resource that could not be deleted, and why."""
        stack_id, name = stack["StackId"], stack["StackName"]
        total = len(self.cloudformation.list_stack_resources(StackName=stack_id)["StackResourceSummaries"])
        marker = self.latest_event_id(stack_id)
        self.cloudformation.delete_stack(StackName=stack_id)
        status, events = self.follow(stack_id, name, marker, total)
        if status != "DELETE_COMPLETE":
            raise DestroyFailed(name, status, self.failed_resources(stack_id) or self.root_cause(status, events))
        return [event for event in events if event["ResourceStatus"] == "DELETE_SKIPPED"]
