"""The sheet index (DESIGN §4): the main file's `sheets` rows and `shards` table kept in line with
the shard files, and the one way a write puts sheets into shards.

ShardIndex reads the index as it truly is (IndexView: rows of shards written behind the main
file's back rebuilt from their content), brings a main tree in line with the shards (prepare),
and appends or replaces sheets (put, replace: each touched shard written once, index rows into
the main tree). MainEdit is one write transaction of the main file over that index: the Store's
`edit()` hands one out, and merge, conflicts and doctor write through it. Every shard write
happens under the main database's lock, before the one write of the main file.
"""

from __future__ import annotations

import platform
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from inspect_kit.domain.clock import now_iso
from inspect_kit.domain.records import newest_revisions
from inspect_kit.store.archive import (
    LEGACY,
    ROSTER,
    SHARD_CAPACITY,
    SUBJECTS,
    Shards,
    add_rows,
    index_row,
    next_id,
    shard_rel,
)
from inspect_kit.store.event_chain import seal_events
from inspect_kit.store.ledger import companion_rel
from inspect_kit.store.ledger_storage import Scope, scoped_read
from inspect_kit.store.record_types import check_table, index_problem, subject_problem
from inspect_kit.store.shard_names import SHARDS, SHEETS, shard_number
from inspect_kit.store.staging import JOURNAL
from inspect_kit.store.storage import AtomicJSONStorage

Row = dict[str, Any]
Key = tuple[str, int]
"""(uuid, revision) of one stored sheet revision."""


@dataclass
class IndexView:
    """The index as it truly is (see ShardIndex.view)."""

    rows: list[Row]
    drifted: dict[str, list[Row]]
    """Shards whose file differs from what the main file recorded: rel -> their records."""
    orphans: set[Key]
    """(uuid, revision) in a drifted shard without a recorded index row."""


