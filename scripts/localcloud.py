"""`python scripts/localcloud.py`: the local cloud, localcloud.server's main (installed as
uploadtrail-localcloud). Python puts this script's folder first on the import path, where this
file would shadow the localcloud package, so it hands over to `python -P -m localcloud`, which
leaves that folder out."""

import os
import sys

if __name__ == "__main__":
    os.execv(sys.executable, [sys.executable, "-P", "-m", "localcloud", *sys.argv[1:]])
