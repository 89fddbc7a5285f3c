"""The main file's per-sheet tables, kept beside each shard (issue 18): the ledger.

Why: the `sheets` index rows and the sheets' events made the main file grow with the archive
(8.5 MB at 10k sheets, 84 MB at 100k), and every finalize parsed and rewrote it whole: 90% of a
finalize's time. Now each shard `<form>/<round>-NNNN.json` has a companion
`.ledger/<form>/<round>-NNNN.json` holding its sheets' index rows and the events about them; the
main file keeps the small tables (forms, shards, conflicts, reviews, 整改, meta, the events
about no stored sheet) and, per shard, the key (size, mtime) its companion had when written.

The split is physical only. The main file's storage (LedgerStorage) reads the main file and
every companion into the one tree every reader has always seen, and a write splits that tree
again: only the companions whose bytes change are written, each staged and committed by the
main file's write exactly like a shard (store.staging), with backups and a `held` marker. A
companion the main file names that is gone, emptied or unreadable is refused, naming its
backup. One whose key differs from the recorded one (put back from a backup) gives no index
rows: its shard is read and its rows rebuilt, like a shard written behind the main file's back.

A scoped read (`scope = (form, round)`) loads only the companions of that group: a finalize
costs the same whatever the archive holds. Its tables carry the archive-wide id floors and the
chain heads (`ScopedTable`), so new rows and events get fresh ids and the right chain links.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_kit.base.signing import record_hash
from inspect_kit.store import held, staging
from inspect_kit.store.backups import Backups, Hooks
from inspect_kit.store.parsing import BadDatabaseBytes, database_bytes, parse_database_bytes
from inspect_kit.store.shard_names import EVENTS, SHARDS, SHEETS
from inspect_kit.store.storage import checked_bytes, damaged

LEDGER = ".ledger"
LEDGER_TABLE = "ledger"
"""The main file's one-row table: {"rows_max", "events_max", "heads": {key: [seq, hash]}}."""
JOURNAL = staging.JOURNAL
Heads = dict[str, list[Any]]


class ScopedTable(dict[str, Any]):
    """A table of a scoped tree: only some companions' rows, with the floor of the ids the
    whole archive uses (archive.next_id reads it) and, for events, the chain heads."""

    floor: int = 0
    heads: Heads | None = None


def companion_rel(shard_rel: str) -> str:
    return f"{LEDGER}/{shard_rel}"


@dataclass
class LedgerFiles:
    """Where the companions of one main file live, and their backups."""

    root: Path
    """The archive folder (shards are `root/<form>/<round>-NNNN.json`)."""
    backups_root: Path
    keep: int

    def path(self, rel: str) -> Path:
        return self.root / companion_rel(rel)

    def backups_dir(self, rel: str) -> Path:
        return self.backups_root / LEDGER / rel.rsplit("/", 1)[0]

    def name(self, rel: str) -> str:
        return rel.rsplit("/", 1)[-1].removesuffix(".json")

    def hooks(self, rel: str) -> Hooks:
        return Backups(self.path(rel), self.backups_dir(rel), self.name(rel), self.keep).hooks()

    def load(self, rel: str) -> tuple[dict[str, Any], bytes, list[int] | None]:
        """(tree, raw bytes, key) of a companion; refused (DatabaseDamaged) when it is gone,
        empty or unreadable."""
        path = self.path(rel)
        try:
            with open(path, "rb") as f:
                st = os.fstat(f.fileno())
                raw = f.read()
            data = checked_bytes(path, raw)
            if data is None:
                raise BadDatabaseBytes(held.EMPTY_DETAIL)
        except FileNotFoundError:
            bad = BadDatabaseBytes(held.MISSING_DETAIL)
            raise damaged(path, bad, self.backups_dir(rel), self.name(rel)) from None
        except BadDatabaseBytes as bad:
            raise damaged(path, bad, self.backups_dir(rel), self.name(rel)) from None
        return data, raw, [st.st_size, st.st_mtime_ns]

    def finish(self, main: dict[str, Any]) -> None:
        """Put in place the companions a commit cut short left staged: staging.finish over the
        journal's companion rows (the shards' rows are finished by the index's view)."""
        prefix = LEDGER + "/"
        rows = {k: r for k, r in (main.get(JOURNAL) or {}).items()
                if isinstance(r, dict) and str(r.get("shard")).startswith(prefix)}  # fmt: skip
        if rows:
            staging.finish(self.root, {JOURNAL: rows},
                           lambda rel: self.hooks(rel.removeprefix(prefix)))  # fmt: skip


def _int_sorted(table: dict[str, Any]) -> dict[str, Any]:
    """The table in id order, as one file kept it (readers take the last event as newest)."""
    try:
        order = sorted(table, key=int)
    except ValueError:
        return table  # a damaged id: the record checks name it
    return {k: table[k] for k in order}


def _owners(rows: dict[str, Any]) -> dict[Any, str]:
    """uuid -> the shard of its lowest stored revision: where its events are kept. A sheet's
    first revision never moves, so an event's file never changes once written, and an amended
    revision's finalize finds its events where its first revision is."""
    first: dict[Any, tuple[Any, str]] = {}
    for row in rows.values():
        rel = row.get("shard") if isinstance(row, dict) else None
        if not rel:
            continue
        uuid, rev = row.get("uuid"), row.get("revision")
        old = first.get(uuid)
        if old is None or (isinstance(rev, int) and isinstance(old[0], int) and rev < old[0]):
            first[uuid] = (rev, rel)
    return {u: rel for u, (_, rel) in first.items()}


