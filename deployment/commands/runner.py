"""Runs a sub-command and ends it: whatever typed error stops it is worded, with its exit code,
by the one table in deployment/messages.py (a reader of the output that went away, as with `| head`,
ends it as an interruption does); the process's exit afterwards skips the final garbage collection."""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import sys
from collections.abc import Callable

from deployment.commands.target import situation
from deployment.messages import wording
from deployment.reporter import Reporter


def run_command(run: Callable[[argparse.Namespace, Reporter], int], args: argparse.Namespace) -> int:
    reporter = Reporter()
    # When the process exits after the command, the interpreter skips collecting what it leaves
    # (boto3's models, the template): exit handlers still run, gc.freeze() only spares the sweep.
    atexit.register(gc.freeze)
    try:
        return run(args, reporter)
    except (Exception, KeyboardInterrupt) as error:
        ending = wording(error)
        if ending is None:
            raise
        if isinstance(error, BrokenPipeError):
            # Nobody reads stdout any more: what is still written to it (also at exit) goes nowhere.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return reporter.ended(ending, error, situation(args, reporter))
