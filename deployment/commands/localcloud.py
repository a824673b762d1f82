"""`uploadtrail localcloud [server options]`: the local cloud's server, as
`python scripts/localcloud.py` runs it (its options and help are the server's own)."""

from __future__ import annotations

import argparse

from localcloud import server


def register(subcommands) -> None:
    parser = subcommands.add_parser(
        "localcloud",
        help="serve the local cloud until Ctrl-C (`uploadtrail localcloud --help` for its options)",
        add_help=False,
    )
    parser.set_defaults(run=run, passes_on=True)


def run(args: argparse.Namespace, rest: list[str]) -> int:
    return server.main(rest)
