"""`python scripts/deploy.py`: the deploy command, deployment.cli's main (installed as
uploadtrail-deploy). Python puts this script's folder first on the import path, where
scripts/localcloud.py would shadow the localcloud package, so it hands over to
`python -P -m deployment`, which leaves that folder out."""

import os
import sys

if __name__ == "__main__":
    os.execv(sys.executable, [sys.executable, "-P", "-m", "deployment", *sys.argv[1:]])
