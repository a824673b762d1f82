"""Runs a command and writes its wall time and peak memory (max RSS, bytes) to a file:
`python -S benchmarks/launcher.py REPORT COMMAND...`.

A process's max RSS includes the memory of the process it was forked from, until it execs; started
from this small interpreter (no site, a few modules) the command inherits about 8 MiB, not the
benchmark runner's tens of MiB. It imports nothing of the project for the same reason.
"""

import os
import sys
import time


def main(report: str, command: list[str]) -> int:
    start = time.perf_counter()
    pid = os.posix_spawnp(command[0], command, os.environ)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    with open(report, "w") as file:
        file.write(f"{elapsed} {usage.ru_maxrss * 1024}\n")
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
