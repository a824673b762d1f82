"""The security diff of a deploy, as `cdk diff` shows it: the IAM and resource-policy statements
(principal, action, resource, effect, condition) that the new template adds or removes compared
with the deployed one, read from both templates."""

from __future__ import annotations

import json
from collections.abc import Iterator

from deployment.progress import table

HEADERS = ["", "Resource", "Effect", "Action", "Principal", "Condition"]
# Resource type to the property that holds its resource policy, and the property naming what it covers.
RESOURCE_POLICIES = {
    "AWS::S3::BucketPolicy": ("PolicyDocument", "Bucket"),
    "AWS::SQS::QueuePolicy": ("PolicyDocument", "Queues"),
    "AWS::SNS::TopicPolicy": ("PolicyDocument", "Topics"),
    "AWS::KMS::Key": ("KeyPolicy", None),
}
IDENTITY_POLICIES = {"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"}


def render(value) -> str:
    """A template value as text, intrinsic functions written the way `cdk diff` writes them."""
    value = resolve(value)
    if isinstance(value, list):
        return ", ".join(render(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    return str(value)


def resolve(value):
    """value with every intrinsic function replaced by its text: Ref X as ${X}, GetAtt X.Arn as
    ${X.Arn}, Sub as its string with its own variables filled in, Join joined."""
    if isinstance(value, list):
        return [resolve(item) for item in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((function, argument),) = value.items()
        if function == "Ref":
            return f"${{{argument}}}"
        if function == "Fn::GetAtt":
            return f"${{{'.'.join(argument) if isinstance(argument, list) else argument}}}"
        if function == "Fn::Sub" and isinstance(argument, str):
            return argument
        if function == "Fn::Sub":
            text, variables = argument
            for name, variable in variables.items():
                text = text.replace(f"${{{name}}}", render(variable))
            return text
        if function == "Fn::Join":
            return argument[0].join(render(part) for part in argument[1])
    return {key: resolve(item) for key, item in value.items()}


def principal_text(principal) -> str:
    if not isinstance(principal, dict):
        return render(principal)
    return ", ".join(
        f"{kind}:{render(item)}"
        for kind, names in sorted(principal.items())
        for item in (names if isinstance(names, list) else [names])
    )


def statements(document) -> list[dict]:
    found = document.get("Statement", []) if isinstance(document, dict) else []
    return found if isinstance(found, list) else [found]


def rows_of(document, principal: str | None, resource: str | None) -> Iterator[tuple[str, ...]]:
    """One row per statement; principal/resource stand in where the statement has none."""
    for statement in statements(document):
        yield (
            render(statement.get("Resource", statement.get("NotResource", resource or ""))),
            statement.get("Effect", ""),
            render(statement.get("Action", statement.get("NotAction", ""))),
            principal_text(statement["Principal"]) if "Principal" in statement else principal or "",
            render(statement["Condition"]) if "Condition" in statement else "",
        )


def security_rows(template: dict) -> set[tuple[str, ...]]:
    """Every IAM and resource-policy statement of a template, as table rows."""
    rows: set[tuple[str, ...]] = set()
    for logical_id, resource in template.get("Resources", {}).items():
        kind = resource.get("Type")
        properties = resource.get("Properties", {})
        if kind == "AWS::IAM::Role":
            role = f"AWS:${{{logical_id}}}"
            rows.update(rows_of(properties.get("AssumeRolePolicyDocument"), None, f"${{{logical_id}.Arn}}"))
            for policy in properties.get("Policies", []):
                rows.update(rows_of(policy.get("PolicyDocument"), role, None))
            for arn in properties.get("ManagedPolicyArns", []):
                rows.add((render(arn), "Allow", "(managed policy)", role, ""))
        elif kind in IDENTITY_POLICIES:
            roles = ", ".join(f"AWS:{render(role)}" for role in properties.get("Roles", []))
            rows.update(rows_of(properties.get("PolicyDocument"), roles, None))
        elif kind in RESOURCE_POLICIES:
            document, target = RESOURCE_POLICIES[kind]
            covered = render(properties[target]) if target else f"${{{logical_id}.Arn}}"
            rows.update(rows_of(properties.get(document), None, covered))
        elif kind == "AWS::Lambda::Permission":
            principal = render(properties.get("Principal", ""))
            condition = {key: properties[key] for key in ("SourceAccount", "SourceArn") if key in properties}
            rows.add(
                (
                    render(properties.get("FunctionName", "")),
                    "Allow",
                    render(properties.get("Action", "")),
                    f"Service:{principal}" if "." in principal else f"AWS:{principal}",
                    render(condition) if condition else "",
                )
            )
    return rows


def security_diff(old_template: dict, new_template: dict) -> list[tuple[str, ...]]:
    """Rows added (+) and removed (-) by going from old_template to new_template."""
    old, new = security_rows(old_template), security_rows(new_template)
    return sorted([("+", *row) for row in new - old] + [("-", *row) for row in old - new], key=lambda r: (r[1:], r[0]))


def describe_security_diff(old_template: dict, new_template: dict, width: int | None = None) -> str:
    """The security section shown after the change-set table, wrapped to width."""
    rows = security_diff(old_template, new_template)
    if not rows:
        return "Security changes (IAM and resource policies): none."
    return "Security changes (IAM and resource policies):\n" + table(HEADERS, [list(row) for row in rows], width)
