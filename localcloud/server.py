"""The local cloud: moto's server plus the patches that let the real template and the real
function run end to end, without Docker.

    python scripts/localcloud.py [--host 127.0.0.1] [--port 4566] [--allow-remote] [--tls]
                                 [--retry-delay 1] [--redeliver 0] [--alarm-period-scale 1]
                                                                  (or: uploadtrail-localcloud)

serves until SIGINT or SIGTERM and prints one line with the endpoint once it accepts requests (with
--tls, first the self-signed certificate's file, which clients trust with AWS_CA_BUNDLE). On stop
it lets queued asynchronous invocations finish for a few seconds, reports those that could not, and
says what state is lost (it is all in memory). It serves loopback addresses only, unless
--allow-remote, and refuses what localcloud.request_guard refuses (foreign Origin or Host names,
unknown regions). From Python, `with running(): ...` starts one on a free port and yields its endpoint.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import math
import os
import queue
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from localcloud import info_path, request_guard

READY = "local cloud ready at "
CERTIFICATE = "local cloud certificate at "


class Endpoint(str):
    """The local cloud's URL; ca_bundle is the certificate file its clients trust (None over HTTP)."""

    ca_bundle: str | None = None


# How running() starts a server: this interpreter serving the local cloud's command line (the
# test suite starts one that also records S3 events).
SERVER_COMMAND = (sys.executable, "-P", "-m", "localcloud")
# Seconds that queued asynchronous invocations get to finish when the server stops.
DRAIN_SECONDS = 5.0


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def serve(
    host: str,
    port: int,
    retry_delay: float = 1.0,
    ready=print,
    tls: bool = False,
    record_event: Callable[[dict], None] | None = None,
    allow_remote: bool = False,
    redeliver: float = 0.0,
    alarm_period_scale: float = 1.0,
) -> None:
    """Run the server in this process until SIGINT or SIGTERM; with tls, HTTPS beside HTTP on the
    same port, with a new self-signed certificate (its file printed before the ready line); every S3
    event sent goes to record_event too, when given; a non-loopback host is served only with
    allow_remote; redeliver is the fraction of asynchronous events delivered a second time; alarm_period_scale
    compresses CloudWatch's minute and alarm periods. The process is to end when it returns."""
    import logging

    from localcloud.cloudformation import model_imports

    # What the start makes (moto's modules, models and patches) lives until exit: no collection
    # sweeps it while it is made, and it is frozen out of every later one once made.
    gc.disable()
    model_imports.import_cloudformation()  # before the modules below import moto's CloudFormation
    from localcloud import memory_state, startup
    from localcloud.cloud import Options
    from localcloud.https_server import EitherSchemeServer

    with tempfile.TemporaryDirectory(prefix="uploadtrail-localcloud-") as folder:
        context, certificate = None, None
        if tls:
            from localcloud import tls_certificate  # cryptography loads only for TLS

            certificate, key = tls_certificate.write_certificate(Path(folder), host)
            context = tls_certificate.server_context(certificate, key)
        with socket.socket() as probe:  # werkzeug would exit on a bind error, with a message of its own
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server: TIME_WAIT is no bar
            probe.bind((host, port))
        server = EitherSchemeServer(host, port, context)
        server.app = request_guard.guard(info_path.answering(server.app), allow_remote, host)
        endpoint = (
            f"{'https' if tls else 'http'}://{host}:{server.server_port}"  # the port given, or the one found for 0
        )
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
        options = Options(
            retry_delay, str(certificate) if certificate else None, record_event, redeliver, alarm_period_scale
        )
        cloud = startup.start(endpoint, options)
        gc.freeze()
        gc.enable()
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
            # The server keeps serving while the queue drains (the handlers call it), and until the
            # process exits: its thread is a daemon, and shutdown() would wait for a poll.
            for job in cloud.close(DRAIN_SECONDS):
                print(undelivered(job), file=sys.stderr)
            print(memory_state.lost_on_stop(), file=sys.stderr)
    # The process ends next: its exit handlers (coverage's too) still run, but the interpreter's
    # final garbage collection of moto's whole object graph (most of a second) is skipped.
    gc.freeze()


def undelivered(job) -> str:
    """The stop message's line for an asynchronous invocation not delivered: its request id,
    function and attempts, and the bucket and key of each object of an S3 event."""
    from localcloud.s3 import events  # moto loads only in the server

    objects = events.objects_named(job.event)
    about = f" for {', '.join(objects)}" if objects else ""
    return (
        f"not delivered at shutdown: asynchronous invocation {job.request_id} of {job.function}{about} "
        f"({job.attempts} attempt(s) made)"
    )


