"""Resource and template Metadata: the CloudFormation Context block (why a resource is there, what
must hold) and the checkov checks that do not apply, each with its reason."""

from __future__ import annotations

from troposphere import AWSObject, Template

CONTEXT = "com.aws.cloudformation.Context"
ARCHITECTURE = (
    "S3 upload bucket -(s3:ObjectCreated:*)-> logger Lambda -> DynamoDB invocation table; "
    "SQS dead-letter queue for failed asynchronous invocations; CloudWatch alarms -> SNS alarm topic"
)
CROSS_CUTTING = [
    "every bucket denies requests without TLS 1.2 or newer",
    "roles' own statements grant only this stack's resources, never '*'; creating log groups is denied",
]


def set_template_metadata(template: Template, version: str, profile: str) -> None:
    """The version and profile that made the template, and its architecture in one line."""
    template.set_metadata(
        {
            "uploadtrail": {"version": version, "profile": profile},
            CONTEXT: {"arch": ARCHITECTURE, "must": CROSS_CUTTING},
        }
    )


def annotate(
    resource: AWSObject,
    why: str,
    must: list[str] | None = None,
    skips: dict[str, str] | None = None,
) -> AWSObject:
    """Set the resource's Metadata: why it exists, the invariants that must hold, and the checkov
    checks skipped (check id to the reason it does not apply)."""
    context = {"why": why, "trust": {"src": "authored", "conf": "high"}}
    if must:
        context["must"] = must
    metadata: dict = {CONTEXT: context}
    if skips:
        metadata["checkov"] = {"skip": [{"id": check, "comment": reason} for check, reason in sorted(skips.items())]}
    resource.Metadata = metadata
    return resource
