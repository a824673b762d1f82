"""localcloud/server.py: the command refuses a port in use and a retry delay that is not a number
of seconds with a message; running() reports a server that dies or hangs at start with its
output, by a real deadline."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import time

import pytest

from localcloud import server as localcloud


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


def started(code: str) -> tuple[subprocess.Popen, queue.Queue]:
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    startup: queue.Queue = queue.Queue()
    threading.Thread(target=localcloud.relay, args=(process.stdout, startup), daemon=True).start()
    return process, startup


def test_a_server_that_hangs_at_start_is_given_up_at_the_deadline_with_its_output():
    process, startup = started("import time; print('loading adapters', flush=True); time.sleep(60)")
    began = time.monotonic()
    with pytest.raises(RuntimeError, match="(?s)not ready within 0.5 s.*loading adapters"):
        localcloud.wait_until_ready(process, startup, 0.5)
    assert time.monotonic() - began < 10
    process.kill()
    process.wait()


def test_a_server_that_dies_at_start_keeps_its_error_whatever_blank_lines_follow():
    code = "import sys; print('error: cannot serve on 127.0.0.1:1'); print('\\n' * 100); sys.exit(1)"
    process, startup = started(code)
    with pytest.raises(RuntimeError, match="(?s)exited with status 1 before it was ready.*cannot serve on"):
        localcloud.wait_until_ready(process, startup, 30)


@pytest.mark.parametrize("value", ["-1", "soon", "inf"])
def test_the_retry_delay_must_be_a_number_of_seconds(value, capsys):
    with pytest.raises(SystemExit):
        localcloud.main(["--retry-delay", value])
    assert f"{value!r} is not a number of seconds" in capsys.readouterr().err
