"""Setting up the several-laptops sync: `sync init`, `pair`, `unpair` and starting Syncthing for
`sync run`, written once for every front-end. Syncthing itself is handled by inspect_kit.syncthing.

The folders: each laptop's outbox `sync/outbox/<its id>/` is one Syncthing folder with the ID
`inspect-kit-<its id>`, send-only on that laptop and receive-only on every paired one, where it
lands in `sync/inbox/<its id>/`. Both sides name the folder the same way, so pairing needs no
"accept this folder" step: each side runs `sync pair` with the other's ID. Every synced file has
one writer; the live database (`results/`) is never in a shared folder.
"""

from __future__ import annotations

import platform
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_kit.base.errors import InspectKitError
from inspect_kit.base.paths import Workspace
from inspect_kit.base.sync_config import (
    Peer,
    SyncPaths,
    SyncSettings,
    load_sync_settings,
    save_sync_settings,
)
from inspect_kit.domain.sheet import now_iso
from inspect_kit.services.outbox import publish_all
from inspect_kit.store.store import Store
from inspect_kit.syncthing.home import (
    DEFAULT_LISTEN,
    Home,
    check_api,
    check_listen,
    find_syncthing,
    generate,
    listen_is_loopback,
)
from inspect_kit.syncthing.process import Running, reachable, start
from inspect_kit.syncthing.rest import Rest

FOLDER_PREFIX = "inspect-kit-"
_GROUP = "[A-Z2-7]{7}"
DEVICE_ID = re.compile(rf"^{_GROUP}(-{_GROUP}){{7}}$")


def folder_id(device_id: str) -> str:
    return FOLDER_PREFIX + device_id


def normalize_device_id(text: str) -> str:
    """A device ID as Syncthing writes it (8 dash-separated groups of 7), from any spacing
    or case; InspectKitError when it cannot be one."""
    raw = re.sub(r"[\s-]", "", text).upper()
    grouped = "-".join(raw[i : i + 7] for i in range(0, len(raw), 7))
    if not DEVICE_ID.fullmatch(grouped):
        raise InspectKitError(code="sync.bad_device_id", device=text[:80])
    return grouped


def options_for(listen: str, discovery: bool) -> dict[str, Any]:
    """Syncthing's options the kit sets (REST names): see syncthing/home.py."""
    return {
        "listenAddresses": [listen],
        "globalAnnounceEnabled": discovery,
        "relaysEnabled": discovery,
        "natEnabled": discovery,
        "localAnnounceEnabled": not listen_is_loopback(listen),
        "startBrowser": False,
        "crashReportingEnabled": False,
        "urAccepted": -1,
        "autoUpgradeIntervalH": 0,
    }


@dataclass
class InitResult:
    settings: SyncSettings
    again: bool
    published: Path | None


