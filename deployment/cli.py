"""The deploy command with today's flags (`python scripts/deploy.py`, `uploadtrail-deploy`):
`--diff` and `--destroy` choose `uploadtrail diff` and `uploadtrail destroy`, everything else is
`uploadtrail deploy`, with the same options and the same run functions.

    python scripts/deploy.py --local                  # embedded local cloud, sample upload
    python scripts/deploy.py --endpoint URL           # LocalStack or another AWS-compatible API
    python scripts/deploy.py [--profile P] [--region R]               # real AWS
    python scripts/deploy.py --destroy [--yes] ...    # delete the stack
"""

from __future__ import annotations

import argparse
import os
import sys

from deployment import local_start


class RenamedFlag(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None):
        parser.error("--profile-name is now --template-profile (dev|prod); --profile stays the AWS credentials profile")


def parse_arguments(argv: list[str] | None, prog: str | None = None) -> argparse.Namespace:
    # Imported here, not above: main() starts a --local cloud first, and these import boto3.
    from deployment.commands import deploy
    from deployment.commands.target import add_target_options
    from deployment.messages import EXIT_CODES

    parser = argparse.ArgumentParser(
        prog=prog or os.path.basename(sys.argv[0]),
        description="Package the function, upload it, and create or update the uploadtrail stack "
        "(the same as `uploadtrail deploy`, `uploadtrail diff` with --diff, `uploadtrail destroy` with --destroy).",
        epilog=EXIT_CODES,
        allow_abbrev=False,
    )
    add_target_options(parser, local=True)
    deploy.add_change_options(parser)
    deploy.add_deploy_options(parser)
    parser.add_argument("--profile-name", action=RenamedFlag, help=argparse.SUPPRESS)
    parser.add_argument(
        "--diff",
        "--dry-run",
        action="store_true",
        help="create the change set, show it and its security changes, and delete it: no stack changes",
    )
    parser.add_argument("--destroy", action="store_true", help="delete the stack (asks for confirmation)")
    args = parser.parse_args(argv)
    if args.destroy and (args.local or args.diff):
        parser.error("--destroy cannot be combined with --local or --diff")
    return args


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    with local_start.started_for(sys.argv[1:] if argv is None else argv) as local_cloud:
        args = parse_arguments(argv, prog)
        args.local_cloud = local_cloud
        from deployment.commands import deploy, destroy
        from deployment.commands.runner import run_command

        return run_command(destroy.run if args.destroy else deploy.run, args)
