"""`inspect-kit serve` answers only its own page: a cross-origin WebSocket upgrade (any web page
the user has open) or a request under another Host name (DNS rebinding) gets 403, while the
served page's own requests and WebSocket work."""

from __future__ import annotations

import base64
import os
import signal
import socket
import subprocess
import sys

import pytest
from test_serve_loopback import STARTUP_LIMIT, free_port, read_line_within

from inspect_kit.cli.serve_guard import allowed_hosts

pytestmark = pytest.mark.reliability


def raw_request(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """Send one GET with exactly these headers; the status code and the head of the answer."""
    lines = [f"GET {path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall("\r\n".join(lines).encode("latin-1"))
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    return int(data.split(b" ", 2)[1]), data


def upgrade(port: int, origin: str | None, host: str | None = None) -> tuple[int, bytes]:
    headers = {"Host": host or f"127.0.0.1:{port}", "Upgrade": "websocket",
               "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode()}  # fmt: skip
    if origin is not None:
        headers["Origin"] = origin
    return raw_request(port, "/ws", headers)


@pytest.fixture
def served(workspace):
    port = free_port()
    args = [sys.executable, "-m", "inspect_kit", "--workspace", str(workspace.root),
            "serve", "--port", str(port)]  # fmt: skip
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"},
                            start_new_session=True)  # fmt: skip
    try:
        if read_line_within(proc, STARTUP_LIMIT) is None:
            pytest.skip(f"serve did not come up within {STARTUP_LIMIT:g} s")
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def test_cross_origin_and_wrong_host_are_refused_same_origin_works(served):
    port = served
    own = f"http://127.0.0.1:{port}"
    status, head = raw_request(port, "/", {"Host": f"127.0.0.1:{port}"})
    assert status == 200, head
    assert raw_request(port, "/", {"Host": f"localhost:{port}", "Origin": own})[0] == 200

    assert upgrade(port, "https://evil.example")[0] == 403  # a page on another site
    assert upgrade(port, "null")[0] == 403  # a sandboxed frame or a file:// page
    assert upgrade(port, f"http://127.0.0.1:{port + 1}")[0] == 403  # another local server
    assert upgrade(port, None)[0] == 403  # a WebSocket without an Origin
    assert upgrade(port, own, host=f"evil.example:{port}")[0] == 403  # DNS rebinding
    status, head = raw_request(port, "/", {"Host": f"evil.example:{port}"})
    assert status == 403 and b"Host" in head
    assert raw_request(port, "/", {"Host": f"127.0.0.1:{port}",
                                   "Origin": "https://evil.example"})[0] == 403  # fmt: skip

    status, head = upgrade(port, own)  # the served page's own WebSocket
    assert status == 101, head


def test_the_allowed_hosts_are_the_served_address_only():
    assert allowed_hosts("127.0.0.1", 8000) == {"127.0.0.1:8000", "localhost:8000"}
    assert allowed_hosts("192.0.2.7", 80) == {"192.0.2.7:80", "192.0.2.7"}
