"""The main file's storage: the main file and its shards' companions read as one tree, and
written back split (see store.ledger for the layout and why)."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from inspect_kit.store import staging
from inspect_kit.store.ledger import (
    JOURNAL,
    LEDGER_TABLE,
    LedgerFiles,
    ScopedTable,
    _int_sorted,
    bloom,
    companion_bytes,
    companion_rel,
    heads_of,
    holder_test,
    ledger_row,
    max_id,
    remove_companion,
    split,
)
from inspect_kit.store.parsing import SCHEMA
from inspect_kit.store.shard_names import EVENTS, SHARDS, SHEETS, shard_number
from inspect_kit.store.storage import AtomicJSONStorage, check_usable

Scope = Callable[[list[dict[str, Any]]], Collection[str]]
"""Picks, from the main file's shards table, the shards whose companions a scoped read loads."""


def main_only(rows: list[dict[str, Any]]) -> Collection[str]:
    """No companion: for reads that need only the main file's own tables (roster, journal)."""
    return ()


def groups_scope(groups: Collection[tuple[str, str | None]]) -> Scope:
    """Every shard of these (form, round) groups (round None: every round of the form)."""
    wanted = set(groups)

    def pick(rows: list[dict[str, Any]]) -> list[str]:
        return [r["shard"] for r in rows if (r.get("form"), str(r.get("round"))) in wanted
                or (r.get("form"), None) in wanted]  # fmt: skip

    return pick


def form_scope(form: str | None, round_: Any = None) -> Scope | None:
    """The shards a read filtered by form (and round) needs; None (every shard) without one."""
    return None if form is None else groups_scope({(form, None if round_ is None else str(round_))})


def sheet_scope(form: str, round_: str, uuid: str, revision: int) -> Scope:
    """What a finalize of (uuid, revision) needs: the newest shard of its group (where it
    goes) and the shards that may hold that revision (already final?) or its first one
    (where its events are kept): their Bloom filters say which (store.ledger)."""

    def pick(rows: list[dict[str, Any]]) -> list[str]:
        group = [r for r in rows if r.get("form") == form and str(r.get("round")) == round_]
        if not group:
            return []
        newest = max(group, key=lambda r: shard_number(str(r["shard"])))
        tests = [holder_test(uuid, revision)] + ([holder_test(uuid, 1)] if revision != 1 else [])
        return [r["shard"] for r in group
                if r is newest or any(test(r.get("bloom")) for test in tests)]  # fmt: skip

    return pick


def first_revision_scope(uuid: str) -> Scope:
    """The shards that may hold a sheet's first revision (their Bloom filters say which): its
    companion holds the sheet's events, and its row names the group every revision is in."""
    test = holder_test(uuid, 1)

    def pick(rows: list[dict[str, Any]]) -> list[str]:
        return [r["shard"] for r in rows if test(r.get("bloom"))]

    return pick


def scoped_read(db: TinyDB, scope: Scope | None) -> dict[str, Any]:
    """The tree of a transaction or snapshot, with only `scope`'s index rows and events when
    its storage keeps a ledger (elsewhere, and for scope None: the whole tree)."""
    storage = db.storage
    if scope is None or not isinstance(storage, LedgerStorage):
        return storage.read() or {}
    storage.scope = scope
    try:
        return storage.read() or {}
    finally:
        storage.scope = None


EventFilter = Callable[[dict[str, Any]], bool]
"""Which events a read keeps (the others are dropped as each companion is parsed)."""


def no_events(event: dict[str, Any]) -> bool:
    """For reads of the index rows alone (list screens)."""
    return False


def snapshot_read(db: TinyDB, scope: Scope | None, keep_events: EventFilter) -> dict[str, Any]:
    """scoped_read of a snapshot, keeping only the events `keep_events` accepts. Why: list
    screens need the index rows and a few kinds of events, and the audit log is most of what a
    whole read holds (at 10k sheets: ~40 MB at once); each companion's other events go as it is
    parsed. A snapshot only, since a tree that lacks events must never be written back."""
    storage = db.storage
    if not getattr(storage, "read_only", False):
        raise RuntimeError("snapshot_read needs a snapshot(): a filtered tree is never written")
    if isinstance(storage, LedgerStorage):
        storage.scope, storage.keep_events = scope, keep_events
        try:
            return storage.read() or {}
        finally:
            storage.scope = storage.keep_events = None
    tree = dict(storage.read() or {})  # a copy: an in-memory store shares its tree
    if EVENTS in tree:
        tree[EVENTS] = _kept(tree[EVENTS] or {}, keep_events)
    return tree


