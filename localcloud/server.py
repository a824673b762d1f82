"""The local cloud: moto's server plus the adapters that let the real template and the real
function run end to end, without Docker.

    python scripts/localcloud.py [--host 127.0.0.1] [--port 4566] [--tls]    (or: uploadtrail-localcloud)

serves until SIGINT or SIGTERM and prints one line with the endpoint once it accepts requests (with
--tls, first the self-signed certificate's file, which clients trust with AWS_CA_BUNDLE).
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
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

READY = "local cloud ready at "
CERTIFICATE = "local cloud certificate at "


class Endpoint(str):
    """The local cloud's URL; ca_bundle is the certificate file its clients trust (None over HTTP)."""

    ca_bundle: str | None = None


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def serve(host: str, port: int, ready=print, tls: bool = False) -> None:
    """Run the server in this process until SIGINT or SIGTERM; with tls, HTTPS beside HTTP on the
    same port, with a new self-signed certificate (its file printed before the ready line)."""
    import logging

    from localcloud import adapters
    from localcloud.https_server import EitherSchemeServer

    with tempfile.TemporaryDirectory(prefix="uploadtrail-localcloud-") as folder:
        context, certificate = None, None
        if tls:
            from localcloud import tls_certificate  # cryptography loads only for TLS

            certificate, key = tls_certificate.write_certificate(Path(folder), host)
            context = tls_certificate.server_context(certificate, key)
        with socket.socket() as probe:  # werkzeug would exit on a bind error, with a message of its own
            probe.bind((host, port))
        server = EitherSchemeServer(host, port, context)
        endpoint = f"{'https' if tls else 'http'}://{host}:{port}"
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
        runner = adapters.install(endpoint, str(certificate) if certificate else None)
        stop = threading.Event()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signal_number, lambda *_: stop.set())
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            if certificate:
                ready(f"{CERTIFICATE}{certificate}", flush=True)
            ready(f"{READY}{endpoint}", flush=True)
            stop.wait()
        finally:
            server.shutdown()
            server.server_close()
            runner.close()


@contextlib.contextmanager
def running(
    host: str = "127.0.0.1", port: int | None = None, startup_timeout: float = 60, tls: bool = False
) -> Iterator[Endpoint]:
    """Start the local cloud in a child process (serving HTTPS too with tls); yield its Endpoint;
    stop it on exit."""
    port = port or free_port(host)
    process = subprocess.Popen(
        [sys.executable, "-P", "-m", "localcloud", "--host", host, "--port", str(port), *(["--tls"] if tls else [])],
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


def wait_until_ready(process: subprocess.Popen, timeout: float) -> Endpoint:
    """The endpoint the child prints when ready; its output in the error when it dies first."""
    deadline = time.monotonic() + timeout
    lines: list[str] = []
    ca_bundle = None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith(CERTIFICATE):
            ca_bundle = line[len(CERTIFICATE) :].strip()
        if line.startswith(READY):
            threading.Thread(target=forward, args=(process.stdout,), daemon=True).start()
            endpoint = Endpoint(line[len(READY) :].strip())
            endpoint.ca_bundle = ca_bundle
            return endpoint
        if not line and process.poll() is not None:
            break
        if line:  # at end of output, before the child has exited, readline answers "" at once
            lines.append(line)
    raise RuntimeError("the local cloud did not start:\n" + "".join(lines[-30:]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python scripts/localcloud.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=4566, help="port to listen on (default 4566, as LocalStack)")
    parser.add_argument(
        "--tls",
        action="store_true",
        help="serve HTTPS beside HTTP on the same port with a new self-signed certificate, whose file is printed "
        "(trust it with AWS_CA_BUNDLE); bucket policies' aws:SecureTransport and s3:TlsVersion are then enforced",
    )
    args = parser.parse_args(argv)
    try:
        serve(args.host, args.port, tls=args.tls)
    except OSError as error:
        print(f"error: cannot serve on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    return 0
