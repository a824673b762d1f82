"""Runs deployed Lambda packages for the local cloud: one warm worker process per function and
code version, fed one invocation at a time, stopped at the function's timeout, replaced on a crash.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path


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
    credentials: dict[str, str]  # AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN; not in the key
    log_format: str = "Text"

    @property
    def key(self) -> str:
        """Changes whenever code, handler, environment, timeout or log format change: a new
        worker then."""
        digest = hashlib.sha256(self.code)
        settings = [self.handler, self.environment, self.timeout, self.log_format]
        digest.update(json.dumps(settings, sort_keys=True).encode())
        return f"{self.arn}:{digest.hexdigest()}"


@dataclass
class Invocation:
    """The outcome of one invocation, in the shape moto's Lambda model returns."""

    payload: str
    errored: bool
    logs: str


class Worker:
    """One warm process running one function's handler."""

    def __init__(self, spec: FunctionSpec, code_dir: Path, endpoint: str, ca_bundle: str | None = None):
        self.spec = spec
        self.lock = threading.Lock()
        environment = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "MOTO_"))}
        environment.update(spec.credentials)
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
                "AWS_LAMBDA_LOG_STREAM_NAME": f"local/[$LATEST]{uuid.uuid4().hex}",
                "UPLOADTRAIL_FUNCTION_ARN": spec.arn,
                "PYTHONUNBUFFERED": "1",
                "PYTHONDONTWRITEBYTECODE": "1",
                "PYTHONPATH": str(code_dir),
                "LAMBDA_TASK_ROOT": str(code_dir),
            }
        )
        environment.update({k: str(v) for k, v in spec.environment.items()})
        self.process = subprocess.Popen(
            [sys.executable, "-P", "-m", "localcloud.lambda_worker", spec.handler],
            cwd=code_dir,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=environment,
            text=True,
            start_new_session=True,
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def invoke(self, event) -> Invocation:
        """Send one event and wait for its answer until the function's timeout."""
        request_id = str(uuid.uuid4())
        request = {"requestId": request_id, "deadline": time.time() + self.spec.timeout, "event": event}
        answer: list[str] = []
        reader = threading.Thread(target=lambda: answer.append(self.process.stdout.readline()), daemon=True)
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        except OSError:
            return self.failure(request_id, "Runtime.ExitError", "the worker process had exited")
        reader.start()
        reader.join(self.spec.timeout)
        if reader.is_alive():
            self.stop()
            return self.failure(request_id, "Sandbox.Timedout", f"Task timed out after {self.spec.timeout:.2f} seconds")
        if not answer or not answer[0]:
            output = self.stop()
            return self.failure(request_id, "Runtime.ExitError", "the worker process exited", output)
        result = json.loads(answer[0])
        logs = f"START RequestId: {request_id}\n{result['logs']}END RequestId: {request_id}\n"
        if "error" in result:
            return Invocation(json.dumps(result["error"]), True, logs)
        return Invocation(json.dumps(result["payload"]), False, logs)

    def failure(self, request_id: str, error_type: str, message: str, output: str = "") -> Invocation:
        payload = {"errorType": error_type, "errorMessage": f"RequestId: {request_id} Error: {message}"}
        logs = f"START RequestId: {request_id}\n{output}{payload['errorMessage']}\nEND RequestId: {request_id}\n"
        return Invocation(json.dumps(payload), True, logs)

    def stop(self, grace: float = 0.0) -> str:
        """End the worker: close its input and wait up to `grace` seconds for it to exit, then
        kill its whole process group; what it had printed that was not yet read."""
        if grace and self.alive():
            try:
                self.process.stdin.close()
                self.process.wait(grace)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self.alive():
            try:
                os.killpg(self.process.pid, 9)
            except ProcessLookupError:
                pass
        self.process.wait()
        output = self.process.stdout.read() if self.process.stdout else ""
        for stream in (self.process.stdin, self.process.stdout):
            if stream:
                try:
                    stream.close()
                except OSError:
                    pass
        return output or ""


class LambdaRunner:
    """Workers by function and code version; unpacked code in one temporary folder."""

    def __init__(self, endpoint: str, ca_bundle: str | None = None):
        self.endpoint = endpoint
        self.ca_bundle = ca_bundle
        self.folder = tempfile.TemporaryDirectory(prefix="uploadtrail-lambda-")
        self.workers: dict[str, Worker] = {}
        self.lock = threading.Lock()

    def worker_for(self, spec: FunctionSpec) -> Worker:
        with self.lock:
            worker = self.workers.get(spec.key)
            if worker is None or not worker.alive():
                for key in [k for k in self.workers if k.startswith(spec.arn + ":")]:
                    self.workers.pop(key).stop()
                code_dir = Path(self.folder.name) / hashlib.sha256(spec.key.encode()).hexdigest()[:16]
                if not code_dir.exists():
                    with zipfile.ZipFile(io.BytesIO(spec.code)) as archive:
                        archive.extractall(code_dir)
                worker = self.workers[spec.key] = Worker(spec, code_dir, self.endpoint, self.ca_bundle)
            return worker

    def invoke(self, spec: FunctionSpec, event) -> Invocation:
        """Run one invocation on the function's warm worker (one at a time per function)."""
        worker = self.worker_for(spec)
        with worker.lock:
            return worker.invoke(event)

    def close(self) -> None:
        with self.lock:
            for worker in self.workers.values():
                worker.stop(grace=2.0)
            self.workers.clear()
        self.folder.cleanup()
