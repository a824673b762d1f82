"""localcloud/server.py: the command refuses a port in use with a message, and running() reports
a server that dies at start with its output."""

from __future__ import annotations

import pytest


def test_the_command_refuses_a_port_in_use_with_a_message():
    import socket
    import subprocess
    import sys

    from tests.conftest import PROJECT_ROOT

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "scripts/localcloud.py", "--port", str(port)],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr and "Traceback" not in result.stderr


def test_a_server_that_dies_at_start_is_reported_with_its_output():
    import socket

    from localcloud import server as localcloud

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(RuntimeError, match="(?s)the local cloud did not start.*cannot serve on"):
            with localcloud.running(port=taken.getsockname()[1]):
                pass
