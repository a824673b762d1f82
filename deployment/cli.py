"""Deploy uploadtrail: package the function, upload it, create or update the stack with a change
set, stream its progress and print its outputs; or tear it down.

    python scripts/deploy.py --local                  # embedded local cloud, sample upload
    python scripts/deploy.py --endpoint URL           # LocalStack or another AWS-compatible API
    python scripts/deploy.py [--profile P] [--region R]               # real AWS
    python scripts/deploy.py --destroy [--yes] ...    # delete the stack

Exit codes: 0 success (also "no changes"), 1 the deployment failed, 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    ProfileNotFound,
)

from deployment.artifacts import artifacts_bucket_name, ensure_artifacts_bucket, upload_if_absent
from deployment.aws_clients import DEFAULT_REGION, Clients, Target, make_clients
from deployment.deployer import Deployer, DeploymentFailed
from deployment.function_package import build_package
from deployment.progress import table
from generator.config import PROFILES, stack_name_problem
from generator.render import to_json
from generator.template import build_template
from localcloud.server import running

SAMPLE_KEY = "samples/hello uploadtrail.txt"
SAMPLE_WAIT_SECONDS = 30


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python scripts/deploy.py",
        description="Package the function, upload it, and create or update the uploadtrail stack.",
        epilog="Exit codes: 0 success (also 'no changes'), 1 the deployment failed, 2 bad usage.",
    )
    parser.add_argument(
        "--stack-name",
        default="uploadtrail-dev",
        help="CloudFormation stack name (default uploadtrail-dev); it also names the upload bucket, "
        "see README 'Stack names'",
    )
    parser.add_argument(
        "--profile-name",
        choices=sorted(PROFILES),
        default="dev",
        help="template profile: dev (everything destroyed with the stack) or prod (data retained, KMS, logs); "
        "default dev",
    )
    parser.add_argument("--profile", help="AWS credentials profile from ~/.aws/config (not the template profile)")
    parser.add_argument("--region", help=f"AWS region (default: the profile's, else {DEFAULT_REGION})")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--endpoint",
        metavar="URL",
        help="AWS-compatible endpoint such as LocalStack's http://localhost:4566; path-style S3, "
        "test credentials when none are configured",
    )
    where.add_argument(
        "--local",
        action="store_true",
        help="start the embedded local cloud, deploy, upload a sample object, print its logged item, and stop",
    )
    parser.add_argument(
        "--outputs-file", type=Path, metavar="FILE", help="write the stack outputs to FILE as JSON {OutputKey: value}"
    )
    parser.add_argument(
        "--diff",
        "--dry-run",
        action="store_true",
        help="create the change set, show it, and delete it without executing",
    )
    parser.add_argument("--destroy", action="store_true", help="delete the stack (asks for confirmation)")
    parser.add_argument("--yes", action="store_true", help="do not ask before --destroy")
    args = parser.parse_args(argv)
    if args.destroy and (args.local or args.diff):
        parser.error("--destroy cannot be combined with --local or --diff")
    return args


def region_of(args: argparse.Namespace) -> str:
    if args.region:
        return args.region
    if args.endpoint or args.local:
        return DEFAULT_REGION
    import boto3

    return boto3.session.Session(profile_name=args.profile).region_name or DEFAULT_REGION


def confirmed(args: argparse.Namespace) -> bool | None:
    """True to go on; False when the user said no; None when nobody can be asked."""
    if args.yes:
        return True
    if not sys.stdin.isatty():
        return None
    answer = input(f"Delete stack {args.stack_name} and everything it holds? [y/N] ")
    return answer.strip().lower() in {"y", "yes"}


def print_outputs(outputs: dict[str, str], outputs_file: Path | None) -> None:
    if outputs:
        print(table(["Output", "Value"], [[k, v] for k, v in sorted(outputs.items())]))
    if outputs_file:
        outputs_file.write_text(json.dumps(outputs, indent=2, sort_keys=True) + "\n")
        print(f"Outputs written to {outputs_file}")


def deploy(args: argparse.Namespace, clients: Clients, region: str) -> dict[str, str]:
    """Create or update the stack; its outputs."""
    deployer = Deployer(clients.cloudformation)
    template_body = to_json(build_template(PROFILES[args.profile_name]).to_dict())
    package = build_package()
    identity = clients.sts.get_caller_identity()
    partition = identity["Arn"].split(":")[1]
    bucket = artifacts_bucket_name(identity["Account"], region)
    kind = deployer.change_set_type(args.stack_name)
    change_set = deployer.create_change_set(
        args.stack_name, template_body, {"CodeBucket": bucket, "CodeKey": package.key}, kind
    )
    if change_set is None:
        print(f"No changes: stack {args.stack_name} is up to date.")
        return deployer.outputs(args.stack_name)
    print(f"Change set for stack {args.stack_name} ({kind}):")
    print(deployer.describe(change_set))
    if args.diff:
        deployer.discard(change_set)
        print("Dry run: the change set was deleted and nothing was deployed.")
        return {}
    if ensure_artifacts_bucket(clients.s3, bucket, region, partition):
        print(f"Created artifacts bucket {bucket}")
    uploaded = upload_if_absent(clients.s3, bucket, package)
    print(f"{'Uploaded' if uploaded else 'Already uploaded'} s3://{bucket}/{package.key} ({len(package.data)} bytes)")
    deployer.execute(change_set, args.stack_name)
    print(f"Stack {args.stack_name}: {kind.lower()} complete.")
    return deployer.outputs(args.stack_name)


def upload_sample(clients: Clients, outputs: dict[str, str]) -> dict:
    """Upload a sample object and wait for its logged item; the item as plain values."""
    clients.s3.put_object(Bucket=outputs["BucketName"], Key=SAMPLE_KEY, Body=b"hello from uploadtrail\n")
    print(f"Uploaded s3://{outputs['BucketName']}/{SAMPLE_KEY}; waiting for its logged item")
    deadline = time.monotonic() + SAMPLE_WAIT_SECONDS
    while time.monotonic() < deadline:
        items = clients.dynamodb.scan(
            TableName=outputs["DynamoDBTableName"],
            FilterExpression="objectKey = :key",
            ExpressionAttributeValues={":key": {"S": SAMPLE_KEY}},
        )["Items"]
        if items:
            return {name: next(iter(value.values())) for name, value in sorted(items[0].items())}
        time.sleep(0.2)
    raise DeploymentFailed(f"no item was logged for {SAMPLE_KEY} within {SAMPLE_WAIT_SECONDS} s")


def run(args: argparse.Namespace, target: Target) -> int:
    clients = make_clients(target)
    if args.destroy:
        kept = Deployer(clients.cloudformation).destroy(args.stack_name)
        if kept is None:
            print(f"No stack named {args.stack_name}: nothing to delete.")
            return 0
        print(f"Stack {args.stack_name} deleted.")
        if kept:
            print("Kept by their DeletionPolicy (delete them yourself when you no longer need their data):")
            print(
                table(
                    ["Logical ID", "Type", "Physical ID"],
                    [[e["LogicalResourceId"], e["ResourceType"], e.get("PhysicalResourceId", "")] for e in kept],
                )
            )
        return 0
    outputs = deploy(args, clients, target.region)
    if args.diff:
        return 0
    print_outputs(outputs, args.outputs_file)
    if args.local:
        print(json.dumps(upload_sample(clients, outputs), indent=2, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    try:
        region = region_of(args)
    except ProfileNotFound as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    problem = stack_name_problem(args.stack_name, region)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    if args.destroy:
        answer = confirmed(args)
        if answer is None:
            print(
                f"error: refusing to delete stack {args.stack_name} without confirmation: "
                "no terminal to ask; pass --yes",
                file=sys.stderr,
            )
            return 2
        if not answer:
            print("Not deleted.")
            return 1
    where = f"endpoint {args.endpoint}" if args.endpoint else "AWS"
    try:
        if args.local:
            with running(tls=True) as endpoint:
                print(f"Local cloud running at {endpoint}")
                return run(args, Target(region, endpoint, ca_bundle=endpoint.ca_bundle))
        return run(args, Target(region, args.endpoint, args.profile))
    except DeploymentFailed as error:
        print(f"error: deployment of {args.stack_name} failed: {error}", file=sys.stderr)
    except EndpointConnectionError as error:
        print(f"error: cannot reach {where} ({error}). Is it running, and is the URL right?", file=sys.stderr)
    except NoCredentialsError:
        print(
            "error: no AWS credentials found. Run `aws configure`, set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, or pass --profile; for LocalStack pass --endpoint.",
            file=sys.stderr,
        )
    except KeyboardInterrupt:
        print(
            f"\nInterrupted. CloudFormation goes on with stack {args.stack_name}; follow it with "
            f"`aws cloudformation describe-stack-events --stack-name {args.stack_name}` or run this command again.",
            file=sys.stderr,
        )
    except (ClientError, BotoCoreError) as error:
        print(f"error: {where} refused the request: {error}", file=sys.stderr)
    return 1
