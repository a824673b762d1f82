"""Runs deployed Lambda packages for the local cloud: warm worker processes per function and code
version, one invocation at a time each, as many at once as invocations arrive, the first one
prepared as soon as the version exists; a worker that timed out or crashed is stopped and never
used again, a deleted function's are stopped. Each worker's stdout and stderr stream to the
function's log group as they are written.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from localcloud import LOCAL_CREDENTIALS
from localcloud.lambda_.worker import EVENT, FLUSHED, STARTED

# Seconds to wait for the last output of a worker that answered, timed out or died.
OUTPUT_GRACE = 2.0


def local_credentials() -> dict[str, str]:
    """The local cloud's own credentials, as environment variables."""
    return {name.upper(): value for name, value in LOCAL_CREDENTIALS.items()}


@dataclass(frozen=True)
class FunctionSpec:
    """What the runner needs of a function: its identity, code, handler and settings."""

    name: str
    arn: str
    region: str
    handler: str
    code: bytes
    environment: dict
    timeout: float
    memory: int
    log_group: str
    # Mints AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) for each new worker's
    # environment (each its own, as on Lambda); not part of the worker key.
    credentials: Callable[[], dict[str, str]] = local_credentials
    log_format: str = "Text"
    role: str = ""  # the execution role's ARN

    @property
    def key(self) -> str:
        """Changes whenever code, handler, environment, timeout, memory, log format, log group or
        execution role change: new workers then (with the new role's credentials)."""
        digest = hashlib.sha256(self.code)
        settings = [
            self.handler,
            self.environment,
            self.timeout,
            self.memory,
            self.log_format,
            self.log_group,
            self.role,
        ]
        digest.update(json.dumps(settings, sort_keys=True).encode())
        return f"{self.arn}:{digest.hexdigest()}"


def function_arn(key: str) -> str:
    """The function of a worker key (FunctionSpec.key)."""
    return key.rsplit(":", 1)[0]


@dataclass
class Invocation:
    """The outcome of one invocation: moto's (payload, errored, logs) and the request id."""

    payload: str
    errored: bool
    logs: str
    request_id: str

    @property
    def error_message(self) -> str:
        return str(json.loads(self.payload).get("errorMessage", "")) if self.errored else ""


# Where log lines go: (function, log stream name, lines).
LogSink = Callable[[FunctionSpec, str, list[str]], None]


def start_line(request_id: str) -> str:
    return f"START RequestId: {request_id} Version: $LATEST"


def split_marker(line: str) -> tuple[str, str, str]:
    """A line of a worker's output: what comes before a marker the worker wrote, the marker (EVENT,
    FLUSHED, STARTED or "") and what follows it."""
    for marker in (EVENT, FLUSHED, STARTED):
        before, found, rest = line.partition(marker)
        if found:
            return before, marker, rest
    return line, "", ""


class OutputReader:
    """Reads a worker's stdout and stderr (one pipe) in a thread and hands each line (or framed
    event) on as it arrives, an invocation's START line where the worker marks its start (after
    the handler's initialisation); notes the markers the worker writes for each invocation."""

    def __init__(self, fd: int, write: Callable[[str], None]):
        self.write = write
        self.changed = threading.Condition()
        self.marked: dict[str, set[str]] = {FLUSHED: set(), STARTED: set()}
        self.closed = False
        self.thread = threading.Thread(target=self.read, args=(fd,), name="worker-output", daemon=True)
        self.thread.start()

    def read(self, fd: int) -> None:
        with os.fdopen(fd, "rb") as pipe:
            for raw in pipe:
                before, marker, rest = split_marker(raw.decode("utf-8", "replace").rstrip("\n"))
                if before or not marker:
                    self.write(before)
                if marker == EVENT:
                    self.write(json.loads(rest))
                elif marker:
                    if marker == STARTED:
                        self.write(start_line(rest))
                    with self.changed:
                        self.marked[marker].add(rest)
                        self.changed.notify_all()
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    def wait_flushed(self, request_id: str) -> None:
        """Until the output of this invocation has all been handed on (or the pipe closed); its
        markers are forgotten then."""
        with self.changed:
            self.changed.wait_for(lambda: request_id in self.marked[FLUSHED] or self.closed, OUTPUT_GRACE)
            for seen in self.marked.values():
                seen.discard(request_id)

    def wait_closed(self) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.closed, OUTPUT_GRACE)

    def started(self, request_id: str) -> bool:
        """Whether the worker marked this invocation's start."""
        with self.changed:
            return request_id in self.marked[STARTED]


def max_memory_used(process: subprocess.Popen) -> str:
    """A REPORT line's Max Memory Used: the worker's peak resident memory (Linux's VmHWM), or
    nothing where the system does not tell, or the worker is gone."""
    try:
        if process.poll() is not None:
            return ""
        status = Path(f"/proc/{process.pid}/status").read_text()
    except OSError:
        return ""
    peak = re.search(r"^VmHWM:\s+(\d+) kB$", status, re.MULTILINE)
    return f"\tMax Memory Used: {math.ceil(int(peak.group(1)) / 1024)} MB" if peak else ""


