"""Deploy uploadtrail: package the function, upload it, create or update the stack with a change
set, stream its progress and print its outputs; or tear it down.

    python scripts/deploy.py --local                  # embedded local cloud, sample upload
    python scripts/deploy.py --endpoint URL           # LocalStack or another AWS-compatible API
    python scripts/deploy.py [--profile P] [--region R]               # real AWS
    python scripts/deploy.py --destroy [--yes] ...    # delete the stack
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    ProfileNotFound,
    TokenRetrievalError,
)

from deployment.approval import ask
from deployment.aws_clients import DEFAULT_REGION, Target, make_clients
from deployment.deployer import DeploymentFailed
from deployment.errors import Stopped
from deployment.function_package import PackageError, build_package
from deployment.progress import table
from deployment.sample import upload_sample
from deployment.workflow import Phase, Request, Run
from generator.config import PROFILES, stack_name_problem
from localcloud.server import running

EXIT_CODES = (
    "Exit codes: 0 success (also 'no changes' and --diff); 1 the deployment failed, was declined or "
    "interrupted, or a check or the stack's state stopped it before any change; 2 bad usage, or a change "
    "that needs approval (or a --destroy) with no terminal to ask and no --yes."
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


class RenamedFlag(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None):
        parser.error("--profile-name is now --template-profile (dev|prod); --profile stays the AWS credentials profile")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python scripts/deploy.py",
        description="Package the function, upload it, and create or update the uploadtrail stack.",
        epilog=EXIT_CODES,
        allow_abbrev=False,
    )
    parser.add_argument(
        "--stack-name",
        default="uploadtrail-dev",
        help="CloudFormation stack name (default uploadtrail-dev); it also names the upload bucket, "
        "see README 'Stack names'",
    )
    parser.add_argument(
        "--template-profile",
        choices=sorted(PROFILES),
        help="template profile: dev (everything destroyed with the stack) or prod (data retained, KMS, logs); "
        "default: the stack's own, dev for a new stack. Changing a stack's profile needs approval",
    )
    parser.add_argument("--profile-name", action=RenamedFlag, help=argparse.SUPPRESS)
    parser.add_argument("--profile", help="AWS credentials profile from ~/.aws/config (not the template profile)")
    parser.add_argument(
        "--region", help=f"AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's, else {DEFAULT_REGION})"
    )
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
        "--outputs-file",
        type=Path,
        metavar="FILE",
        help="write the stack outputs to FILE as JSON {OutputKey: value} (folders are created)",
    )
    parser.add_argument(
        "--diff",
        "--dry-run",
        action="store_true",
        help="create the change set, show it and its security changes, and delete it: no stack changes",
    )
    parser.add_argument("--destroy", action="store_true", help="delete the stack (asks for confirmation)")
    parser.add_argument(
        "--yes", action="store_true", help="approve without asking: a --destroy, or a change that cannot be undone"
    )
    parser.add_argument(
        "--reserved-concurrency",
        type=int,
        metavar="N",
        help="reserved concurrent executions of the logger (0: unreserved; default: the profile's)",
    )
    parser.add_argument(
        "--artifacts-bucket",
        metavar="NAME",
        help="your bucket for packages and large templates (default uploadtrail-artifacts-<account>-<region>, "
        "created on first use)",
    )
    parser.add_argument(
        "--no-wait",
        dest="wait",
        action="store_false",
        help="when the stack is busy (*_IN_PROGRESS), exit with the command to follow it instead of waiting",
    )
    parser.add_argument(
        "--continue-rollback",
        action="store_true",
        help="continue the rollback of a stack in UPDATE_ROLLBACK_FAILED (continue-update-rollback), then deploy",
    )
    args = parser.parse_args(argv)
    if args.destroy and (args.local or args.diff):
        parser.error("--destroy cannot be combined with --local or --diff")
    if args.reserved_concurrency is not None and args.reserved_concurrency < 0:
        parser.error("--reserved-concurrency must be 0 or more")
    return args


def region_of(args: argparse.Namespace) -> str:
    """--region, else AWS_REGION, else AWS_DEFAULT_REGION, else the credentials profile's (real AWS).
    A --profile that does not exist raises ProfileNotFound here, whatever else is given."""
    region = args.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if args.profile is None and (region or args.endpoint or args.local):
        return region or DEFAULT_REGION
    import boto3

    profile_region = boto3.session.Session(profile_name=args.profile).region_name
    return region or profile_region or DEFAULT_REGION


def print_outputs(outputs: dict[str, str], outputs_file: Path | None) -> None:
    if outputs:
        print(table(["Output", "Value"], [[k, v] for k, v in sorted(outputs.items())]))
    if outputs_file:
        outputs_file.parent.mkdir(parents=True, exist_ok=True)
        outputs_file.write_text(json.dumps(outputs, indent=2, sort_keys=True) + "\n")
        print(f"Outputs written to {outputs_file}")


def request_of(args: argparse.Namespace, endpoint: str | None) -> Request:
    """What the user asked, against endpoint (the local cloud's URL with --local)."""
    return Request(
        stack_name=args.stack_name,
        template_profile=args.template_profile,
        reserved_concurrency=args.reserved_concurrency,
        artifacts_bucket=args.artifacts_bucket,
        diff=args.diff,
        yes=args.yes,
        wait=args.wait,
        continue_rollback=args.continue_rollback,
        endpoint=endpoint,
    )


def run(args: argparse.Namespace, target: Target, phase: Phase) -> int:
    clients = make_clients(target)
    flow = Run(request_of(args, target.endpoint), clients, target.region, phase, build_package)
    if args.destroy:
        kept = flow.destroy()
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
    outputs = flow.deploy()
    if outputs is None:
        return 0
    print_outputs(outputs, args.outputs_file)
    if args.local:
        phase.now = "sample"
        print(json.dumps(upload_sample(clients, outputs), indent=2, ensure_ascii=False))
    return 0


def confirm_destroy(args: argparse.Namespace) -> int | None:
    """None to go on with --destroy, else the exit code."""
    answer = True if args.yes else ask(f"Delete stack {args.stack_name} and everything it holds?")
    if answer is None:
        print(
            f"error: refusing to delete stack {args.stack_name} without confirmation: no terminal to ask; pass --yes",
            file=sys.stderr,
        )
        return 2
    if not answer:
        print("Not deleted.")
        return 1
    return None


def credentials_message(code: str) -> str:
    state = "have expired" if "Expired" in code else "were refused"
    return (
        f"error: the AWS credentials {state} ({code}). Refresh them (`aws sso login`, `aws configure`, a new "
        "session token) or choose others with --profile; nothing was changed."
    )


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
        code = confirm_destroy(args)
        if code is not None:
            return code
    where = f"endpoint {args.endpoint}" if args.endpoint else "the local cloud" if args.local else "AWS"
    phase = Phase(args.stack_name)
    try:
        if args.local:
            with running(tls=True) as endpoint:
                print(f"Local cloud running at {endpoint}")
                return run(args, Target(region, endpoint, ca_bundle=endpoint.ca_bundle), phase)
        return run(args, Target(region, args.endpoint, args.profile), phase)
    except Stopped as stop:
        print(f"{'error: ' if stop.exit_code else ''}{stop}", file=sys.stderr if stop.exit_code else sys.stdout)
        return stop.exit_code
    except (DeploymentFailed, PackageError) as error:
        print(f"error: deployment of {args.stack_name} failed: {error}", file=sys.stderr)
    except EndpointConnectionError as error:
        print(f"error: cannot reach {where} ({error}). Is it running, and is the URL right?", file=sys.stderr)
    except NoCredentialsError:
        print(
            "error: no AWS credentials found. Run `aws configure`, set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, or pass --profile; for LocalStack pass --endpoint.",
            file=sys.stderr,
        )
    except TokenRetrievalError as error:
        print(
            f"error: the AWS credentials have expired ({error}). Run `aws sso login` or refresh them.", file=sys.stderr
        )
    except KeyboardInterrupt:
        print(f"\n{phase.interrupted()}", file=sys.stderr)
    except ClientError as error:
        code = error.response["Error"]["Code"]
        if code in CREDENTIAL_ERRORS:
            print(credentials_message(code), file=sys.stderr)
        else:
            print(f"error: {where} refused the request: {error}", file=sys.stderr)
    except BotoCoreError as error:
        print(f"error: {where} refused the request: {error}", file=sys.stderr)
    return 1
