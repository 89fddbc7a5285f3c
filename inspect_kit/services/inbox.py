"""The inbox: bundles other laptops' outboxes delivered under `sync/inbox/<their id>/`, imported
once each, whole or not at all, by `sync import`, `sync run` and the open app alike.

A bundle goes through the same checks as `results import` (store/sources.py: names, hashes,
content; store/devices.py: its signature and the pinned devices; store/verify.py: scores and
revision chains) and the same merge (store/merge.py: duplicates skipped, differences recorded
as conflicts, one atomic write). Syncthing's own temporary files (`.syncthing.*.tmp`,
`~syncthing~*`), hidden files and folders (`.stfolder`, `.stversions`) are never opened: a
bundle is only read once Syncthing has renamed it into place, complete.

A bundle that fails its checks is moved to `sync/quarantine/<their id>/` with a one-line reason
beside it (`<name>.txt`) and in the ledger; a failure that is not the bundle's fault (the
database locked by another window, a full disk) leaves it where it is, to be tried again.
`sync/ledger.json` remembers every bundle handled, so a scan opens only the new ones; importing
one again anyway (the ledger lost, a copy under another name) changes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from inspect_kit.base.errors import InspectKitError, StoreError
from inspect_kit.base.fsio import atomic_write_bytes, replace_file
from inspect_kit.base.paths import Workspace
from inspect_kit.base.signing import device_key
from inspect_kit.base.sync_config import SyncPaths
from inspect_kit.domain.sheet import now_iso
from inspect_kit.store.devices import BundleSigner, check_bundle
from inspect_kit.store.merge import MergeReport, merge, merge_many
from inspect_kit.store.sources import ImportRefused, Incoming, read_bundle
from inspect_kit.store.store import Store

LOCK_WAIT_S = 30


def is_bundle_name(name: str) -> bool:
    """A finished bundle's name: never a hidden file or one of Syncthing's temporary files."""
    return (
        name.endswith(".zip")
        and not name.startswith((".", "~"))  # .syncthing.X.tmp, ~syncthing~X.tmp, .stfolder
        and ".syncthing." not in name
        and "~syncthing~" not in name
    )


def arrived(paths: SyncPaths) -> list[tuple[str, Path]]:
    """(ledger key `<peer id>/<name>`, path) of every finished bundle in the inbox."""
    found: list[tuple[str, Path]] = []
    try:
        peers = sorted(os.scandir(paths.inbox), key=lambda e: e.name)
    except FileNotFoundError:
        return []
    for peer in peers:
        if peer.name.startswith(".") or not peer.is_dir(follow_symlinks=False):
            continue
        with contextlib.suppress(OSError):
            for entry in sorted(os.scandir(peer.path), key=lambda e: e.name):
                if is_bundle_name(entry.name) and entry.is_file(follow_symlinks=False):
                    found.append((f"{peer.name}/{entry.name}", Path(entry.path)))
    return found


@dataclass
class Handled:
    """One bundle taken from the inbox."""

    key: str
    peer: str
    report: MergeReport | None = None
    signer: BundleSigner | None = None
    reason: str = ""
    """Why it was quarantined (empty when imported)."""


@dataclass
class InboxResult:
    imported: list[Handled] = field(default_factory=list)
    quarantined: list[Handled] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    """Bundles left for the next try, each with why (not their fault: a lock, a full disk)."""

    @property
    def sheets_added(self) -> int:
        return sum(h.report.added for h in self.imported if h.report)

    @property
    def anything(self) -> bool:
        return bool(self.imported or self.quarantined or self.waiting)


# ------------------------------------------------------------------ the ledger


def load_ledger(paths: SyncPaths) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(paths.ledger.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        # Only a cache of what was done: rebuilt by importing again, which changes nothing.
        return {}
    bundles = data.get("bundles") if isinstance(data, dict) else None
    return (
        {str(k): v for k, v in bundles.items() if isinstance(v, dict)}
        if isinstance(bundles, dict)
        else {}
    )


def _save_ledger(paths: SyncPaths, ledger: dict[str, dict[str, Any]]) -> None:
    payload = json.dumps({"bundles": ledger}, ensure_ascii=False, indent=1).encode("utf-8")
    atomic_write_bytes(paths.ledger, payload)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:400]


def _is_bundle_fault(error: InspectKitError) -> bool:
    """Refusals that come from the bundle itself (its content, its signature, its signer)."""
    return isinstance(error, ImportRefused) or str(error.code or "").startswith("bundle.")


# ------------------------------------------------------------------ importing


def import_inbox(store: Store, workspace: Workspace, *, who: str = "") -> InboxResult:
    """Import every new bundle in the inbox (see the module's text). One importer at a time:
    the app and `sync run` may both be open."""
    paths = SyncPaths.of(workspace)
    result = InboxResult()
    if not paths.inbox.is_dir():
        return result
    paths.root.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(paths.inbox_lock, timeout=LOCK_WAIT_S):
            _import_locked(store, workspace, paths, who, result)
    except Timeout:
        result.waiting.append("另一个窗口正在导入收件箱")
    return result


def _import_locked(store: Store, workspace: Workspace, paths: SyncPaths, who: str,
                   result: InboxResult) -> None:  # fmt: skip
    ledger = load_ledger(paths)
    new = [(key, path) for key, path in arrived(paths) if key not in ledger]
    if not new:
        return
    own = device_key()
    own_key = own.public_key if own else None
    checked: list[tuple[Handled, Incoming, str]] = []
    for key, path in new:
        peer = key.split("/", 1)[0]
        try:
            sha = _sha256(path)
            incoming = read_bundle(path, f"sync/inbox/{key}")
            signer = check_bundle(path, incoming.source, workspace, own_key)
        except InspectKitError as e:
            if not _is_bundle_fault(e):
                result.waiting.append(f"{key}：{_one_line(e)}")
                continue
            result.quarantined.append(_quarantine(paths, ledger, key, path, peer, _one_line(e)))
            continue
        except OSError as e:  # vanished or unreadable between the scan and now
            result.waiting.append(f"{key}：{e.strerror or e}")
            continue
        checked.append((Handled(key, peer, signer=signer), incoming, sha))
    if checked:
        try:
            _merge_all(store, paths, ledger, checked, who, result)
        except InspectKitError as e:  # the database, not the bundles (locked, full disk)
            result.waiting += [f"{handled.key}：{_one_line(e)}" for handled, _, _ in checked]
    _save_ledger(paths, ledger)


def _merge_all(store: Store, paths: SyncPaths, ledger: dict[str, dict[str, Any]],
               checked: list[tuple[Handled, Incoming, str]], who: str,
               result: InboxResult) -> None:  # fmt: skip
    """All checked bundles in one merge (one write); when one of them is refused there,
    each on its own, so only that one is quarantined."""
    reports: list[MergeReport | None]
    try:
        reports = list(merge_many(store, [incoming for _, incoming, _ in checked], who=who))
    except ImportRefused:
        reports = []
        for handled, incoming, _sha in checked:
            try:
                reports.append(merge(store, incoming, who=who))
            except ImportRefused as e:
                path = paths.inbox / handled.key
                result.quarantined.append(
                    _quarantine(paths, ledger, handled.key, path, handled.peer, _one_line(e))
                )
                reports.append(None)
    for (handled, incoming, sha), report in zip(checked, reports, strict=True):
        if report is None:
            continue
        handled.report = report
        result.imported.append(handled)
        ledger[handled.key] = {
            "state": "imported",
            "sha256": sha,
            "at": now_iso(),
            "peer": handled.peer,
            "device": incoming.device,
            "signer": handled.signer.name if handled.signer else "",
            "uuids": sorted({d["uuid"] for d in incoming.submissions}),
            "added": report.added,
            "skipped": report.skipped,
            "conflicts": report.conflicts,
        }


def _quarantine(paths: SyncPaths, ledger: dict[str, dict[str, Any]], key: str, path: Path,
                peer: str, reason: str) -> Handled:  # fmt: skip
    """Move a failing bundle out of the inbox, with its reason beside it and in the ledger."""
    folder = paths.quarantine / peer
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    try:
        replace_file(path, target)
    except OSError as e:
        reason += f"（未能移到隔离区：{e.strerror or e}）"
    with contextlib.suppress(InspectKitError, StoreError):
        atomic_write_bytes(target.with_name(target.name + ".txt"), (reason + "\n").encode())
    ledger[key] = {"state": "quarantined", "at": now_iso(), "peer": peer, "reason": reason}
    return Handled(key, peer, reason=reason)
