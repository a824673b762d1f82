"""`python -m deployment`: the deploy command with today's flags (see deployment.cli)."""

import sys

from deployment.cli import main

sys.exit(main(prog="python -m deployment"))