class SyncSetup:
    def __init__(self, store: Store, workspace: Workspace) -> None:
        self.store = store
        self.workspace = workspace
        self.paths = SyncPaths.of(workspace)
        self.home = Home(self.paths.home)

    def settings(self) -> SyncSettings:
        """This workspace's sync settings; InspectKitError(sync.not_set_up) before init."""
        settings = load_sync_settings(self.workspace)
        if settings is None or not self.home.exists():
            raise InspectKitError(code="sync.not_set_up", command="inspect-kit sync init")
        return settings

    def rest(self, settings: SyncSettings | None = None) -> Rest:
        settings = settings or self.settings()
        return Rest(settings.api, self.home.api_key())

    # ------------------------------------------------------------ init

    def init(self, *, listen: str | None, api: str | None, discovery: bool) -> InitResult:
        find_syncthing()
        existing = load_sync_settings(self.workspace)
        if existing is not None and self.home.exists():
            return self._reinit(existing, listen, api, discovery)
        listen = check_listen(listen or DEFAULT_LISTEN)
        api = check_api(api)
        device = generate(self.home, api=api, listen=listen, discovery=discovery,
                          name=platform.node())  # fmt: skip
        settings = SyncSettings(device, api, listen, discovery)
        for folder in (self.paths.outbox(device), self.paths.inbox, self.paths.quarantine):
            folder.mkdir(parents=True, exist_ok=True)
        with reachable(self.home, api) as rest:  # checks it starts as set, then the outbox
            rest.put_folder(self._outbox_folder(rest, device))
        save_sync_settings(self.workspace, settings)
        # Sheets finalized before sync was set up go out too, once (imports skip duplicates).
        published = publish_all(self.store, self.workspace)
        return InitResult(settings, False, published)

    def _reinit(self, settings: SyncSettings, listen: str | None, api: str | None,
                discovery: bool) -> InitResult:  # fmt: skip
        settings.listen = check_listen(listen or settings.listen)
        settings.discovery = discovery
        new_api = check_api(api) if api else settings.api
        with reachable(self.home, settings.api) as rest:
            rest.patch_options(options_for(settings.listen, discovery))
            if new_api != settings.api:
                rest.call("PATCH", "/rest/config/gui", {"address": new_api})
        settings.api = new_api
        save_sync_settings(self.workspace, settings)
        return InitResult(settings, True, None)

    # ------------------------------------------------------------ pairing

    def _outbox_folder(self, rest: Rest, me: str) -> dict[str, Any]:
        current = {f["id"]: f for f in rest.folders()}.get(folder_id(me))
        folder = current or {
            "id": folder_id(me),
            "label": f"inspect-kit outbox {me[:7]}",
            "path": str(self.paths.outbox(me)),
            "type": "sendonly",
            "devices": [{"deviceID": me}],
        }
        # Watched with a short delay, so a finalized sheet leaves within seconds.
        folder.update(fsWatcherEnabled=True, fsWatcherDelayS=1, rescanIntervalS=60)
        return folder

    def pair(self, device: str, name: str, address: str | None) -> Peer:
        settings = self.settings()
        peer_id = normalize_device_id(device)
        if peer_id == settings.device_id:
            raise InspectKitError(code="sync.self_pair")
        if not name.strip():
            raise InspectKitError(code="devices.no_name")
        if address:
            check_listen(address)
        me = settings.device_id
        inbox = self.paths.inbox / peer_id
        inbox.mkdir(parents=True, exist_ok=True)
        with reachable(self.home, settings.api) as rest:
            rest.put_device({"deviceID": peer_id, "name": name.strip(),
                             "addresses": [address] if address else ["dynamic"],
                             "autoAcceptFolders": False, "introducer": False})  # fmt: skip
            outbox = self._outbox_folder(rest, me)
            if all(d.get("deviceID") != peer_id for d in outbox["devices"]):
                outbox["devices"].append({"deviceID": peer_id})
            rest.put_folder(outbox)
            rest.put_folder({
                "id": folder_id(peer_id),
                "label": f"inspect-kit inbox {name.strip()}",
                "path": str(inbox),
                "type": "receiveonly",
                "devices": [{"deviceID": me}, {"deviceID": peer_id}],
                "fsWatcherEnabled": True, "fsWatcherDelayS": 1, "rescanIntervalS": 60,
            })  # fmt: skip
        peer = Peer(name.strip(), address or "dynamic", now_iso())
        settings.peers[peer_id] = peer
        save_sync_settings(self.workspace, settings)
        return peer

    def unpair(self, device: str) -> tuple[str, Peer]:
        """Stop syncing with a device (a lost laptop): its device and its inbox folder leave
        Syncthing's config; what it sent stays in the inbox and the database."""
        settings = self.settings()
        peer_id = normalize_device_id(device)
        peer = settings.peers.get(peer_id)
        if peer is None:
            raise InspectKitError(code="sync.not_paired", device=peer_id)
        with reachable(self.home, settings.api) as rest:
            if any(f["id"] == folder_id(peer_id) for f in rest.folders()):
                rest.delete_folder(folder_id(peer_id))
            outbox = self._outbox_folder(rest, settings.device_id)
            outbox["devices"] = [d for d in outbox["devices"] if d.get("deviceID") != peer_id]
            rest.put_folder(outbox)
            if any(d["deviceID"] == peer_id for d in rest.devices()):
                rest.delete_device(peer_id)
        del settings.peers[peer_id]
        save_sync_settings(self.workspace, settings)
        return peer_id, peer

    # ------------------------------------------------------------ running

    def start(self) -> tuple[SyncSettings, Running]:
        """Syncthing as a child process on this workspace's home (for `sync run`)."""
        settings = self.settings()
        return settings, start(self.home, settings.api)
