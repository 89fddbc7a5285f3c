"""`inspect-kit serve` listens on 127.0.0.1 only; the TUI it starts passes the terminal check."""

from __future__ import annotations

import os
import selectors
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from rel_helpers import run_cli

from inspect_kit.cli import UserError, require_terminal

pytestmark = pytest.mark.reliability

STARTUP_LIMIT = 20.0  # seconds; on a slower machine the test skips rather than fails


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a LISTEN socket on `port`, from /proc/net/tcp (IPv4 only)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if state == "0A" and int(hex_port, 16) == port:
            found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


def read_line_within(proc: subprocess.Popen, seconds: float) -> str | None:
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        if selector.select(left):
            return proc.stdout.readline()
    return None


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads /proc/net/tcp")
def test_serve_binds_loopback_only_and_serves_the_page(workspace):
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    args = [sys.executable, "-m", "inspect_kit", "--workspace", str(workspace.root),
            "serve", "--port", str(port)]  # fmt: skip
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, start_new_session=True)  # fmt: skip
    try:
        line = read_line_within(proc, STARTUP_LIMIT)
        if line is None:
            pytest.skip(f"serve did not come up within {STARTUP_LIMIT:g} s")
        assert f"http://127.0.0.1:{port}" in line, line + proc.stderr.read()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.status == 200
            assert b"<html" in response.read().lower()
        assert listening_addresses(port) == {"127.0.0.1"}  # not 0.0.0.0, not a LAN address
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def test_serve_runs_this_python_on_this_workspace(workspace, tmp_path):
    from inspect_kit.cli import Kit
    from inspect_kit.cli.serve_cmd import app_command

    kit = Kit(workspace.root, tmp_path / "other.json", "en")
    command = app_command(kit)
    assert command.startswith(sys.executable) and command.endswith(" tui")
    assert f"--workspace {workspace.root}" in command
    assert f"--db {tmp_path / 'other.json'}" in command and "--lang en" in command


def test_another_host_needs_the_clearly_named_flag(workspace):
    result = run_cli(workspace, "serve", "--help")
    assert "--public-host-i-understand-the-risk" in result.output
    assert run_cli(workspace, "serve", "--host", "0.0.0.0").exit_code == 2  # no such option


def test_the_tui_under_textual_serve_skips_the_terminal_check(monkeypatch):
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    with pytest.raises(UserError):  # pytest captures stdin/stdout: no terminal here
        require_terminal("界面", "")
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    require_terminal("界面", "")  # the browser is the terminal
