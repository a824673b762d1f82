"""`uploadtrail deploy` (package, upload, create or update the stack with a change set, and show
its outputs) and `uploadtrail diff` (the change set, its security diff and what cannot be undone,
then nothing)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from deployment.commands.target import add_stack_command, endpoint_kind, opened
from deployment.function_package import build_packages
from deployment.messages import MACHINE_ARCHITECTURE
from deployment.phases import Phase
from deployment.progress import table
from deployment.reporter import Reporter
from deployment.sample import upload_sample
from deployment.target_kind import function_architecture
from deployment.workflow import Request, Run
from generator.config import PROFILES
from generator.function import ARCHITECTURES


def add_change_options(parser: argparse.ArgumentParser) -> None:
    """The options of a change set: what it deploys and when it may start."""
    parser.add_argument(
        "--template-profile",
        choices=sorted(PROFILES),
        help="template profile: dev (everything destroyed with the stack) or prod (data retained, KMS, logs); "
        "default: the stack's own, dev for a new stack. Changing a stack's profile needs approval",
    )
    parser.add_argument(
        "--reserved-concurrency",
        type=concurrency,
        metavar="N",
        help="reserved concurrent executions of the logger (0: unreserved; default: the profile's)",
    )
    parser.add_argument(
        "--architecture",
        choices=ARCHITECTURES,
        help="the functions' instruction set (default: arm64; on LocalStack, this machine's)",
    )
    parser.add_argument(
        "--alarm-email",
        metavar="ADDRESS",
        help="e-mail address the alarms notify (the template's AlarmEmail; SNS mails it a confirmation link first); "
        'default: the stack\'s own, none for a new stack; "" removes the subscription',
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


def add_deploy_options(parser: argparse.ArgumentParser) -> None:
    """What a deploy takes beyond a diff's options."""
    parser.add_argument(
        "--outputs-file",
        type=Path,
        metavar="FILE",
        help="write the stack outputs to FILE as JSON {OutputKey: value} (folders are created)",
    )
    parser.add_argument(
        "--yes", action="store_true", help="approve without asking: a destroy, or a change that cannot be undone"
    )
    parser.add_argument(
        "--continue-rollback",
        action="store_true",
        help="continue the rollback of a stack in UPDATE_ROLLBACK_FAILED (continue-update-rollback), then deploy",
    )


def register(subcommands) -> None:
    deploy = add_stack_command(
        subcommands,
        "deploy",
        "package the function, upload it, and create or update the stack",
        "Package the function, upload it, and create or update the uploadtrail stack.",
        local=True,
    )
    add_change_options(deploy)
    add_deploy_options(deploy)
    deploy.set_defaults(run=run, diff=False)
    diff = add_stack_command(
        subcommands,
        "diff",
        "show the change set, its security changes and what cannot be undone; change nothing",
        "Create the change set, show it, its security changes and what cannot be undone, and delete it: no stack "
        "changes.",
    )
    add_change_options(diff)
    diff.set_defaults(run=run, diff=True, yes=False, continue_rollback=False, outputs_file=None)


def concurrency(text: str) -> int:
    """--reserved-concurrency's value: a whole number, 0 or more."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r}: --reserved-concurrency must be 0 or more")
    return int(text)


def request_of(args: argparse.Namespace, endpoint: str | None, architecture: str) -> Request:
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
        architecture=architecture,
        alarm_email=args.alarm_email,
    )


def report_outputs(outputs: dict[str, str], outputs_file: Path | None, reporter: Reporter) -> None:
    if outputs:
        reporter.say(table(["Output", "Value"], [[k, v] for k, v in sorted(outputs.items())]))
    if outputs_file:
        outputs_file.parent.mkdir(parents=True, exist_ok=True)
        outputs_file.write_text(json.dumps(outputs, indent=2, sort_keys=True) + "\n")
        reporter.say(f"Outputs written to {outputs_file}")


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    with opened(args, reporter) as (target, clients):
        kind = endpoint_kind(args)
        if kind:
            reporter.say(kind.describe())
        architecture = function_architecture(kind, args.architecture)
        if kind and kind.is_localstack and not args.architecture:
            reporter.say(MACHINE_ARCHITECTURE.format(architecture=architecture))
        request = request_of(args, target.endpoint, architecture)
        outputs = Run(request, clients, target.region, reporter, build_packages, kind).deploy()
        if outputs is None:
            return 0
        report_outputs(outputs, args.outputs_file, reporter)
        if args.local:
            reporter.enter(Phase.SAMPLE, args.stack_name)
            reporter.say(json.dumps(upload_sample(clients, outputs, reporter), indent=2, ensure_ascii=False))
    return 0