class Starting:
    """A local cloud started in a child process (options as on the command line; tls serves HTTPS
    too), its URL known at once: ready() waits for it and gives its Endpoint, stop() ends it (also
    on leaving a with block). A host that is not a loopback address is a ValueError unless
    allow_remote."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int | None = None,
        startup_timeout: float = 60,
        retry_delay: float = 1.0,
        tls: bool = False,
        allow_remote: bool = False,
        redeliver: float = 0.0,
        alarm_period_scale: float = 1.0,
    ):
        if not (allow_remote or request_guard.is_loopback_name(host)):
            raise ValueError(request_guard.not_loopback(host))
        port = port or free_port(host)
        self.url = f"{'https' if tls else 'http'}://{host}:{port}"
        self.startup_timeout = startup_timeout
        self.endpoint: Endpoint | None = None
        command = [*SERVER_COMMAND, "--host", host, "--port", str(port)]
        command += ["--retry-delay", str(retry_delay), *(["--tls"] if tls else [])]
        command += ["--allow-remote"] if allow_remote else []
        command += ["--redeliver", str(redeliver), "--alarm-period-scale", str(alarm_period_scale)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
        )
        self.startup: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=relay, args=(self.process.stdout, self.startup), daemon=True).start()

    def ready(self) -> Endpoint:
        """The endpoint, once the server accepts requests (RuntimeError with its output if it does not)."""
        if self.endpoint is None:
            self.endpoint = wait_until_ready(self.process, self.startup, self.startup_timeout)
        return self.endpoint

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(DRAIN_SECONDS + 10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __enter__(self) -> Starting:
        return self

    def __exit__(self, *exception) -> None:
        self.stop()


@contextlib.contextmanager
def running(**options: Any) -> Iterator[Endpoint]:
    """Start the local cloud in a child process (Starting's options, by name); yield its Endpoint
    once it is ready; stop it on exit."""
    with Starting(**options) as cloud:
        yield cloud.ready()


def relay(stream, startup: queue.Queue) -> None:
    """Hand the server's lines to start-up until it is ready (None at its end), then copy what
    it prints (errors and reports only) to this process's stderr."""
    ready = False
    with stream:
        for line in stream:
            if ready:
                sys.stderr.write(f"[local cloud] {line}")
            else:
                startup.put(line)
                ready = line.startswith(READY)
    if not ready:
        startup.put(None)


def wait_until_ready(process: subprocess.Popen, startup: queue.Queue, timeout: float) -> Endpoint:
    """The endpoint the child prints when ready (with the certificate it printed before, if any);
    its last lines in the error when it dies first or is not ready by the deadline."""
    deadline = time.monotonic() + timeout
    output: deque[str] = deque(maxlen=30)
    ca_bundle = None
    while True:
        try:
            line = startup.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            problem = f"was not ready within {timeout:g} s"
            break
        if line is None:
            try:
                status = process.wait(max(0.0, deadline - time.monotonic()))
                problem = f"exited with status {status} before it was ready"
            except subprocess.TimeoutExpired:
                problem = "closed its output before it was ready"
            break
        if line.startswith(CERTIFICATE):
            ca_bundle = line[len(CERTIFICATE) :].strip()
        elif line.startswith(READY):
            endpoint = Endpoint(line[len(READY) :].strip())
            endpoint.ca_bundle = ca_bundle
            return endpoint
        elif line.strip():
            output.append(line)
    raise RuntimeError(f"the local cloud did not start: it {problem}. Its output:\n" + "".join(output))


def number(accepts: Callable[[float], bool], refusal: str) -> Callable[[str], float]:
    """An argparse type: the option's number, refused with refusal (its {text}: what was given)
    when it is not a number or accepts(number) is false."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not accepts(value):
            raise argparse.ArgumentTypeError(refusal.format(text=repr(text)))
        return value

    return parse


non_negative_seconds = number(lambda value: 0 <= value < math.inf, "{text} is not a number of seconds (0 or more)")
fraction = number(lambda value: 0 <= value <= 1, "{text} is not a fraction: give a number from 0 to 1, such as 0.5")
scale = number(
    lambda value: 0 < value < math.inf,
    "{text} is not a scale: give a number above 0, such as 0.05 (a 60 s alarm period every 3 s)",
)


def main(argv: list[str] | None = None, record_event: Callable[[dict], None] | None = None) -> int:
    """The command line; record_event (for the test suite) receives every S3 event sent."""
    parser = argparse.ArgumentParser(prog="python scripts/localcloud.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=4566, help="port to listen on (default 4566, as LocalStack)")
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host that is not a loopback address: anyone who can reach the port can then run code on "
        "this machine",
    )
    parser.add_argument(
        "--tls",
        action="store_true",
        help="serve HTTPS beside HTTP on the same port with a new self-signed certificate, whose file is printed "
        "(trust it with AWS_CA_BUNDLE); bucket policies' aws:SecureTransport and s3:TlsVersion are then enforced",
    )
    parser.add_argument(
        "--retry-delay",
        type=non_negative_seconds,
        default=1.0,
        metavar="SECONDS",
        help="back-off before retrying a failed asynchronous invocation, doubled for the second retry "
        "(default 1; AWS waits about one minute, then two)",
    )
    parser.add_argument(
        "--redeliver",
        type=fraction,
        default=0.0,
        metavar="FRACTION",
        help="deliver this fraction of asynchronous events a second time, as Lambda's at-least-once queue may: "
        "every 1/FRACTION-th event, its duplicate alternately at once and after the first attempt, with a request "
        "id of its own (default 0: each event once; 1: every event twice)",
    )
    parser.add_argument(
        "--alarm-period-scale",
        type=scale,
        default=1.0,
        metavar="FACTOR",
        help="compress CloudWatch's time for tests: alarm periods and the minute at which SQS publishes its metrics "
        "and alarms are evaluated last FACTOR times as long (default 1; 0.05 evaluates a 60 s period every 3 s)",
    )
    args = parser.parse_args(argv)
    if not request_guard.is_loopback_name(args.host):
        if not args.allow_remote:
            parser.error(request_guard.not_loopback(args.host))
        print(request_guard.remote_warning(args.host, args.port), file=sys.stderr, flush=True)
    try:
        serve(
            args.host,
            args.port,
            args.retry_delay,
            tls=args.tls,
            record_event=record_event,
            allow_remote=args.allow_remote,
            redeliver=args.redeliver,
            alarm_period_scale=args.alarm_period_scale,
        )
    except OSError as error:
        print(f"error: cannot serve on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    return 0
