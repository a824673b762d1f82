"""The change-set deployer: creates, shows, executes or discards change sets, streams stack
events oldest first from a marker taken before execution, reports the root cause of a failure,
and tears stacks down. It receives its CloudFormation client, so tests can stub it."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from botocore.exceptions import ClientError

from deployment.progress import event_line, table

SUCCESS = {"CREATE_COMPLETE", "UPDATE_COMPLETE", "DELETE_COMPLETE", "IMPORT_COMPLETE"}
NO_CHANGES = ("didn't contain changes", "No updates are to be performed")
STACK_TYPE = "AWS::CloudFormation::Stack"


class DeploymentFailed(Exception):
    """A stack operation ended in failure; the message is its root cause."""


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
        write: Callable[[str], None] = print,
        poll_seconds: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.cloudformation = cloudformation
        self.write = write
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

    def change_set_type(self, name: str) -> str:
        """CREATE or UPDATE; a stack that a failed first create left in ROLLBACK_COMPLETE is
        deleted first, since it can only be deleted."""
        stack = self.stack(name)
        if stack is None or stack["StackStatus"] == "REVIEW_IN_PROGRESS":
            return "CREATE"
        if stack["StackStatus"] == "ROLLBACK_COMPLETE":
            self.write(
                f"Stack {name} is in ROLLBACK_COMPLETE after a failed first create: deleting it to create it again."
            )
            self.destroy(name)
            return "CREATE"
        return "UPDATE"

    def create_change_set(
        self, name: str, template_body: str, parameters: dict[str, str], kind: str
    ) -> ChangeSet | None:
        """A change set for the template, or None when it would change nothing (it is then
        deleted, with the empty stack a CREATE change set makes)."""
        try:
            created = self.cloudformation.create_change_set(
                StackName=name,
                ChangeSetName=f"uploadtrail-{uuid.uuid4().hex[:12]}",
                ChangeSetType=kind,
                TemplateBody=template_body,
                Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in sorted(parameters.items())],
                Capabilities=["CAPABILITY_IAM"],
            )
        except ClientError as error:
            # AWS answers an unchanged template with a FAILED change set; some emulators
            # (moto, LocalStack) refuse to create it instead.
            if any(text in error.response["Error"]["Message"] for text in NO_CHANGES):
                return None
            raise
        change_set = ChangeSet(created["Id"], created["StackId"], kind, [])
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
                self.discard(change_set)
                raise DeploymentFailed(f"the change set could not be created: {reason}")
            self.sleep(self.poll_seconds)

    def discard(self, change_set: ChangeSet) -> None:
        """Delete a change set that will not be executed, and the empty stack of a CREATE."""
        self.cloudformation.delete_change_set(ChangeSetName=change_set.id)
        if change_set.kind == "CREATE":
            self.cloudformation.delete_stack(StackName=change_set.stack_id)

    @staticmethod
    def describe(change_set: ChangeSet) -> str:
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
        return table(["Action", "Logical ID", "Type", "Replacement"], rows)

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
        """Print events as they come until the stack leaves *_IN_PROGRESS; the final status and
        every event seen."""
        started = time.monotonic()
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
                self.write(event_line(name, len(finished), total, time.monotonic() - started, event))
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

    def execute(self, change_set: ChangeSet, name: str) -> None:
        """Execute and follow a change set; DeploymentFailed with the root cause on failure."""
        marker = self.latest_event_id(change_set.stack_id)
        self.cloudformation.execute_change_set(ChangeSetName=change_set.id)
        status, events = self.follow(change_set.stack_id, name, marker, len(change_set.changes))
        if status not in SUCCESS:
            raise DeploymentFailed(self.root_cause(status, events))

    def outputs(self, name: str) -> dict[str, str]:
        stack = self.stack(name) or {}
        return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}

    def destroy(self, name: str) -> list[dict] | None:
        """Delete the stack and follow it; the events of the resources it kept (DeletionPolicy
        Retain), or None when there was no stack."""
        stack = self.stack(name)
        if stack is None:
            return None
        stack_id = stack["StackId"]
        total = len(self.cloudformation.list_stack_resources(StackName=stack_id)["StackResourceSummaries"])
        marker = self.latest_event_id(stack_id)
        self.cloudformation.delete_stack(StackName=stack_id)
        status, events = self.follow(stack_id, name, marker, total)
        if status != "DELETE_COMPLETE":
            raise DeploymentFailed(self.root_cause(status, events))
        return [event for event in events if event["ResourceStatus"] == "DELETE_SKIPPED"]