class ShardIndex:
    """The index of one store's shards; `data` arguments are the parsed main file."""

    def __init__(self, shards: Shards):
        self.shards = shards

    def view(self, data: dict[str, Any], *, everything: bool = False) -> IndexView:
        """The index as it truly is: recorded rows, an old layout's sheets, and the rows of any
        shard written or replaced behind the main file's back rebuilt from its content
        (`everything`: every shard read and rebuilt, for `doctor --repair`)."""
        self.shards.finish(data)  # a commit a crash cut short: its staged shards go in first
        self.shards.check_roster()
        recorded = {r.get("shard"): r for r in (data.get(SHARDS) or {}).values()}
        present = self.shards.present()
        drifted: dict[str, list[Row]] = {}
        for rel, key in present.items():
            rec = recorded.get(rel)
            if everything or rec is None or rec.get("key") != key:
                drifted[rel] = self.shards.read(rel)
        for rel in recorded:
            if rel not in present and rel not in drifted:
                if self.shards.lost(str(rel)):
                    self.shards.read(str(rel))  # raises DatabaseDamaged naming its backup
                drifted[str(rel)] = []  # the file is gone: its rows point at nothing
        sheets = data.get(SHEETS) or {}
        check_table(self.shards.main.path or Path("<memory>"), sheets, index_problem,
                    self._row_file)  # fmt: skip
        kept = [r for r in sheets.values() if r.get("shard") not in drifted]
        rows = kept + [index_row(d, "") for d in (data.get(LEGACY) or {}).values()]
        orphans: set[Key] = set()
        if drifted:
            known = {(r["uuid"], r["revision"]) for r in (data.get(SHEETS) or {}).values()}
            for rel, docs in drifted.items():
                for d in docs:
                    rows.append(index_row(d, rel))
                    if (d["uuid"], d["revision"]) not in known:
                        orphans.add((d["uuid"], d["revision"]))
        return IndexView(rows, drifted, orphans)

    def _row_file(self, row: Any) -> Path:
        """The file an index row is kept in: its shard's companion (store.ledger)."""
        main = self.shards.main.path or Path("<memory>")
        rel = row.get("shard") if isinstance(row, dict) else None
        if self.shards.root is None or not isinstance(rel, str) or not rel:
            return main
        return self.shards.root / companion_rel(rel)

    def prepare(self, data: dict[str, Any], view: IndexView, keep: Collection[Key] = ()) -> None:
        """Bring `data` (the main tree of a write transaction) in line with the shards: rebuild
        the rows of drifted shards (logging a recovered event for a sheet that has none, except
        those in `keep`), then move an old layout's sheets into shards, skipping any a cut-short
        move already put there. Nothing here writes the main file; the caller's one write does."""
        if view.drifted:
            rows = [r for r in (data.get(SHEETS) or {}).values()
                    if r.get("shard") not in view.drifted]  # fmt: skip
            for rel, docs in view.drifted.items():
                rows += [index_row(d, rel) for d in docs]
                if docs:
                    self._record_shard(data, rel, docs[0]["form"], docs[0]["round"], len(docs))
                else:
                    self._forget_shard(data, rel)
            data[SHEETS] = {str(i): r for i, r in enumerate(rows, 1)}
            events = (data.get("events") or {}).values()
            logged = {(e.get("uuid"), e.get("revision")) for e in events}
            by_key = {(d["uuid"], d["revision"]): d for docs in view.drifted.values() for d in docs}
            recovered = []
            for key in sorted(set(by_key) - set(keep) - logged):
                d = by_key[key]
                name = ("voided" if d.get("status") == "void"
                        else "amended" if d["revision"] > 1 else "finalized")  # fmt: skip
                recovered.append({"event": name, "uuid": d["uuid"], "by": d.get("rater", ""),
                                  "at": d.get("finalized_at") or now_iso(),
                                  "device": d.get("device") or platform.node(),
                                  "revision": d["revision"], "recovered": True})  # fmt: skip
            table = data.setdefault("events", {})
            add_rows(table, seal_events(table.values(), recovered))
        if LEGACY in data:
            legacy = list((data.pop(LEGACY) or {}).values())
            have = {(r["uuid"], r["revision"]) for r in (data.get(SHEETS) or {}).values()}
            self.put(data, [d for d in legacy if (d["uuid"], d["revision"]) not in have])

    def _record_shard(self, data: dict[str, Any], rel: str, form: str, round_: Any,
                      count: int, next_record: int | None = None) -> None:  # fmt: skip
        """The shard's row: its key, and (staged with room left) what an append needs."""
        table = data.setdefault(SHARDS, {})
        row = {"shard": rel, "form": form, "round": str(round_), "count": count,
               "key": self.shards.key(rel)}  # fmt: skip
        if next_record is not None:
            row.update(self.shards.tail_facts(rel, count, next_record, SHARD_CAPACITY))
        for doc_id, old in table.items():
            if old.get("shard") == rel:
                for kept in ("ledger", "bloom"):  # its companion's: the main write keeps them true
                    if kept in old:
                        row[kept] = old[kept]
                table[doc_id] = row
                return
        add_rows(table, [row])

    @staticmethod
    def _forget_shard(data: dict[str, Any], rel: str) -> None:
        table = data.get(SHARDS) or {}
        data[SHARDS] = {k: r for k, r in table.items() if r.get("shard") != rel}

    def put(self, data: dict[str, Any], docs: list[Row]) -> None:
        """Append sheets to the newest shard of their (form, round), starting the next one at
        SHARD_CAPACITY; each touched shard is written once; index rows go into `data`."""
        groups: dict[tuple[str, Any], list[Row]] = {}
        for doc in docs:
            groups.setdefault((doc["form"], doc["round"]), []).append(doc)
        rows: list[Row] = []  # added once: numbering a 10k index per chunk is slow
        recorded = {r.get("shard"): r for r in (data.get(SHARDS) or {}).values()}
        for (form, round_), group in groups.items():
            rels = self.shards.group(form, round_)
            number = shard_number(rels[-1]) if rels else 1
            rel = shard_rel(form, round_, number)
            tail = self.shards.tail(rel, recorded.get(rel), SHARD_CAPACITY) if rels else None
            pos, table = 0, {}
            if tail is not None:  # its row vouches for it: appended to without a parse
                if tail.count < SHARD_CAPACITY:
                    pos = min(len(group), SHARD_CAPACITY - tail.count)
                    self.shards.stage_bytes(rel, tail.appended(group[:pos]))
                    self._record_shard(data, rel, form, round_, tail.count + pos,
                                       tail.next_id + pos)  # fmt: skip
                    rows += [index_row(d, rel) for d in group[:pos]]
                number += 1
                rel = shard_rel(form, round_, number)
            elif rels:
                table = self.shards.read_table(rel)
            while pos < len(group):
                if len(table) >= SHARD_CAPACITY:
                    number += 1
                    rel, table = shard_rel(form, round_, number), {}
                chunk = group[pos : pos + SHARD_CAPACITY - len(table)]
                pos += len(chunk)
                add_rows(table, chunk)
                self.shards.stage_table(rel, table)
                self._record_shard(data, rel, form, round_, len(table), next_id(table))
                rows += [index_row(d, rel) for d in chunk]
        add_rows(data.setdefault(SHEETS, {}), rows)

    def replace(self, data: dict[str, Any], doc: Row, rel: str) -> None:
        """Put `doc` in place of the stored record with its (uuid, revision) in shard `rel`."""
        key = (doc["uuid"], doc["revision"])
        if rel == "":  # an old layout's record still in the main file
            table = data.get(LEGACY) or {}
            target = next(k for k, d in table.items() if (d["uuid"], d["revision"]) == key)
            table[target] = doc
        else:
            table = self.shards.read_table(rel)
            target = next(k for k, d in table.items() if (d["uuid"], d["revision"]) == key)
            table[target] = doc
            self.shards.stage_table(rel, table)
            self._record_shard(data, rel, doc["form"], doc["round"], len(table), next_id(table))
        sheets = data.setdefault(SHEETS, {})
        for k, row in sheets.items():
            if (row["uuid"], row["revision"]) == key:
                sheets[k] = index_row(doc, rel)

    def write_main(self, db: TinyDB, data: dict[str, Any]) -> None:
        """Write the main tree with the journal of the staged shards, then put them in place;
        if the main write fails, the staged shards are dropped: nothing of it is visible."""
        journal = self.shards.journal()
        if journal:
            data[JOURNAL] = journal
        else:
            data.pop(JOURNAL, None)
        try:
            db.storage.write(data)
        except BaseException:
            if getattr(db.storage, "committed", False):
                # The main file was written (a companion's rename failed after it): the
                # commit stands, and the next read finishes its journal, shards included.
                self.shards.release()
            else:
                self.shards.abort()
            raise
        self.shards.commit()

    def docs_for(self, data: dict[str, Any], view: IndexView, rows: list[Row]) -> list[Row]:
        """The stored records behind index rows, each shard read once."""
        wanted = {(r["uuid"], r["revision"]) for r in rows}
        out = []
        for rel in sorted({r["shard"] for r in rows}):
            if rel == "":
                docs = list((data.get(LEGACY) or {}).values())
            elif rel in view.drifted:
                docs = view.drifted[rel]
            else:
                docs = self.shards.read(rel)
            out += [d for d in docs if (d["uuid"], d["revision"]) in wanted]
        return out


