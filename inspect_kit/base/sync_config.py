"""Where the several-laptops sync keeps its files in a workspace, and its small settings file.

Everything lives under `<workspace>/sync/`, never under `results/` (the live database is never
shared: every synced file has exactly one writer):

    sync/sync.json               this file's settings: own device ID, REST address, peers
    sync/.syncthing/             the private Syncthing home (config, keys, its database, log)
    sync/outbox/<own id>/        bundles this laptop wrote, write-once (shared send-only)
    sync/inbox/<peer id>/        a peer's outbox as received (receive-only)
    sync/quarantine/<peer id>/   bundles that failed their checks, each with a reason file
    sync/ledger.json             which received bundles were imported or quarantined
    sync/.staging/               bundles being written (outside every shared folder)

The sync is "on" for a workspace once `sync.json` names a device ID (`sync init`); until
then no outbox bundle is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspect_kit.base.errors import InspectKitError
from inspect_kit.base.fsio import atomic_write_bytes
from inspect_kit.base.paths import Workspace

SYNC_DIR = "sync"


@dataclass(frozen=True)
class SyncPaths:
    root: Path

    @classmethod
    def of(cls, workspace: Workspace) -> SyncPaths:
        return cls(workspace.root / SYNC_DIR)

    @property
    def settings(self) -> Path:
        return self.root / "sync.json"

    @property
    def home(self) -> Path:
        return self.root / ".syncthing"

    @property
    def outbox_root(self) -> Path:
        return self.root / "outbox"

    def outbox(self, device_id: str) -> Path:
        return self.outbox_root / device_id

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def ledger(self) -> Path:
        return self.root / "ledger.json"

    @property
    def unsent(self) -> Path:
        """Sheets whose outbox bundle could not be written (a full disk): sent with the next."""
        return self.root / "unsent.json"

    @property
    def staging(self) -> Path:
        return self.root / ".staging"

    @property
    def outbox_lock(self) -> Path:
        return self.root / ".outbox.lock"

    @property
    def inbox_lock(self) -> Path:
        return self.root / ".inbox.lock"


@dataclass
class Peer:
    name: str
    address: str = "dynamic"
    paired_at: str = ""


@dataclass
class SyncSettings:
    device_id: str
    api: str
    """HOST:PORT of Syncthing's GUI/REST, always a loopback address."""
    listen: str = "tcp://0.0.0.0:22000"
    discovery: bool = False
    peers: dict[str, Peer] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "device_id": self.device_id,
            "api": self.api,
            "listen": self.listen,
            "discovery": self.discovery,
            "peers": {k: vars(p) for k, p in self.peers.items()},
        }


def sync_enabled(workspace: Workspace) -> bool:
    """Whether this workspace has been set up for sync (one stat: cheap on every finalize)."""
    return SyncPaths.of(workspace).settings.is_file()


def load_sync_settings(workspace: Workspace) -> SyncSettings | None:
    """The workspace's sync settings; None before `sync init`."""
    path = SyncPaths.of(workspace).settings
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        peers = {
            str(k): Peer(str(v["name"]), str(v.get("address") or "dynamic"),
                         str(v.get("paired_at") or ""))
            for k, v in (data.get("peers") or {}).items()
        }  # fmt: skip
        return SyncSettings(str(data["device_id"]), str(data["api"]),
                            str(data.get("listen") or "tcp://0.0.0.0:22000"),
                            bool(data.get("discovery")), peers)  # fmt: skip
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise InspectKitError(code="sync.settings_damaged", path=str(path)) from None


def save_sync_settings(workspace: Workspace, settings: SyncSettings) -> None:
    path = SyncPaths.of(workspace).settings
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(settings.to_json(), ensure_ascii=False, indent=1).encode("utf-8")
    atomic_write_bytes(path, payload)
