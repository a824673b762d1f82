"""The local cloud: moto's server plus the adapters that let the real template and the real
function run end to end, without Docker.

    python scripts/localcloud.py [--host 127.0.0.1] [--port 4566]    (or: uploadtrail-localcloud)

serves until SIGINT or SIGTERM and prints one line with the endpoint once it accepts requests.
From Python, `with running(): ...` starts one on a free port and yields its endpoint.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

READY = "local cloud ready at "


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def serve(host: str, port: int, ready=print) -> None:
    """Run the server in this process until SIGINT or SIGTERM."""
    import logging

    from moto.server import ThreadedMotoServer

    from localcloud import adapters

    with socket.socket() as probe:  # moto's server thread would swallow a bind error
        probe.bind((host, port))
    endpoint = f"http://{host}:{port}"
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    runner = adapters.install(endpoint)
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    stop = threading.Event()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda *_: stop.set())
    server.start()
    try:
        ready(f"{READY}{endpoint}", flush=True)
        stop.wait()
    finally:
        server.stop()
        runner.close()


@contextlib.contextmanager
def running(host: str = "127.0.0.1", port: int | None = None, startup_timeout: float = 60) -> Iterator[str]:
    """Start the local cloud in a child process; yield its endpoint; stop it on exit."""
    port = port or free_port(host)
    process = subprocess.Popen(
        [sys.executable, "-P", "-m", "localcloud", "--host", host, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        endpoint = wait_until_ready(process, startup_timeout)
        yield endpoint
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        process.stdout.close()


def forward(stream) -> None:
    """Copy what the server prints after start-up (errors only) to this process's stderr."""
    for line in stream:
        sys.stderr.write(f"[local cloud] {line}")


def wait_until_ready(process: subprocess.Popen, timeout: float) -> str:
    """The endpoint the child prints when ready; its output in the error when it dies first."""
    deadline = time.monotonic() + timeout
    lines: list[str] = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith(READY):
            threading.Thread(target=forward, args=(process.stdout,), daemon=True).start()
            return line[len(READY) :].strip()
        if not line and process.poll() is not None:
            break
        lines.append(line)
    raise RuntimeError("the local cloud did not start:\n" + "".join(lines[-30:]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python scripts/localcloud.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=4566, help="port to listen on (default 4566, as LocalStack)")
    args = parser.parse_args(argv)
    try:
        serve(args.host, args.port)
    except OSError as error:
        print(f"error: cannot serve on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    return 0