class MainEdit:
    """One write transaction of the main file (its lock held): the tree as read, the true
    index, and the sheet writes that go into shards; write() writes the main file once."""

    def __init__(self, index: ShardIndex, db: TinyDB, *, everything: bool = False,
                 scope: Scope | None = None):  # fmt: skip
        """`scope`: only these (form, round) groups' index rows and events are read (a
        finalize: store.ledger); the whole tree is read after all when the index needs work
        beyond them (a shard written behind the main file's back, an old layout)."""
        self._index, self._db = index, db
        scope = None if everything else scope
        self.data: dict[str, Any] = scoped_read(db, scope)
        self.view = index.view(self.data, everything=everything)
        if scope is not None and (self.view.drifted or LEGACY in self.data
                                  or SUBJECTS in self.data):  # fmt: skip
            self.data = scoped_read(db, None)
            self.view = index.view(self.data)
        self._roster: dict[str, Any] | None = None

    def has_legacy_roster(self) -> bool:
        """The main file still holds a roster (a workspace from before it moved out)."""
        return SUBJECTS in self.data

    def roster(self) -> dict[str, Any]:
        """The roster table {doc id: subject} from its own file (and, in a workspace from before
        it moved, from the main file), read on first use; edit it in place, write() keeps it."""
        if self._roster is None:
            self._roster = roster_table(self._index.shards, self.data)
        return self._roster

    def prepare(self, keep: Collection[Key] = ()) -> None:
        """Bring the tree in line with the shards (see ShardIndex.prepare)."""
        self._index.prepare(self.data, self.view, keep)

    def put(self, docs: list[Row]) -> None:
        """Append sheets to their shards (written now) and their rows to the tree."""
        self._index.put(self.data, docs)

    def replace(self, doc: Row, rel: str) -> None:
        self._index.replace(self.data, doc, rel)

    def docs_for(self, rows: list[Row]) -> list[Row]:
        return self._index.docs_for(self.data, self.view, rows)

    def row(self, key: Key) -> Row | None:
        """The index row of one stored revision, if any."""
        return next((r for r in self.view.rows if (r["uuid"], r["revision"]) == key), None)

    def table(self, name: str) -> dict[str, Any]:
        """A main-file table of the tree, created empty if missing (edit it in place)."""
        return self.data.setdefault(name, {})

    def write(self) -> None:
        """The one write of the main file: the commit point (see store.staging). The shards
        staged so far are named in its journal and renamed into place right after it."""
        if self._roster is not None or SUBJECTS in self.data:
            self._index.shards.stage_table(ROSTER, self.roster(), SUBJECTS)
            self.data.pop(SUBJECTS, None)  # moved out of the main file for good
        self._index.write_main(self._db, self.data)


