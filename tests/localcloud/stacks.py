"""Deploying templates to the local cloud through CloudFormation's change-set API."""

from __future__ import annotations

import io
import json
import uuid
import zipfile

from deployment.deployer import Deployer, DeploymentFailed
from deployment.function_package import build_packages
from deployment.reporter import Reporter

ARTIFACTS = "uploadtrail-test-artifacts"


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def code_parameters(aws, template: dict) -> dict[str, str]:
    """CodeBucket and the package key of each function of template, the packages uploaded as the
    deploy tool builds them."""
    packages = build_packages()
    keys = {key: upload_code(aws, packages[key].data) for key in template["Parameters"] if key in packages}
    return {"CodeBucket": ARTIFACTS} | keys


def upload_code(aws, data: bytes) -> str:
    s3 = aws("s3")
    s3.create_bucket(Bucket=ARTIFACTS)
    key = f"code-{uuid.uuid4().hex}.zip"
    s3.put_object(Bucket=ARTIFACTS, Key=key, Body=data)
    return key


def deploy(aws, stack_name: str, template: dict, parameters: dict | None = None) -> dict:
    """Create or update a stack with the project's change-set deployer; its description
    afterwards, also when the deployment failed (the tests look at failed stacks too)."""
    deployer = Deployer(aws("cloudformation"), Reporter(out=io.StringIO()), poll_seconds=0.1)
    kind, _ = deployer.prepare(stack_name)
    change_set = deployer.create_change_set(stack_name, {"TemplateBody": json.dumps(template)}, parameters or {}, kind)
    try:
        deployer.finish(change_set, stack_name, deployer.start(change_set))
    except DeploymentFailed:
        pass
    return aws("cloudformation").describe_stacks(StackName=change_set.stack_id)["Stacks"][0]


def outputs(stack: dict) -> dict[str, str]:
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def events(aws, stack_id: str) -> list[tuple[str, str, str | None]]:
    """(logical id, status, reason) oldest first."""
    found = aws("cloudformation").describe_stack_events(StackName=stack_id)["StackEvents"]
    return [(e["LogicalResourceId"], e["ResourceStatus"], e.get("ResourceStatusReason")) for e in reversed(found)]


def update_events(aws, stack: str) -> list[tuple[str, str, str, str | None]]:
    """(logical id, status, physical id, reason) of the stack's last update, oldest first."""
    found = aws("cloudformation").describe_stack_events(StackName=stack)["StackEvents"]
    oldest_first = [
        (e["LogicalResourceId"], e["ResourceStatus"], e.get("PhysicalResourceId", ""), e.get("ResourceStatusReason"))
        for e in reversed(found)
    ]
    started = max(i for i, event in enumerate(oldest_first) if event[1] == "UPDATE_IN_PROGRESS" and event[0] == stack)
    return oldest_first[started:]


def index_of(found: list[tuple], logical_id: str, status: str) -> int:
    """Where in found (events as update_events gives them) logical_id first has this status."""
    return [event[:2] for event in found].index((logical_id, status))


def python_function_template(
    code_key: str, handler: str = "app.handler", timeout: int = 3, extra: dict | None = None
) -> dict:
    """A stack with one Python function whose code is at ARTIFACTS/code_key."""
    return {
        "Resources": {
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
                    # As every Lambda function's role: without it, Lambda cannot create the log group.
                    "ManagedPolicyArns": [
                        {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}
                    ],
                },
            },
            "Function": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Runtime": "python3.13",
                    "Handler": handler,
                    "Timeout": timeout,
                    "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                    "Code": {"S3Bucket": ARTIFACTS, "S3Key": code_key},
                },
            },
            **(extra or {}),
        },
        "Outputs": {"FunctionName": {"Value": {"Ref": "Function"}}},
    }


def permit_s3(aws, function_arn: str, bucket: str) -> None:
    """Let S3 invoke the function for this bucket: S3 refuses a notification without it, as on AWS."""
    aws("lambda").add_permission(
        FunctionName=function_arn,
        StatementId=f"s3-{bucket}",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceArn=f"arn:aws:s3:::{bucket}",
    )
