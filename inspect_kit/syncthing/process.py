"""Syncthing as a child process of the kit: started on the workspace's private home with its GUI
forced onto the loopback address, stopped through the REST API (then SIGTERM, then SIGKILL).

Syncthing normally runs as a monitor process that starts the real one (and restarts it); with
STMONITORED=1 it is that one process, so stopping (or a crash of) the child is Syncthing stopping,
never an orphan left running. Its output goes to the log file in its home (rewritten at each
start). `--no-upgrade` and `--no-browser` keep it from reaching out or opening windows.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass

from inspect_kit.base.errors import InspectKitError
from inspect_kit.syncthing.home import Home, find_syncthing
from inspect_kit.syncthing.rest import Rest

START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


@dataclass
class Running:
    rest: Rest
    process: subprocess.Popen[bytes] | None
    """None: a Syncthing that was already running on this home (left running)."""

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process, self.rest)


def start(home: Home, api: str) -> Running:
    """Start Syncthing on `home` and wait until its REST API answers."""
    binary = find_syncthing()
    rest = Rest(api, home.api_key())
    if rest.alive():
        raise InspectKitError(code="sync.already_running", api=api)
    args = [binary, "serve", f"--home={home.path}", "--no-browser", "--no-restart",
            "--no-upgrade", f"--gui-address=http://{api}"]  # fmt: skip
    env = {**_clean_env(), "STNOUPGRADE": "1", "STNORESTART": "1", "STMONITORED": "1"}
    with open(home.log, "wb") as log:  # the child keeps its own copy of the handle
        process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT, env=env)  # fmt: skip
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise InspectKitError(code="sync.start_failed", code_=process.returncode,
                                  log=str(home.log))  # fmt: skip
        if rest.alive(timeout=0.5):
            return Running(rest, process)
        time.sleep(0.2)
    stop(process, rest)
    raise InspectKitError(code="sync.start_timeout", log=str(home.log))


def stop(process: subprocess.Popen[bytes], rest: Rest | None = None) -> None:
    """Ask Syncthing to shut down, then terminate, then kill: it never outlives the kit."""
    if process.poll() is None and rest is not None:
        with contextlib.suppress(InspectKitError):
            rest.shutdown()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(STOP_TIMEOUT_S)
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def reachable(home: Home, api: str) -> Iterator[Rest]:
    """The REST API of this home's Syncthing: the running one, else one started for the
    duration (stopped after)."""
    rest = Rest(api, home.api_key())
    if rest.alive():
        yield rest
        return
    running = start(home, api)
    try:
        yield running.rest
    finally:
        running.stop()


def _clean_env() -> dict[str, str]:
    """The environment without proxy settings or a Syncthing home of the user's own."""
    import os

    drop = {"STHOMEDIR", "STCONFDIR", "STDATADIR", "STGUIADDRESS", "STGUIAPIKEY", "all_proxy",
            "ALL_PROXY", "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"}  # fmt: skip
    return {k: v for k, v in os.environ.items() if k not in drop}
