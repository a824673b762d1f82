"""The local cloud's command line and lifecycle: loopback only unless --allow-remote, a restart on
the same port while old connections are in TIME_WAIT, and a stop message that says what is lost."""

from __future__ import annotations

import io
import queue
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest

from localcloud import LOCAL_CREDENTIALS
from localcloud import server as localcloud

# The states of /proc/net/tcp a connection passes through when this side closes it first:
# FIN_WAIT1, FIN_WAIT2, TIME_WAIT.
CLOSED_BY_SERVER = {"04", "05", "06"}


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5", "devbox.example"])
def test_a_host_that_is_not_loopback_needs_allow_remote(capsys, host):
    with pytest.raises(SystemExit) as exited:
        localcloud.main(["--host", host])
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert f"--host {host} is not a loopback address" in error
    assert "anyone who can reach it could run code on this machine" in error and "--allow-remote" in error


def test_from_python_too():
    with pytest.raises(ValueError, match="0.0.0.0 is not a loopback address.*allow_remote=True"):
        with localcloud.running(host="0.0.0.0"):
            pass


def test_allow_remote_serves_with_a_warning(monkeypatch, capsys):
    served = []
    monkeypatch.setattr(localcloud, "serve", lambda *args, **options: served.append((args, options)))
    assert localcloud.main(["--host", "0.0.0.0", "--port", "4999", "--allow-remote"]) == 0
    assert served[0][0][:2] == ("0.0.0.0", 4999) and served[0][1]["allow_remote"] is True
    assert "warning: serving on 0.0.0.0 with --allow-remote: anyone who can reach port 4999 can run code" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "127.0.0.2"])
def test_loopback_hosts_need_no_flag(monkeypatch, capsys, host):
    served = []
    monkeypatch.setattr(localcloud, "serve", lambda *args, **options: served.append(options))
    assert localcloud.main(["--host", host]) == 0
    assert served == [
        {"tls": False, "record_event": None, "allow_remote": False, "redeliver": 0.0, "alarm_period_scale": 1.0}
    ]
    assert capsys.readouterr().err == ""


def test_the_alarm_period_scale_is_passed_to_the_server(monkeypatch):
    served = []
    monkeypatch.setattr(localcloud, "serve", lambda *args, **options: served.append(options))
    assert localcloud.main(["--alarm-period-scale", "0.05"]) == 0
    assert served[0]["alarm_period_scale"] == 0.05


@pytest.mark.parametrize("value", ["0", "-1", "inf", "fast"])
def test_an_alarm_period_scale_must_be_a_number_above_0(capsys, value):
    with pytest.raises(SystemExit) as exited:
        localcloud.main([f"--alarm-period-scale={value}"])
    assert exited.value.code == 2
    assert f"{value!r} is not a scale: give a number above 0, such as 0.05" in capsys.readouterr().err


def lingering(port: int) -> int:
    """Closed connections whose local port is port, still in FIN_WAIT or TIME_WAIT (without
    SO_REUSEADDR, each keeps a new listener off the port)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:] if Path(table).exists() else []:
            local, state = line.split()[1], line.split()[3]
            count += int(local.rsplit(":", 1)[1], 16) == port and state in CLOSED_BY_SERVER
    return count


def use(endpoint: str) -> None:
    """Real client traffic: SDK calls, and a request whose client reads the answer to its end, so
    the server closes that connection first (which leaves it in TIME_WAIT on the server's port)."""
    sqs = boto3.client("sqs", region_name="us-east-1", endpoint_url=endpoint, **LOCAL_CREDENTIALS)
    sqs.create_queue(QueueName="restart")
    assert sqs.list_queues()["QueueUrls"]
    parts = urlsplit(endpoint)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as connection:
        connection.sendall(f"GET /moto-api/ HTTP/1.0\r\nHost: {parts.netloc}\r\n\r\n".encode())
        while connection.recv(65536):
            pass


def test_it_restarts_on_the_same_port_ten_times_while_old_connections_wait():
    with localcloud.running() as first:
        use(first)
    port = urlsplit(first).port
    lingered = []
    for _ in range(10):
        lingered.append(lingering(port))
        with localcloud.running(port=port) as endpoint:
            assert endpoint == first
            use(endpoint)
    assert all(lingered), f"connections lingering on the port before each restart: {lingered}"


def test_port_0_serves_on_a_free_port_and_names_it():
    """`uploadtrail-localcloud --port 0`: the ready line named port 0, where nothing answers."""
    process = subprocess.Popen(
        [*localcloud.SERVER_COMMAND, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    startup: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=localcloud.relay, args=(process.stdout, startup), daemon=True).start()
    try:
        endpoint = localcloud.wait_until_ready(process, startup, 60)
        assert urlsplit(endpoint).port not in (None, 0)
        use(endpoint)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


def test_the_stop_message_says_what_was_lost(capfd):
    with localcloud.running() as endpoint:
        session = boto3.session.Session(region_name="us-east-1", **LOCAL_CREDENTIALS)
        s3 = session.client("s3", endpoint_url=endpoint)
        s3.create_bucket(Bucket="kept-in-memory")
        for key in ("a", "b"):
            s3.put_object(Bucket="kept-in-memory", Key=key, Body=b"x")
        queue = session.client("sqs", endpoint_url=endpoint).create_queue(QueueName="lost")["QueueUrl"]
        session.client("sqs", endpoint_url=endpoint).send_message(QueueUrl=queue, MessageBody="m")
    expected = "0 stacks, 1 bucket (2 objects), 0 tables (0 items), 1 queue (1 message), 0 functions"
    deadline, printed = time.monotonic() + 30, io.StringIO()
    while expected not in printed.getvalue() and time.monotonic() < deadline:
        printed.write(capfd.readouterr().err)
        time.sleep(0.05)
    assert "the local cloud keeps its state in memory only, so these are gone: " + expected in printed.getvalue()
