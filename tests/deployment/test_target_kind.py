"""What the deploy tool names as its target: LocalStack by its info paths, the local cloud by its
own, anything else as an AWS-compatible endpoint; and the function architecture it deploys for."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import version

import pytest

from deployment.target_kind import function_architecture, target_kind
from localcloud import server as localcloud

LOCALSTACK_INFO = {"version": "4.14.0", "edition": "community", "is_license_activated": False}
LOCALSTACK_HEALTH = {"services": {"s3": "running"}, "edition": "community", "version": "4.14.0"}


def serving(answers: dict[str, tuple[int, bytes]]) -> Iterator[str]:
    """An HTTP server on a free port answering GET path with answers[path], 404 elsewhere."""

    class Answering(BaseHTTPRequestHandler):
        def do_GET(self):
            status, body = answers.get(self.path, (404, b"not found"))
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answering)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize(
    "answers",
    [
        {"/_localstack/info": (200, json.dumps(LOCALSTACK_INFO).encode())},
        {"/_localstack/health": (200, json.dumps(LOCALSTACK_HEALTH).encode())},
    ],
    ids=["info", "health only"],
)
def test_localstack_is_named_with_its_version_and_edition(answers):
    for url in serving(answers):
        kind = target_kind(url)
        assert kind.describe() == "Target: LocalStack 4.14.0 (community)"
        assert kind.is_localstack


@pytest.mark.parametrize(
    "answers",
    [{}, {"/_localstack/info": (200, b"<html>not json</html>")}, {"/_localstack/info": (200, b"[1, 2]")}],
    ids=["404 everywhere", "not JSON", "not an object"],
)
def test_an_endpoint_without_info_is_an_aws_compatible_endpoint(answers):
    for url in serving(answers):
        kind = target_kind(url)
        assert kind.describe() == "Target: AWS-compatible endpoint"
        assert not kind.is_localstack


def test_an_endpoint_that_does_not_speak_http_is_asked_once():
    """A server that answers garbage and closes: one connection, no traceback, no second path."""
    connections = []
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)

        def answer_garbage():
            connection, _ = listener.accept()
            connections.append(connection)
            connection.recv(4096)
            connection.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")
            connection.close()

        thread = threading.Thread(target=answer_garbage, daemon=True)
        thread.start()
        kind = target_kind(f"http://127.0.0.1:{listener.getsockname()[1]}")
        thread.join(timeout=30)
    assert kind.describe() == "Target: AWS-compatible endpoint"
    assert len(connections) == 1


def test_the_local_cloud_names_itself_through_its_own_path():
    with localcloud.running() as url:
        kind = target_kind(url)
    assert kind.describe() == f"Target: uploadtrail local cloud {version('moto')} (moto server)"
    assert not kind.is_localstack


@pytest.mark.parametrize(
    ("machine", "expected"),
    [("x86_64", "x86_64"), ("AMD64", "x86_64"), ("aarch64", "arm64"), ("arm64", "arm64")],
)
def test_on_localstack_the_function_is_built_for_the_machine(machine, expected):
    for url in serving({"/_localstack/info": (200, json.dumps(LOCALSTACK_INFO).encode())}):
        assert function_architecture(target_kind(url), None, machine) == expected


def test_architecture_given_wins_and_aws_stays_arm64():
    for url in serving({}):
        other = target_kind(url)
    assert function_architecture(other, None, "x86_64") == "arm64"
    assert function_architecture(None, None, "x86_64") == "arm64"
    assert function_architecture(other, "x86_64", "aarch64") == "x86_64"
