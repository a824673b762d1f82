"""`uploadtrail COMMAND [options]`: the console command, its sub-commands registered by their
modules (deployment/commands/__init__.py lists them)."""

from __future__ import annotations

import argparse

from deployment.commands import COMMANDS
from deployment.commands.runner import run_command
from deployment.messages import EXIT_CODES


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="uploadtrail",
        description="Deploy, inspect and tear down the uploadtrail stack, or serve the local cloud.",
        epilog=EXIT_CODES,
    )
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(subcommands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if getattr(args, "passes_on", False):
        return args.run(args, rest)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    return run_command(args.run, args)