def split(tree: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """(the main file's tree, {shard: companion tree}) of a whole tree. Rows go with the shard
    they name; an event with the shard of its sheet's first revision; the rest (events about
    no stored sheet) stay in the main file. Deterministic: the same tree always splits the
    same way, whether read whole or scoped."""
    rows = tree.get(SHEETS) or {}
    events = tree.get(EVENTS) or {}
    main = {k: v for k, v in tree.items() if k not in (SHEETS, EVENTS)}
    parts: dict[str, dict[str, Any]] = {}
    main_rows: dict[str, Any] = {}
    for doc_id, row in rows.items():
        rel = row.get("shard") if isinstance(row, dict) else None
        if rel:
            parts.setdefault(rel, {SHEETS: {}, EVENTS: {}})[SHEETS][doc_id] = row
        else:
            main_rows[doc_id] = row
    owners = _owners(rows)
    main_events: dict[str, Any] = {}
    for doc_id, event in events.items():
        rel = owners.get(event.get("uuid")) if isinstance(event, dict) else None
        if rel:
            parts.setdefault(rel, {SHEETS: {}, EVENTS: {}})[EVENTS][doc_id] = event
        else:
            main_events[doc_id] = event
    if main_rows:
        main[SHEETS] = main_rows
    if main_events:
        main[EVENTS] = main_events
    return main, parts


def heads_of(events: dict[str, Any], start: Heads | None = None) -> Heads:
    """The newest (seq, hash) of each device key's chain among `events`, from `start` on."""
    newest: dict[str, tuple[int, dict[str, Any] | None, str | None]] = {
        k: (v[0], None, v[1]) for k, v in (start or {}).items()
    }
    for event in events.values():
        if not isinstance(event, dict):
            continue
        key, seq = event.get("key"), event.get("seq")
        if isinstance(key, str) and isinstance(seq, int) and seq > newest.get(key, (0,))[0]:
            newest[key] = (seq, event, None)
    return {k: [seq, record_hash(e) if e is not None else h] for k, (seq, e, h) in newest.items()}


BLOOM_BITS, BLOOM_HASHES = 2048, 6
"""Per shard, a Bloom filter of its (uuid, revision) keys in the main file's shards table
(344 characters): a finalize opens only the companions that may hold its sheet. 8 bits a key
at 250 keys a shard: about 2% of shards answer "maybe" for a key they do not hold."""


def _bit_positions(uuid: Any, revision: Any) -> list[int]:
    digest = hashlib.sha256(f"{uuid}\x1f{revision}".encode()).digest()
    return [int.from_bytes(digest[2 * i : 2 * i + 2], "big") % BLOOM_BITS
            for i in range(BLOOM_HASHES)]  # fmt: skip


def bloom(rows: Iterable[Any]) -> str:
    bits = bytearray(BLOOM_BITS // 8)
    for row in rows:
        if isinstance(row, dict):
            for pos in _bit_positions(row.get("uuid"), row.get("revision")):
                bits[pos // 8] |= 1 << (pos % 8)
    return base64.b64encode(bytes(bits)).decode("ascii")


def holder_test(uuid: Any, revision: Any) -> Callable[[Any], bool]:
    """Whether a shard's filter may hold this revision (False only when it surely does not;
    no filter: it may), for many filters: the key's bit positions are hashed once."""
    positions = _bit_positions(uuid, revision)
    return lambda filter_text: _may_hold(filter_text, positions)


def _may_hold(filter_text: Any, positions: list[int]) -> bool:
    try:
        bits = base64.b64decode(filter_text, validate=True)
    except (TypeError, ValueError):
        return True
    if len(bits) != BLOOM_BITS // 8:
        return True
    return all(bits[p // 8] & (1 << (p % 8)) for p in positions)


def max_id(table: dict[str, Any], floor: int = 0) -> int:
    try:
        return max(floor, max(map(int, table), default=floor))
    except ValueError:  # a damaged id (the record checks name it): the others still count
        best = floor
        for doc_id in table:
            with suppress(ValueError):
                best = max(best, int(doc_id))
        return best


def ledger_row(main: dict[str, Any]) -> dict[str, Any]:
    row = next(iter((main.get(LEDGER_TABLE) or {}).values()), None)
    return row if isinstance(row, dict) else {}


def remove_companion(files: LedgerFiles, rel: str) -> None:
    """A shard the main file no longer names: its companion goes too (after the commit)."""
    path = files.path(rel)
    with suppress(OSError):
        path.unlink()
    held.unmark(path)


def companion_bytes(part: dict[str, Any]) -> bytes:
    return database_bytes({SHEETS: part[SHEETS], EVENTS: part[EVENTS]})


def with_companions(root: Path, data: dict[str, Any]) -> dict[str, Any]:
    """Another workspace's main tree with its companions' rows and events, read as files (an
    import: nothing there is written). ValueError says which companion is missing or bad."""
    named = [r["shard"] for r in (data.get(SHARDS) or {}).values()
             if isinstance(r.get("shard"), str) and r.get("ledger")]  # fmt: skip
    if not named:
        return data
    rows, events = dict(data.get(SHEETS) or {}), dict(data.get(EVENTS) or {})
    for rel in named:
        file, where = root / companion_rel(rel), f"{root.name}/{companion_rel(rel)}"
        if not file.is_file() or file.is_symlink() or root.is_symlink():
            raise ValueError(f"缺少 {where}（请把数据库文件连同 {root.name}/ 文件夹一起复制）")
        try:
            part = parse_database_bytes(file.read_bytes())
        except OSError as e:
            raise ValueError(f"无法读取 {where}（{e.strerror or e}）") from None
        except (BadDatabaseBytes, AttributeError, TypeError):
            raise ValueError(f"{where} 不是可用的数据库文件") from None
        rows.update(part.get(SHEETS) or {})
        events.update(part.get(EVENTS) or {})
    return {**data, SHEETS: rows, EVENTS: events}
