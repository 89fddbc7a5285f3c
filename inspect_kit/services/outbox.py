"""The outbox: every change to finalized sheets also leaves as a sealed, write-once bundle.

`publish(store, workspace, uuids)` is the one function every service calls after it changed
records (finalize, the finalize of an amendment, void, many sheets at once from `demo` or
`import-sheets`, and any later kind of record change): once the workspace is set up for sync
(`sync init`), it writes one signed bundle (exports/bundle.py, the USB format) holding every
revision of those sheets, their form versions, roster entries, events and photos to
`sync/outbox/<own device id>/<UTC time>-<seq>.zip`. Each bundle carries whole sheets, so the
office can import bundles in any order Syncthing delivers them.

Write-once: the bundle is written and fsynced in `sync/.staging/` (outside every shared folder,
so Syncthing never sees half a file), then hard-linked to its final name, which fails rather than
replace a file that exists. A failure (a full disk) never undoes the change that was made: the
sheets are remembered in `sync/unsent.json` and go out with the next bundle.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from inspect_kit import __version__
from inspect_kit.base.errors import InspectKitError
from inspect_kit.base.fsio import fsync_dir, plain_write
from inspect_kit.base.paths import Workspace
from inspect_kit.base.signing import device_key
from inspect_kit.base.sync_config import SyncPaths, load_sync_settings
from inspect_kit.domain.sheet import now_iso
from inspect_kit.domain.subject import Subject
from inspect_kit.exports.bundle import write_bundle
from inspect_kit.store.archive import LEGACY
from inspect_kit.store.index import roster_table
from inspect_kit.store.rectifications import for_bundle
from inspect_kit.store.shard_names import SHEETS
from inspect_kit.store.store import Store

NAME = re.compile(r"^(\d{8}T\d{6}Z)-(\d{6})\.zip$")
LOCK_WAIT_S = 30


def publish(store: Store, workspace: Workspace | None, uuids: Iterable[str]) -> Path | None:
    """Write the outbox bundle of these sheets' change; returns its path, or None when the
    workspace is not set up for sync or the bundle could not be written (then kept unsent)."""
    if workspace is None or store.workspace is None:
        return None
    paths = SyncPaths.of(workspace)
    if not paths.settings.is_file():  # one stat: sync not set up, nothing else to do
        return None
    try:
        settings = load_sync_settings(workspace)
        if settings is None:
            return None
        # One publisher at a time, so unsent.json is read and written by one process.
        with FileLock(paths.outbox_lock, timeout=LOCK_WAIT_S):
            wanted = {str(u) for u in uuids} | _unsent(paths)
            if not wanted:
                return None
            # Noted first (a small file, no fsync): a process killed before the bundle is in
            # place leaves the sheets in unsent.json, and `sync run` or the app sends them.
            _save_unsent(paths, wanted)
            path = write_outbox_bundle(store, workspace, settings.device_id, wanted)
            with contextlib.suppress(OSError):
                paths.unsent.unlink()
    except (InspectKitError, OSError, Timeout):
        return None
    return path


def publish_subject(store: Store, subject: str, sheet: str | None = None) -> Path | None:
    """After a change that is not a sheet's (a 整改 item, an office review decision): the bundle
    of that sheet, or of the subject's newest sheet, which carries the subject's 整改 items and
    the sheet's events with it. A subject without any finalized sheet has nothing to carry it
    (its items travel with its first sheet)."""
    if sheet is None:
        rows = [r for r in store.summaries() if r.get("subject") == subject]
        rows.sort(key=lambda r: r.get("finalized_at") or "")
        sheet = rows[-1]["uuid"] if rows else None
    return publish(store, store.workspace, [sheet]) if sheet else None


def publish_all(store: Store, workspace: Workspace) -> Path | None:
    """Every finalized sheet in one bundle: what `sync init` sends once, so the sheets made
    before sync was set up reach the office too (imports skip what it already has)."""
    uuids = {r["uuid"] for r in store.summaries(all_revisions=True)}
    return publish(store, workspace, uuids) if uuids else None


def outbox_bundles(workspace: Workspace, device_id: str) -> list[Path]:
    folder = SyncPaths.of(workspace).outbox(device_id)
    try:
        return sorted(p for p in folder.iterdir() if NAME.match(p.name))
    except FileNotFoundError:
        return []


def _unsent(paths: SyncPaths) -> set[str]:
    try:
        data = json.loads(paths.unsent.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {str(u) for u in data} if isinstance(data, list) else set()


def _save_unsent(paths: SyncPaths, uuids: set[str]) -> None:
    paths.root.mkdir(parents=True, exist_ok=True)
    plain_write(paths.unsent, json.dumps(sorted(uuids)).encode())


def flush_unsent(store: Store, workspace: Workspace) -> Path | None:
    """Send the sheets a cut-short or failed publish left in unsent.json (`sync run`, the app)."""
    if not SyncPaths.of(workspace).unsent.exists():
        return None
    return publish(store, workspace, [])


def _contents(store: Store, uuids: set[str]) -> dict[str, Any]:
    """Every revision and event of the sheets, their form versions and roster entries, from ONE
    read of the main file (measured at 10k sheets: each read parses and checks ~8 MB, so reading
    it once per part made the outbox cost several times the finalize itself)."""
    with store.db.snapshot() as db:
        data = db.storage.read() or {}
        records = _records(store, data, uuids)
        events = [dict(e) for e in (data.get("events") or {}).values() if e.get("uuid") in uuids]
        shas = {r["form_sha256"] for r in records}
        forms = [dict(f) for f in (data.get("forms") or {}).values() if f.get("sha256") in shas]
        subject_ids = {r["subject"] for r in records}
        roster = roster_table(store.shards, data) if records else {}
    records.sort(key=lambda r: (r["uuid"], r["revision"]))
    subjects = [Subject.from_dict(d).to_dict() for d in roster.values()
                if isinstance(d, dict) and d.get("id") in subject_ids]  # fmt: skip
    # The subjects' 整改 items, every revision with its events (imports skip what they have).
    items, item_events = for_bundle(store, subjects=subject_ids) if records else ([], [])
    return {"records": records, "events": events + item_events, "form_versions": forms,
            "subjects": subjects, "rectifications": items}  # fmt: skip


def _records(store: Store, data: dict[str, Any], uuids: set[str]) -> list[dict[str, Any]]:
    """The stored revisions of the sheets. Their index rows name their shards; the full index
    check (every row's types, shards changed behind the index) costs ~0.2 s at 10k sheets, so
    it runs only when a row is missing or an old single-file archive is there."""
    rows = [r for r in (data.get(SHEETS) or {}).values() if r.get("uuid") in uuids]
    if data.get(LEGACY) or {r["uuid"] for r in rows} != uuids:
        view = store.index.view(data)
        return store.index.docs_for(data, view, [r for r in view.rows if r["uuid"] in uuids])
    wanted = {(r["uuid"], r["revision"]) for r in rows}
    records = []
    for rel in sorted({r["shard"] for r in rows}):
        records += [d for d in store.shards.read(rel) if (d["uuid"], d["revision"]) in wanted]
    return records


def _next_name(folder: Path, now: dt.datetime) -> tuple[str, int]:
    seq = 0
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(folder):
            if m := NAME.match(entry.name):
                seq = max(seq, int(m.group(2)))
    return now.strftime("%Y%m%dT%H%M%SZ"), seq + 1


def write_outbox_bundle(store: Store, workspace: Workspace, device_id: str,
                        uuids: set[str]) -> Path | None:  # fmt: skip
    """The bundle of these sheets in the outbox, under a name never used before."""
    contents = _contents(store, uuids)
    if not contents["records"]:
        return None
    paths = SyncPaths.of(workspace)
    outbox = paths.outbox(device_id)
    outbox.mkdir(parents=True, exist_ok=True)
    paths.staging.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    stamp, seq = _next_name(outbox, now)
    staged = paths.staging / f"{stamp}-{seq:06d}-{os.getpid()}.zip"
    try:
        write_bundle(staged, attachments_dir=workspace.attachments_dir, device=platform.node(),
                     kit_version=__version__, created_at=now_iso(), signer=device_key(),
                     filters={"sync": device_id}, **contents)  # fmt: skip
        with open(staged, "rb") as f:
            os.fsync(f.fileno())
        for _ in range(1000):  # another process may take the same number: take the next
            target = outbox / f"{stamp}-{seq:06d}.zip"
            try:
                _place(staged, target)
                break
            except FileExistsError:
                seq += 1
        else:
            raise InspectKitError(code="sync.outbox_names", folder=str(outbox))
    finally:
        with contextlib.suppress(OSError):
            staged.unlink()
    fsync_dir(outbox)
    return target


def _place(staged: Path, target: Path) -> None:
    """Give the staged file its final name without ever replacing an existing file."""
    try:
        os.link(staged, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename
        if target.exists():
            raise FileExistsError(target) from None
        os.rename(staged, target)
