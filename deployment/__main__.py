"""`python -m deployment`: the deploy command (see deployment.cli)."""

import sys

from deployment.cli import main

sys.exit(main())