class LedgerStorage(AtomicJSONStorage):
    """AtomicJSONStorage of the main file, with its companions (store.ledger)."""

    def __init__(self, path: str | Path, *, ledger: LedgerFiles, **kwargs: Any):
        super().__init__(path, **kwargs)
        self.ledger = ledger
        self.scope: Scope | None = None
        """Set before a read: only that group's companions are read (see store.ledger)."""
        self.keep_events: EventFilter | None = None
        """Set before a snapshot's read: only these events are kept (snapshot_read)."""
        self._loaded: dict[str, tuple[bytes, list[int] | None]] = {}
        """Companions as the last read found them: raw bytes and key, by shard."""
        self._scoped = False
        self.committed = False
        """The last write() wrote the main file (store.index.write_main reads it)."""

    # ------------------------------------------------------------------ read

    def read(self) -> dict[str, Any] | None:
        main = super().read()
        if main is None:
            self._loaded, self._scoped = {}, False
            return None
        self.ledger.finish(main)
        return self._assemble(main)

    def _assemble(self, main: dict[str, Any]) -> dict[str, Any]:
        tree = dict(main)
        shards = tree.get(SHARDS) or {}
        wanted = [r for r in shards.values() if isinstance(r, dict)
                  and isinstance(r.get("shard"), str) and r.get("ledger")]  # fmt: skip
        if self.scope is not None:
            picked = set(self.scope(wanted))
            wanted = [r for r in wanted if r["shard"] in picked]
        keep = self.keep_events
        rows: dict[str, Any] = dict(main.get(SHEETS) or {})
        events: dict[str, Any] = _kept(main.get(EVENTS) or {}, keep)
        loaded: dict[str, tuple[bytes, list[int] | None]] = {}
        stale: set[str] = set()
        for shard_row in wanted:
            rel = shard_row["shard"]
            if rel in loaded:
                continue
            part, raw, key = self.ledger.load(rel)
            # A snapshot never writes: its companions' bytes need not be held for a compare.
            loaded[rel] = (b"" if self.read_only else raw, key)
            events.update(_kept(part.get(EVENTS) or {}, keep))
            if key == shard_row.get("ledger"):
                rows.update(part.get(SHEETS) or {})
            else:
                stale.add(rel)  # put back from elsewhere: its rows are rebuilt from the shard
        if stale:
            tree[SHARDS] = {
                k: ({**r, "key": None} if isinstance(r, dict) and r.get("shard") in stale else r)
                for k, r in shards.items()
            }
        self._loaded, self._scoped = loaded, self.scope is not None
        if self._scoped:
            info = ledger_row(main)
            tree[SHEETS] = scoped_rows = ScopedTable(rows)
            scoped_rows.floor = int(info.get("rows_max") or 0)
            tree[EVENTS] = scoped_events = ScopedTable(events)
            scoped_events.floor = int(info.get("events_max") or 0)
            scoped_events.heads = dict(info.get("heads") or {})
        else:
            if rows or SHEETS in main:
                tree[SHEETS] = _int_sorted(rows) if loaded else rows
            if events or EVENTS in main:
                tree[EVENTS] = _int_sorted(events) if loaded else events
        return tree

    # ------------------------------------------------------------------ write

    def write(self, data: dict[str, Any]) -> None:
        check_usable(self, writing=True)  # before anything is staged
        self.committed = False
        main, parts = split(data)
        info = ledger_row(main) if self._scoped else {}
        rows, events = data.get(SHEETS) or {}, data.get(EVENTS) or {}
        main[LEDGER_TABLE] = {"1": {
            "rows_max": max_id(rows, int(info.get("rows_max") or 0)),
            "events_max": max_id(events, int(info.get("events_max") or 0)),
            "heads": heads_of(events, info.get("heads") if self._scoped else None),
        }}  # fmt: skip
        meta = next(iter((main.get("meta") or {}).values()), None)
        main["meta"] = {"1": {**(meta if isinstance(meta, dict) else {}), "schema": SCHEMA}}
        staged: dict[str, staging.Staged] = {}
        keys: dict[str, list[int] | None] = {rel: key for rel, (_, key) in self._loaded.items()}
        payloads: dict[str, bytes] = {}
        try:
            for rel, part in parts.items():
                payloads[rel] = payload = companion_bytes(part)
                if rel in self._loaded and self._loaded[rel][0] == payload:
                    continue
                if rel not in self._loaded and self._same_on_disk(rel, payload, keys):
                    continue  # a tree written without being read here (tools, tests)
                staged[rel] = staging.stage(self.ledger.path(rel), payload)
                keys[rel] = staged[rel].key
            # A whole tree names every companion it keeps: the others go (a shard forgotten,
            # or all its rows removed). A scoped tree knows only its own.
            named = {str(r["shard"]) for r in (main.get(SHARDS) or {}).values()
                     if isinstance(r, dict) and r.get("ledger") and r.get("shard")}  # fmt: skip
            gone = [] if self._scoped else sorted((set(self._loaded) | named) - set(parts))
            self._record(main, keys, gone, staged, parts)
            super().write(main)
            self.committed = True  # the commit point: from here on the journal finishes it
        except BaseException:
            for item in staged.values():
                staging.discard(item)
            raise
        for rel, item in sorted(staged.items()):
            staging.put_in_place(self.ledger.path(rel), item.path, self.ledger.hooks(rel),
                                 item.payload)  # fmt: skip
        for rel in gone:
            remove_companion(self.ledger, rel)
        self._loaded = {rel: (payloads[rel], keys[rel]) for rel in keys if rel in parts}

    def _same_on_disk(self, rel: str, payload: bytes, keys: dict[str, list[int] | None]) -> bool:
        try:
            with open(self.ledger.path(rel), "rb") as f:
                st = os.fstat(f.fileno())
                same = f.read() == payload
        except FileNotFoundError:
            return False
        if same:
            keys[rel] = [st.st_size, st.st_mtime_ns]
        return same

    def _record(self, main: dict[str, Any], keys: dict[str, list[int] | None], gone: list[str],
                staged: dict[str, staging.Staged],
                parts: dict[str, dict[str, Any]]) -> None:  # fmt: skip
        """Each shard row names its companion's key; the journal names the staged ones."""
        table = main.get(SHARDS) or {}
        new = {}
        for doc_id, row in table.items():
            if isinstance(row, dict) and row.get("shard") in keys and row["shard"] not in gone:
                row = {**row, "ledger": keys[row["shard"]]}
                if row["shard"] in parts and (row["shard"] in staged or "bloom" not in row):
                    row["bloom"] = bloom(parts[row["shard"]][SHEETS].values())
            elif isinstance(row, dict) and row.get("shard") in gone:
                row = {k: v for k, v in row.items() if k not in ("ledger", "bloom")}
            new[doc_id] = row
        named = {r.get("shard") for r in new.values() if isinstance(r, dict)}
        for rel in sorted(set(keys) - named - set(gone)):
            # rows naming a shard the shards table lacks: recorded with no key, so the next
            # read finds its companion and rebuilds its rows from the shard
            new[str(max_id(new) + 1)] = {"shard": rel, "key": None, "ledger": keys[rel]}
        if table or new:
            main[SHARDS] = new
        if staged:
            # the staged shards of this commit (store.index.write_main), then the companions
            journal = [r for r in (main.get(JOURNAL) or {}).values()
                       if isinstance(r, dict) and isinstance(r.get("staged"), str)
                       and (self.ledger.root / r["staged"]).exists()]  # fmt: skip
            journal += [{"shard": companion_rel(rel),
                         "staged": item.path.relative_to(self.ledger.root).as_posix()}
                        for rel, item in sorted(staged.items())]  # fmt: skip
            main[JOURNAL] = {str(i): r for i, r in enumerate(journal, 1)}


def _kept(events: dict[str, Any], keep: EventFilter | None) -> dict[str, Any]:
    if keep is None:
        return dict(events)
    return {k: e for k, e in events.items() if isinstance(e, dict) and keep(e)}