def roster_table(shards: Shards, data: dict[str, Any]) -> dict[str, Any]:
    """The roster: its own file, plus any entries still in an old main file's `subjects`."""
    table = shards.read_table(ROSTER, SUBJECTS) if shards.has(ROSTER) else {}
    check_table(shards.main.path or Path("<memory>"), data.get(SUBJECTS) or {}, subject_problem)
    legacy = list((data.get(SUBJECTS) or {}).values())
    if legacy:
        ids = {d.get("id") for d in table.values()}
        add_rows(table, [d for d in legacy if d.get("id") not in ids])
    return table


def own_rows(db: TinyDB, rows: list[Row]) -> list[Row]:
    """A view's rows for the caller to keep and change: a file's tree was parsed for this read
    alone, so its rows are the caller's (no copy: at 10k sheets a copy was a tenth of the list
    screens' peak memory); an in-memory store's tree is shared, so it gets copies."""
    return list(rows) if isinstance(db.storage, AtomicJSONStorage) else [dict(r) for r in rows]


def filtered(docs: list[Row], *, form: str | None, round: str | None, subject: str | None,
             status: str | None, rater: str | None, all_revisions: bool) -> list[Row]:  # fmt: skip
    """Sheets (records or index rows) matching every filter given, newest revision of each
    unless all_revisions, ordered by form, round, subject and rater."""
    if not all_revisions:
        docs = newest_revisions(docs)

    def keep(d: Row) -> bool:
        return ((form is None or d["form"] == form) and (round is None or d["round"] == round)
                and (subject is None or d["subject"] == subject)
                and (status is None or d["status"] == status)
                and (rater is None or d["rater"] == rater))  # fmt: skip

    if (form, round, subject, status, rater) != (None,) * 5:  # else every row is kept
        docs = [d for d in docs if keep(d)]
    return sorted(docs, key=lambda d: (d["form"], d["round"], d["subject"], d["rater"]))
