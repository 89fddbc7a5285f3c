"""The sheet archive, partitioned: finalized sheets live in shard files beside the main database.

Layout (issue 7, item 3): `<db folder>/archive/<form>/<round>-NNNN.json` (for a custom database
name `<db folder>/<db stem>-archive/...`), each a TinyDB file with one `submissions` table written
by the same AtomicJSONStorage as the main file (atomic, UTF-8, schema-stamped), at most
SHARD_CAPACITY sheets. The main database keeps a small `sheets` index (one row per revision, with
the shard that holds it) and a `shards` table (per shard: form, round, count and the size and
mtime it had when the main file last recorded it). A shard whose size or mtime differs from what
the main file recorded was written by a write that did not reach the main file (a crash between
the two) or put back from a backup: its index rows are rebuilt from its content whenever it is
read through the index, and at the next write. Shards are written only while the main
database's lock is held; they share that lock (no lock files of their own).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from inspect_kit.store import held, staging
from inspect_kit.store.backups import Hooks
from inspect_kit.store.database import Database
from inspect_kit.store.parsing import database_bytes
from inspect_kit.store.record_types import check_table, sheet_problem, subject_problem
from inspect_kit.store.shard_names import LEGACY
from inspect_kit.store.shard_names import SHARD_NAME as _SHARD_NAME
from inspect_kit.store.shard_tail import Tail, tail_facts, tail_of

SHARD_CAPACITY = 250
ROSTER, SUBJECTS = ".roster/subjects.json", "subjects"
"""The roster's own file under the archive folder (a dot folder: never taken for a form's
shards), written like a shard, so a big roster is not parsed by every command (issue 16)."""
_SAFE = re.compile(r"[^0-9A-Za-z_-]")
INDEX_KEYS = ("uuid", "revision", "form", "round", "subject", "subject_name", "rater", "role",
              "status", "finalized_at")  # fmt: skip


def archive_dir(db_path: Path) -> Path:
    """Where the shards of the database at `db_path` live."""
    db_path = Path(db_path)
    if db_path.name == "inspect-kit.json":
        return db_path.parent / "archive"
    return db_path.parent / f"{db_path.stem}-archive"


def safe_part(text: Any) -> str:
    """A form id or round as a file name part: ASCII letters, digits, `_` and `-` only; any
    other text gets a short hash so two different ids never share a folder."""
    raw = str(text)
    safe = _SAFE.sub("_", raw)[:60] or "_"
    if safe != raw:
        safe += "-" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:8]
    return safe


def shard_rel(form: str, round_: Any, number: int) -> str:
    return f"{safe_part(form)}/{safe_part(round_)}-{number:04d}.json"


def index_row(doc: dict[str, Any], shard: str) -> dict[str, Any]:
    """The index entry of one stored sheet revision (what list screens show)."""
    score = doc.get("score") or {}
    row = {k: doc.get(k) for k in INDEX_KEYS}
    row.update(
        total=score.get("total"), bonus=score.get("bonus"), final=score.get("final"),
        grade=score.get("grade"), vetoed=bool(score.get("vetoes")), shard=shard,
    )  # fmt: skip
    return row


def shard_files(root: Path, folder: str | None = None) -> list[tuple[str, Path]]:
    """(relative name, path) of every shard file under an archive folder (or in one form's
    `folder`), in order."""
    return [(rel, root / rel) for rel in shard_names(root, folder)]


def shard_names(root: Path, folder: str | None = None) -> list[str]:
    """shard_keys without a stat of each file: what a listing needs."""
    return list(shard_keys(root, folder, stat=False))


def shard_keys(root: Path, folder: str | None = None, *,
               stat: bool = True) -> dict[str, list[int]]:  # fmt: skip
    """{relative name: [size, mtime_ns]} of every shard file under an archive folder (or in
    one form's `folder`), in order (`stat` False: [] for each). One os.scandir pass and one
    name match a file, no Path objects: a finalize lists a 100k archive's 400 shards (pathlib
    cost 25 ms there)."""
    try:
        with os.scandir(root) as entries:
            folders = sorted(e.name for e in entries if e.is_dir() and not e.name.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
        return {}
    found: dict[str, list[int]] = {}
    for name in folders if folder is None else [f for f in folders if f == folder]:
        listed: list[tuple[str, int, str, list[int]]] = []
        try:
            with os.scandir(os.path.join(root, name)) as entries:
                for e in entries:
                    m = _SHARD_NAME.fullmatch(e.name)
                    if m and e.is_file():
                        st = e.stat() if stat else None
                        listed.append((m["round"], int(m["n"]), e.name,
                                       [st.st_size, st.st_mtime_ns] if st else []))  # fmt: skip
        except (FileNotFoundError, NotADirectoryError):
            continue
        listed.sort(key=lambda item: item[:3])  # the order of _order, within the folder
        for _, _, file_name, key in listed:
            found[f"{name}/{file_name}"] = key
    return found


def _order(rel: str) -> tuple[str, str, int]:
    m = _SHARD_NAME.fullmatch(rel.rsplit("/", 1)[-1])
    return (rel.split("/")[0], m.group("round"), int(m.group("n"))) if m else (rel, "", 0)


def lost_shard_files(root: Path) -> list[tuple[str, Path]]:
    """(relative name, path) of every shard that held sheets (its marker is there) and is gone."""
    found = []
    if root.is_dir():
        for folder in sorted(root.iterdir()):
            if folder.is_dir() and not folder.name.startswith("."):
                for marker in sorted(folder.glob(".*.json.held")):
                    name = marker.name[1:].removesuffix(".held")
                    if _SHARD_NAME.fullmatch(name) and not (folder / name).exists():
                        found.append((f"{folder.name}/{name}", folder / name))
    return found


def _group(rel: str) -> str:
    m = _SHARD_NAME.fullmatch(rel.rsplit("/", 1)[-1])
    return m.group("round") if m else ""


class Shards:
    """The shard files of one main database (or their in-memory twins)."""

    def __init__(self, main: Database):
        self.main = main
        self.root = archive_dir(main.path) if main.path is not None else None
        self.backups_root = (
            main.backups_dir / self.root.name
            if main.backups_dir is not None and self.root is not None
            else None
        )
        self._dbs: dict[str, Database] = {}
        self._staged: dict[str, staging.Staged] = {}
        """Shards written by the open transaction, not yet in place (see store.staging)."""

    def db(self, rel: str) -> Database:
        if rel not in self._dbs:
            if self.root is None:
                self._dbs[rel] = Database(None, name=rel, lock_with=self.main)
            else:
                folder, name = rel.rsplit("/", 1)  # a companion: `.ledger/<form>/...`
                assert self.backups_root is not None
                self._dbs[rel] = Database(
                    self.root / rel,
                    backups_dir=self.backups_root / folder,
                    name=name.removesuffix(".json"),
                    keep_backups=self.main.keep_backups,
                    lock_with=self.main,
                    backup_writes=True,
                )
        return self._dbs[rel]

    def listing(self, form: str | None = None, round_: Any = None) -> list[str]:
        """Relative names of the shards that can hold sheets of this form and round."""
        if self.root is None:
            names = [rel for rel, db in self._dbs.items()
                     if db.has_content() and rel != ROSTER and not rel.startswith(".")]  # fmt: skip
        else:
            names = shard_names(self.root, None if form is None else safe_part(form))
            listed = set(names)
            names += [rel for rel in self._staged if rel not in listed and rel != ROSTER
                      and not rel.startswith(".")]  # fmt: skip
        names.sort(key=_order)
        if form is not None:
            names = [r for r in names if r.split("/")[0] == safe_part(form)]
        if round_ is not None:
            names = [r for r in names if _group(r) == safe_part(round_)]
        return names

    def present(self) -> dict[str, list[int] | None]:
        """{shard: its key} of every shard there is (or staged): listing() and key() at once."""
        if self.root is None:
            return {rel: None for rel in self.listing()}
        found: dict[str, list[int] | None] = dict(shard_keys(self.root))  # in order
        staged = {rel: list(item.key) for rel, item in self._staged.items()
                  if rel != ROSTER and not rel.startswith(".")}  # fmt: skip
        if not staged:
            return found
        found.update(staged)
        return {rel: found[rel] for rel in sorted(found, key=_order)}

    def group(self, form: str, round_: Any) -> list[str]:
        return self.listing(form, round_)

    def has(self, rel: str) -> bool:
        """Whether the file exists (or is staged, or in memory holds anything)."""
        if rel in self._staged:
            return True
        if self.root is None:
            return rel in self._dbs and self._dbs[rel].has_content()
        return (self.root / rel).exists() or self.lost(rel)

    def check_roster(self) -> None:
        """An emptied or deleted roster file is refused by every command, not only by those
        that read the roster: a stat, and a read (which raises) only when it looks empty."""
        if self.root is None or not held.is_held(self.root / ROSTER):
            return
        try:
            small = os.stat(self.root / ROSTER).st_size <= 2
        except FileNotFoundError:
            small = True
        if small:
            self.read_table(ROSTER, SUBJECTS)  # raises DatabaseDamaged naming its backup

    def lost(self, rel: str) -> bool:
        """Whether the shard held sheets once (its marker is there) and its file is gone."""
        if self.root is None:
            return False
        path = self.root / rel
        return held.is_held(path) and not path.exists()

    def key(self, rel: str) -> list[int] | None:
        """What the main file records to notice a shard written or replaced behind its back."""
        if self.root is None:
            return None
        if rel in self._staged:
            return list(self._staged[rel].key)
        try:
            st = os.stat(os.path.join(self.root, rel))
        except FileNotFoundError:
            return None
        return [st.st_size, st.st_mtime_ns]

    def read_table(self, rel: str, name: str = LEGACY) -> dict[str, Any]:
        """The shard's `submissions` table (or the roster file's `subjects`): {doc id: record}
        (fresh objects, the caller's own)."""
        if rel in self._staged:
            return dict(orjson.loads(self._staged[rel].payload).get(name) or {})
        with self.db(rel).snapshot() as t:
            data = t.storage.read() or {}
        table = dict(data.get(name) or {})
        where = self.root / rel if self.root is not None else Path(rel)
        check_table(where, table, sheet_problem if name == LEGACY else subject_problem)
        return table

    def read(self, rel: str) -> list[dict[str, Any]]:
        return list(self.read_table(rel).values())

    def write_table(self, rel: str, table: dict[str, Any]) -> None:
        """Replace the shard's table in one atomic write now (main lock held by the caller, who
        has just read it: the write does not parse it again). A shard holds nothing else."""
        self.db(rel).write_whole({LEGACY: table})

    def stage_table(self, rel: str, table: dict[str, Any], name: str = LEGACY) -> None:
        """Stage the shard's new table (main lock held by the caller, who has just read it): a
        staged file beside it, put in place by commit() after the main file's write. In memory:
        written at once."""
        if self.root is None:
            self.db(rel).write_whole({name: table})
            return
        self.stage_bytes(rel, database_bytes({name: table}), sheets=name == LEGACY)

    def stage_bytes(self, rel: str, payload: bytes, *, sheets: bool = True) -> None:
        """stage_table of bytes already built: a shard's (`sheets`: exactly the encoding of
        its one table, as an append builds them, store.shard_tail) or another file's."""
        assert self.root is not None
        new = staging.stage(self.root / rel, payload)
        if (old := self._staged.pop(rel, None)) is not None:
            staging.discard(old)
        self._staged[rel] = new
        new.sheets = sheets

    def tail(self, rel: str, row: dict[str, Any] | None, capacity: int) -> Tail | None:
        """The newest shard of a group for an append without a parse, when its file is the
        one its shards `row` records (same key, and digest: store.shard_tail); else None."""
        if self.root is None or row is None or rel in self._staged or not row.get("key"):
            return None
        try:
            with open(os.path.join(self.root, rel), "rb") as f:
                st = os.fstat(f.fileno())
                if [st.st_size, st.st_mtime_ns] != row["key"]:
                    return None
                full = type(row.get("count")) is int and row["count"] >= capacity
                raw = None if full else f.read()
        except OSError:
            return None
        return tail_of(raw, row, capacity)

    def tail_facts(self, rel: str, count: int, next_id: int, capacity: int) -> dict[str, Any]:
        """What the shards row keeps of a staged shard for the next append (shard_tail)."""
        staged = self._staged.get(rel)
        if staged is None or not staged.sheets:
            return {}
        return tail_facts(staged.payload, count, next_id, capacity)

    def journal(self) -> dict[str, Any]:
        """The journal rows the main file's commit write carries ({} when nothing is staged)."""
        if self.root is None or not self._staged:
            return {}
        return staging.journal_rows(self.root, self._staged)

    def commit(self) -> None:
        """The main file has been written: rename every staged shard into place."""
        staged, self._staged = self._staged, {}
        assert self.root is not None or not staged
        for rel, item in sorted(staged.items()):
            assert self.root is not None
            staging.put_in_place(self.root / rel, item.path, self._hooks(rel), item.payload)

    def release(self) -> None:
        """The main file's write committed the staged shards, and putting them in place was
        cut short: they are left for the journal (store.staging.finish), not dropped."""
        self._staged = {}

    def abort(self) -> None:
        """Drop what the transaction staged (its main write failed or never came)."""
        staged, self._staged = self._staged, {}
        for item in staged.values():
            staging.discard(item)

    def finish(self, data: dict[str, Any]) -> int:
        """Complete the journal a crash left in the main tree (see store.staging.finish)."""
        return staging.finish(self.root, data, self._hooks)

    def _hooks(self, rel: str) -> Hooks | None:
        db = self.db(rel)
        return db.write_hooks() if db.backups_dir is not None else None


def next_id(table: dict[str, Any]) -> int:
    """The next free id; a scoped table (store.ledger) knows the archive-wide floor."""
    return max(max(map(int, table), default=0), getattr(table, "floor", 0)) + 1


def add_rows(table: dict[str, Any], docs: Iterable[dict[str, Any]]) -> None:
    start = next_id(table)
    for offset, doc in enumerate(docs):
        table[str(start + offset)] = doc
