"""`python scripts/deploy.py`: the deploy command, deployment.cli's main (installed as
uploadtrail-deploy; `uploadtrail deploy|diff|destroy` is the same). Python puts this script's
folder first on the import path, where scripts/localcloud.py would shadow the localcloud package,
so it hands over to a `python -P` (which leaves that folder out) that runs deployment.cli."""

import os
import sys

RUN = "import sys; from deployment.cli import main; sys.exit(main(prog='python scripts/deploy.py'))"

if __name__ == "__main__":
    os.execv(sys.executable, [sys.executable, "-P", "-c", RUN, *sys.argv[1:]])
