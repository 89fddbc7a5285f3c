"""The Syncthing executable and a private Syncthing home for one workspace.

The home (`sync/.syncthing/`: keys, config, Syncthing's database and log) belongs to the
workspace, so two workspaces on one laptop are two devices and nothing of the user's own
Syncthing (if any) is touched. Before Syncthing ever runs from a new home, its generated
config gets the kit's defaults written into it: GUI/REST on a loopback address with a random
API key, the listen address asked for, global discovery, relays, NAT traversal, usage and
crash reports and automatic upgrades off (global discovery and relays on with `--discovery`),
local discovery on unless the listen address is a loopback one. So a first start never
announces itself on the internet. Everything after that goes through the REST API (rest.py).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import shutil
import socket
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from inspect_kit.base.errors import InspectKitError
from inspect_kit.base.fsio import atomic_write_bytes

ENV_BINARY = "INSPECT_KIT_SYNCTHING"
"""Names the syncthing executable (a Windows or macOS build, or a test's missing one)."""
CONFIG = "config.xml"
DEFAULT_LISTEN = "tcp://0.0.0.0:22000"


class SyncthingMissing(InspectKitError):
    def __init__(self) -> None:
        super().__init__(code="sync.no_syncthing")


def find_syncthing() -> str:
    """The syncthing executable's path; SyncthingMissing (one line, how to install) if none."""
    named = os.environ.get(ENV_BINARY)
    if named is not None:
        found = shutil.which(named) if named else None
    else:
        found = shutil.which("syncthing")
    if not found:
        raise SyncthingMissing()
    return found


def syncthing_available() -> bool:
    try:
        find_syncthing()
    except SyncthingMissing:
        return False
    return True


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def listen_is_loopback(listen: str) -> bool:
    host = urlsplit(listen).hostname or ""
    return is_loopback_host(host)


def check_listen(listen: str) -> str:
    """A listen address Syncthing takes (`tcp://HOST:PORT`, `quic://…`, or `default`)."""
    if listen == "default":
        return listen
    parts = urlsplit(listen)
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in ("tcp", "tcp4", "tcp6", "quic", "quic4", "quic6") or not parts.hostname \
            or port is None:  # fmt: skip
        raise InspectKitError(code="sync.bad_listen", listen=listen)
    return listen


def check_api(api: str | None) -> str:
    """HOST:PORT for the GUI/REST: a loopback host only; no port: a free one now."""
    if not api:
        return f"127.0.0.1:{free_port()}"
    host, _, port = api.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InspectKitError(code="sync.bad_api", api=api)
    if not is_loopback_host(host):
        raise InspectKitError(code="sync.api_not_loopback", api=api)
    return api


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Home:
    path: Path

    @property
    def config(self) -> Path:
        return self.path / CONFIG

    @property
    def log(self) -> Path:
        return self.path / "syncthing.log"

    def exists(self) -> bool:
        return self.config.is_file()

    def api_key(self) -> str:
        key = _tree(self.config).findtext("gui/apikey") or ""
        if not key:
            raise InspectKitError(code="sync.home_damaged", path=str(self.config))
        return key

    def device_id(self) -> str:
        tree = _tree(self.config)
        # The generated config names this device first (Syncthing keeps that order).
        device = tree.find("device")
        if device is None or not device.get("id"):
            raise InspectKitError(code="sync.home_damaged", path=str(self.config))
        return str(device.get("id"))


def _tree(path: Path) -> ET.Element:
    try:
        return ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        raise InspectKitError(code="sync.home_damaged", path=str(path)) from None


def generate(home: Home, *, api: str, listen: str, discovery: bool, name: str) -> str:
    """Make keys and config in a new home and write the kit's defaults into it (see the
    module's text); returns this device's ID."""
    binary = find_syncthing()
    home.path.mkdir(parents=True, exist_ok=True)
    os.chmod(home.path, 0o700)
    done = subprocess.run([binary, "generate", f"--home={home.path}", "--no-default-folder"],
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    if done.returncode != 0 or not home.exists():
        why = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
        raise InspectKitError(code="sync.generate_failed", why=why[0])
    root = _tree(home.config)
    gui = root.find("gui")
    options = root.find("options")
    if gui is None or options is None:
        raise InspectKitError(code="sync.home_damaged", path=str(home.config))
    gui.set("tls", "false")
    _set(gui, "address", api)
    _set(gui, "apikey", secrets.token_urlsafe(24))
    for old in options.findall("listenAddress"):
        options.remove(old)
    ET.SubElement(options, "listenAddress").text = listen
    local = not listen_is_loopback(listen)
    values: dict[str, bool | str] = {
        "globalAnnounceEnabled": discovery,
        "relaysEnabled": discovery,
        "natEnabled": discovery,
        "localAnnounceEnabled": local,
        "startBrowser": False,
        "crashReportingEnabled": False,
        "urAccepted": "-1",
        "autoUpgradeIntervalH": "0",
    }
    for key, value in values.items():
        _set(options, key, ("true" if value else "false") if isinstance(value, bool) else value)
    device = root.find("device")
    if device is not None and name:
        device.set("name", name)
    atomic_write_bytes(home.config, ET.tostring(root, encoding="utf-8"))
    os.chmod(home.config, 0o600)
    return home.device_id()


def _set(parent: ET.Element, tag: str, text: str) -> None:
    node = parent.find(tag)
    if node is None:
        node = ET.SubElement(parent, tag)
    node.text = text
