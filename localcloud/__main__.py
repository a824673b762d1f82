"""`python -m localcloud`: serve the local cloud (see localcloud.server)."""

import sys

from localcloud.server import main

sys.exit(main())
