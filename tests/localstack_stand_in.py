"""A stand-in for LocalStack 4.14.0 in front of the local cloud: it answers GET /_localstack/info
and /_localstack/health as LocalStack's InfoResource and HealthResource do
(localstack-core/localstack/services/internal.py at v4.14.0) and passes every other request
through to the local cloud unchanged."""

from __future__ import annotations

import http.client
import json
import platform
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

VERSION = "4.14.0"
EDITION = "community"  # get_localstack_edition(): the image's .community-version file
SERVICES = ("cloudformation", "dynamodb", "iam", "lambda", "logs", "s3", "sns", "sqs", "sts", "kms", "cloudwatch")
# Headers of one connection, not of the request or answer itself.
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


def info(started: float) -> dict:
    """InfoResource.get_info_data(): the keys and kinds of value LocalStack 4.14.0 answers with."""
    return {
        "version": VERSION,
        "edition": EDITION,
        "is_license_activated": False,
        "session_id": str(uuid.uuid4()),
        "machine_id": f"dkr_{uuid.uuid4().hex[:12]}",
        "system": f"linux,{platform.release()},{platform.machine()}",
        "is_docker": True,
        "server_time_utc": datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
        "uptime": int(time.time() - started),
    }


def health() -> dict:
    """HealthResource.on_get(): the service states, then edition and version."""
    return {"services": dict.fromkeys(SERVICES, "available"), "edition": EDITION, "version": VERSION}


def handler_for(upstream: str, started: float) -> type[BaseHTTPRequestHandler]:
    target = urlsplit(upstream)

    class StandIn(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args) -> None:
            pass

        def answer_json(self, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                chunks = []
                while size := int(self.rfile.readline().split(b";")[0], 16):
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def forward(self) -> None:
            data = self.body()
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            headers["Content-Length"] = str(len(data))
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
            try:
                connection.request(self.command, self.path, body=data, headers=headers)
                answer = connection.getresponse()
                payload = answer.read()
            finally:
                connection.close()
            self.send_response(answer.status, answer.reason)
            for key, value in answer.getheaders():
                if key.lower() not in HOP_BY_HOP | {"content-length"}:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path == "/_localstack/info":
                self.answer_json(info(started))
            elif path == "/_localstack/health":
                self.answer_json(health())
            else:
                self.forward()

        do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = forward

    return StandIn


@contextmanager
def localstack_stand_in(upstream: str) -> Iterator[str]:
    """Serve the stand-in on a loopback port the system picks; yield its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(upstream, time.time()))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