class Worker:
    """One warm process running one function's handler: requests and answers on pipes of their
    own, stdout and stderr streamed to the log."""

    def __init__(self, spec: FunctionSpec, code_dir: Path, endpoint: str, sink: LogSink, ca_bundle: str | None = None):
        self.spec = spec
        self.sink = sink
        self.log_stream = f"{datetime.now(UTC):%Y/%m/%d}/[$LATEST]{uuid.uuid4().hex}"
        self.lines: list[str] = []
        self.lock = threading.Lock()
        self.pending = b""
        self.stopped = False
        environment = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "MOTO_"))}
        environment.update(spec.credentials())
        if ca_bundle:
            environment["AWS_CA_BUNDLE"] = ca_bundle
        environment.update(
            {
                "AWS_ENDPOINT_URL": endpoint,
                "AWS_REGION": spec.region,
                "AWS_DEFAULT_REGION": spec.region,
                "AWS_LAMBDA_FUNCTION_NAME": spec.name,
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory),
                "AWS_LAMBDA_FUNCTION_TIMEOUT": str(spec.timeout),
                "AWS_LAMBDA_LOG_GROUP_NAME": spec.log_group,
                "AWS_LAMBDA_LOG_FORMAT": spec.log_format,
                "AWS_LAMBDA_LOG_STREAM_NAME": self.log_stream,
                "UPLOADTRAIL_FUNCTION_ARN": spec.arn,
                "PYTHONUNBUFFERED": "1",
                "PYTHONDONTWRITEBYTECODE": "1",
                "PYTHONPATH": str(code_dir),
                "LAMBDA_TASK_ROOT": str(code_dir),
            }
        )
        environment.update({k: str(v) for k, v in spec.environment.items()})
        request_read, request_write = os.pipe()
        self.answers, answer_write = os.pipe()
        output_read, output_write = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-P", "-m", "localcloud.lambda_.worker"]
                + [spec.handler, str(request_read), str(answer_write)],
                cwd=code_dir,
                stdin=subprocess.DEVNULL,
                stdout=output_write,
                stderr=output_write,
                pass_fds=(request_read, answer_write),
                env=environment,
                start_new_session=True,
            )
        finally:
            for fd in (request_read, answer_write, output_write):
                os.close(fd)
        self.requests = os.fdopen(request_write, "wb")
        self.output = OutputReader(output_read, self.log)

    def log(self, line: str) -> None:
        with self.lock:
            self.lines.append(line)
            self.sink(self.spec, self.log_stream, [line])

    def alive(self) -> bool:
        return self.process.poll() is None

    def invoke(self, event, request_id: str) -> Invocation:
        """Send one event and wait for its answer until the function's timeout."""
        started = time.monotonic()
        with self.lock:
            self.lines = []
        request = {"requestId": request_id, "deadline": time.time() + self.spec.timeout, "event": event}
        try:
            self.requests.write(json.dumps(request).encode() + b"\n")
            self.requests.flush()
            answer = self.read_answer(started + self.spec.timeout)
        except (OSError, ValueError):  # the worker exited, or is being stopped
            answer = b""
        if answer:
            self.output.wait_flushed(request_id)
            result = json.loads(answer)
            errored = "error" in result
            payload = json.dumps(result["error"] if errored else result["payload"])
        else:
            if answer is None:
                reason = ("Sandbox.Timedout", f"Task timed out after {self.spec.timeout:.2f} seconds")
            else:
                reason = ("Runtime.ExitError", f"Runtime exited with error: exit status {self.exit_status()}")
            self.stop()
            self.output.wait_closed()
            if not self.output.started(request_id):  # it ended before it began this invocation
                self.log(start_line(request_id))
            errored = True
            error = {"errorType": reason[0], "errorMessage": f"RequestId: {request_id} Error: {reason[1]}"}
            payload = json.dumps(error)
            stamp = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
            self.log(f"{stamp} {request_id} {reason[1]}")
        duration = (time.monotonic() - started) * 1000
        self.log(f"END RequestId: {request_id}")
        self.log(
            f"REPORT RequestId: {request_id}\tDuration: {duration:.2f} ms\tBilled Duration: {math.ceil(duration)} ms"
            f"\tMemory Size: {self.spec.memory} MB{max_memory_used(self.process)}"
        )
        with self.lock:
            logs = "".join(line + "\n" for line in self.lines)
        return Invocation(payload, errored, logs, request_id)

    def read_answer(self, deadline: float) -> bytes | None:
        """The worker's answer line; b"" when it exited first, None at the deadline."""
        while b"\n" not in self.pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.answers], [], [], remaining)[0]:
                return None
            chunk = os.read(self.answers, 1 << 16)
            if not chunk:
                return b""
            self.pending += chunk
        line, _, self.pending = self.pending.partition(b"\n")
        return line

    def exit_status(self) -> int | None:
        """The exit status of a worker whose answer pipe closed (it is exiting or has exited)."""
        try:
            return self.process.wait(OUTPUT_GRACE)
        except subprocess.TimeoutExpired:
            return None

    def finish(self) -> None:
        """Close the worker's requests: it exits once its current invocation is done."""
        try:
            self.requests.close()
        except OSError:
            pass

    def stop(self, grace: float = 0.0) -> None:
        """End the worker (once): close its requests and wait up to `grace` seconds for it to
        exit, then kill its whole process group (child processes included)."""
        with self.lock:
            if self.stopped:
                return
            self.stopped = True
        self.finish()
        if grace:
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        os.close(self.answers)


