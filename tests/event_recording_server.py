"""The local cloud as the test suite starts it: `python tests/event_recording_server.py FILE
[server options]` serves as `python -m localcloud` does and appends every S3 event it sends to
FILE, one JSON document per line (tests/conftest.py checks each against S3Model)."""

import json
import sys
import threading

from localcloud import server


def main(argv: list[str]) -> int:
    path, *options = argv
    lock = threading.Lock()

    def record(event: dict) -> None:
        with lock, open(path, "a", encoding="utf-8") as recorded:
            recorded.write(json.dumps(event) + "\n")

    return server.main(options, record_event=record)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
