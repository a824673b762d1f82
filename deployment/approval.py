"""What a deploy cannot undo: a change of the stack's template profile, a data-holding resource
removed or replaced, deletion protection turned off, or data no longer kept when the stack is
deleted (the rules as data; the workflow asks through the reporter)."""

from __future__ import annotations

# Resource types whose replacement or removal loses data (or, for a key, the data it encrypts).
DATA_TYPES = frozenset(
    {
        "AWS::DynamoDB::Table",
        "AWS::DynamoDB::GlobalTable",
        "AWS::S3::Bucket",
        "AWS::KMS::Key",
        "AWS::SQS::Queue",  # the dead-letter queue holds the events that failed
        "AWS::Logs::LogGroup",
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
        "AWS::EFS::FileSystem",
        "AWS::Kinesis::Stream",
        "AWS::SecretsManager::Secret",
        "AWS::ECR::Repository",
    }
)
# The property that turns on deletion protection, by resource type.
DELETION_PROTECTION = {
    "AWS::DynamoDB::Table": "DeletionProtectionEnabled",
    "AWS::RDS::DBInstance": "DeletionProtection",
    "AWS::RDS::DBCluster": "DeletionProtection",
}
KEEPING_POLICIES = {"Retain", "RetainExceptOnCreate", "Snapshot"}


def is_on(value) -> bool:
    return value is True or value == "true"


def resource_risks(change: dict, old: dict, new: dict) -> list[str]:
    """Why one resource change needs approval (empty when it does not)."""
    resource = change["ResourceChange"]
    logical, kind, action = resource["LogicalResourceId"], resource["ResourceType"], resource["Action"]
    if kind not in DATA_TYPES:
        return []
    before = old.get("Resources", {}).get(logical, {})
    after = new.get("Resources", {}).get(logical, {})
    kept = before.get("DeletionPolicy") in KEEPING_POLICIES
    if action == "Remove":
        fate = "kept outside any stack by its DeletionPolicy" if kept else "deleted with its data"
        return [f"{logical} ({kind}) is removed from the stack: {fate}"]
    risks = []
    if action == "Modify" and resource.get("Replacement") in {"True", "Conditional"}:
        maybe = "may be" if resource["Replacement"] == "Conditional" else "is"
        risks.append(f"{logical} ({kind}) {maybe} replaced: a new, empty one takes its place")
    switch = DELETION_PROTECTION.get(kind)
    if (
        switch
        and is_on(before.get("Properties", {}).get(switch))
        and not is_on(after.get("Properties", {}).get(switch))
    ):
        risks.append(f"{logical} ({kind}) turns off deletion protection ({switch})")
    if kept and after.get("DeletionPolicy", "Delete") not in KEEPING_POLICIES:
        risks.append(f"{logical} ({kind}) is no longer kept when the stack is deleted (DeletionPolicy Delete)")
    return risks


def irreversible(changes: list[dict], old: dict, new: dict, old_profile: str | None, new_profile: str) -> list[str]:
    """Everything in this deploy that cannot be undone, one sentence each."""
    risks = []
    if old_profile != new_profile and old:
        risks.append(f"the stack's template profile changes from {old_profile or 'unknown'} to {new_profile}")
    for change in changes:
        if change.get("Type", "Resource") == "Resource":
            risks.extend(resource_risks(change, old, new))
    return risks