class LambdaRunner:
    """Idle workers by function and code version; unpacked code in one temporary folder."""

    def __init__(self, endpoint: str, sink: LogSink, ca_bundle: str | None = None):
        self.endpoint = endpoint
        self.sink = sink
        self.ca_bundle = ca_bundle
        self.folder = tempfile.TemporaryDirectory(prefix="uploadtrail-lambda-")
        self.idle: dict[str, list[Worker]] = {}
        self.busy: set[Worker] = set()
        self.latest: dict[str, str] = {}
        self.lock = threading.Lock()
        self.closed = False

    def current(self, spec: FunctionSpec) -> Path:
        """Make spec its function's current version, stopping older versions' idle workers; the
        folder of its unpacked code. With the lock held."""
        self.latest[spec.arn] = spec.key
        for key in [k for k in self.idle if k != spec.key and function_arn(k) == spec.arn]:
            for worker in self.idle.pop(key):
                worker.stop()
        code_dir = Path(self.folder.name) / hashlib.sha256(spec.key.encode()).hexdigest()[:16]
        if not code_dir.exists():
            with zipfile.ZipFile(io.BytesIO(spec.code)) as archive:
                archive.extractall(code_dir)
        return code_dir

    def spawn(self, spec: FunctionSpec, code_dir: Path) -> Worker:
        return Worker(spec, code_dir, self.endpoint, self.sink, self.ca_bundle)

    def acquire(self, spec: FunctionSpec) -> Worker:
        """An idle worker of this code version, or a new one; older versions' idle workers stop."""
        with self.lock:
            if self.closed:
                raise RuntimeError("the local cloud is shutting down")
            code_dir = self.current(spec)
            idle = self.idle.get(spec.key, [])
            while idle:
                worker = idle.pop()
                if worker.alive():
                    self.busy.add(worker)
                    return worker
                worker.stop()
        worker = self.spawn(spec, code_dir)
        with self.lock:
            self.busy.add(worker)
        return worker

    def prepare(self, spec: FunctionSpec) -> None:
        """Start one idle worker of this code version unless it has one (idle or busy), so that a
        new or changed function's first invocation finds it started; older versions' idle workers
        stop. A package that is no zip gets none (its invocations fail as they would)."""
        with self.lock:
            if self.closed:
                return
            try:
                code_dir = self.current(spec)
            except zipfile.BadZipFile:
                return
            if self.idle.get(spec.key) or any(worker.spec.key == spec.key for worker in self.busy):
                return
        self.release(self.spawn(spec, code_dir))

    def retire(self, arn: str) -> None:
        """A deleted function's workers stop: the idle ones now, the busy ones once their invocation ends."""
        with self.lock:
            self.latest.pop(arn, None)
            idle = [worker for key in [k for k in self.idle if function_arn(k) == arn] for worker in self.idle.pop(key)]
        for worker in idle:
            worker.stop()

    def release(self, worker: Worker) -> None:
        """Back to (or into) the idle workers, unless it died, timed out, or its code is no longer
        current."""
        with self.lock:
            self.busy.discard(worker)
            if worker.alive() and not self.closed and self.latest.get(worker.spec.arn) == worker.spec.key:
                self.idle.setdefault(worker.spec.key, []).append(worker)
                return
        worker.stop()

    def invoke(self, spec: FunctionSpec, event, request_id: str | None = None) -> Invocation:
        """Run one invocation on an idle worker of the function, or a new one."""
        worker = self.acquire(spec)
        try:
            return worker.invoke(event, request_id or str(uuid.uuid4()))
        finally:
            self.release(worker)

    def close(self, grace: float = 2.0) -> None:
        """Stop every worker: all are told to finish at once, then given `grace` seconds together."""
        with self.lock:
            self.closed = True
            workers = [w for idle in self.idle.values() for w in idle] + list(self.busy)
            self.idle.clear()
        deadline = time.monotonic() + grace
        for worker in workers:
            worker.finish()
        for worker in workers:
            worker.stop(grace=max(0.0, deadline - time.monotonic()))
        self.folder.cleanup()
