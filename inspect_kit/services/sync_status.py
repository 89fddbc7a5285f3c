"""Which laptop reported what and when: one row per paired device, read by `sync status` and
the app's home screen alike (one source for both).

From the files (always): bundles received from the device (in its inbox plus those moved to
quarantine), imported, pending, quarantined, the conflicts its bundles raised, the sheets they
carried and when the latest was imported (sync/ledger.json). From Syncthing's REST API (only
while it runs): whether the device is connected, when it was last seen, and how many of this
laptop's outbox bundles it has.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from inspect_kit.base.errors import InspectKitError
from inspect_kit.base.paths import Workspace
from inspect_kit.base.sync_config import SyncPaths, load_sync_settings
from inspect_kit.services.inbox import arrived, load_ledger
from inspect_kit.services.outbox import outbox_bundles
from inspect_kit.services.sync_setup import folder_id
from inspect_kit.syncthing.home import Home
from inspect_kit.syncthing.rest import Rest

NEVER = "1970-01-01"


@dataclass
class DeviceStatus:
    device_id: str
    name: str
    address: str
    received: int = 0
    imported: int = 0
    pending: int = 0
    quarantined: int = 0
    conflicts: int = 0
    sheets: int = 0
    """Sheets its imported bundles carried (each sheet once, however often it was sent)."""
    added: int = 0
    """Sheet revisions its bundles added to this database."""
    last_import: str | None = None
    connected: bool | None = None
    """None: Syncthing is not running, so not known."""
    last_seen: str | None = None
    sent: int | None = None
    """How many of this laptop's outbox bundles it has (None: not known)."""


@dataclass
class SyncStatus:
    device_id: str
    running: bool
    outbox: int
    devices: list[DeviceStatus] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def sync_status(workspace: Workspace, *, live: bool = True) -> SyncStatus | None:
    """The status; None before `sync init`. `live`: also ask Syncthing, if it runs."""
    settings = load_sync_settings(workspace)
    if settings is None:
        return None
    paths = SyncPaths.of(workspace)
    ledger = load_ledger(paths)
    in_inbox: dict[str, set[str]] = {}
    for key, _ in arrived(paths):
        in_inbox.setdefault(key.split("/", 1)[0], set()).add(key)
    outbox = len(outbox_bundles(workspace, settings.device_id))
    status = SyncStatus(settings.device_id, False, outbox)
    peer_ids = list(settings.peers) + sorted(
        {*in_inbox, *(str(e.get("peer")) for e in ledger.values())} - set(settings.peers)
    )
    for peer_id in peer_ids:
        peer = settings.peers.get(peer_id)
        row = DeviceStatus(peer_id, peer.name if peer else "", peer.address if peer else "")
        entries = {k: e for k, e in ledger.items() if e.get("peer") == peer_id}
        done = [e for e in entries.values() if e.get("state") == "imported"]
        row.imported = len(done)
        row.quarantined = sum(1 for e in entries.values() if e.get("state") == "quarantined")
        row.pending = len(in_inbox.get(peer_id, set()) - set(entries))
        row.received = row.imported + row.quarantined + row.pending
        row.conflicts = sum(int(e.get("conflicts") or 0) for e in done)
        row.added = sum(int(e.get("added") or 0) for e in done)
        row.sheets = len({u for e in done for u in e.get("uuids") or ()})
        row.last_import = max((str(e.get("at")) for e in done), default=None)
        status.devices.append(row)
    if live:
        _ask_syncthing(paths, settings.api, settings.device_id, status)
    return status


def _ask_syncthing(paths: SyncPaths, api: str, me: str, status: SyncStatus) -> None:
    home = Home(paths.home)
    try:
        rest = Rest(api, home.api_key(), timeout=3)
    except InspectKitError:
        return
    if not rest.alive(timeout=0.5):
        return
    try:
        connections = rest.connections()
        stats = rest.device_stats()
        for row in status.devices:
            row.connected = bool((connections.get(row.device_id) or {}).get("connected"))
            seen = str((stats.get(row.device_id) or {}).get("lastSeen") or "")
            row.last_seen = None if not seen or seen.startswith(NEVER) else seen
            completion = rest.completion(folder_id(me), row.device_id)
            row.sent = max(status.outbox - int(completion.get("needItems") or 0), 0)
    except InspectKitError:
        return
    status.running = True
