"""`uploadtrail destroy`: delete the stack once confirmed (on a target that does not run custom
resources, emptying the dev upload bucket first), and list what it kept by its DeletionPolicy."""

from __future__ import annotations

import argparse

from deployment.commands.target import add_stack_command, endpoint_kind, opened
from deployment.function_package import build_packages
from deployment.progress import table
from deployment.reporter import Reporter
from deployment.workflow import Request, Run


def register(subcommands) -> None:
    destroy = add_stack_command(
        subcommands,
        "destroy",
        "delete the stack (asks first)",
        "Delete the uploadtrail stack, after showing who and where and asking first.",
    )
    destroy.add_argument("--yes", action="store_true", help="delete without asking")
    destroy.set_defaults(run=run)


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    with opened(args, reporter) as (target, clients):
        kind = endpoint_kind(args)
        request = Request(args.stack_name, yes=args.yes, endpoint=target.endpoint)
        kept = Run(request, clients, target.region, reporter, build_packages, kind).destroy()
    if kept is None:
        reporter.say(f"No stack named {args.stack_name}: nothing to delete.")
        return 0
    reporter.say(f"Stack {args.stack_name} deleted.")
    if kept:
        reporter.say("Kept by their DeletionPolicy (delete them yourself when you no longer need their data):")
        rows = [[e["LogicalResourceId"], e["ResourceType"], e.get("PhysicalResourceId", "")] for e in kept]
        reporter.say(table(["Logical ID", "Type", "Physical ID"], rows))
    return 0
