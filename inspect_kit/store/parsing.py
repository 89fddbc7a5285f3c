"""What a usable database file is: parsing and checking its bytes, and the schema stamp.

One definition shared by the storage (before every read and every write over a file), backups,
`doctor` and imports of another laptop's files.
"""

from __future__ import annotations

import gc
from typing import Any

import orjson

SCHEMA = 2  # current file schema number, kept in the `meta` table as {"schema": N}
# 2: the main file keeps its index rows and sheet events in companions (store.ledger); a kit
# that knows only 1 would see an empty archive there, so it is refused such a file.
# parsed trees bigger than this skip the cyclic GC (see parse_database_bytes)
FREEZE_BYTES = 1_000_000
# big parses freeze the heap (see parse_database_bytes); off in long-running processes
_FREEZE = [True]


class BadDatabaseBytes(Exception):
    """Bytes that are not a usable database (see parse_database_bytes). `newer` is set for a
    too-new schema."""

    def __init__(self, detail: str, newer: int | None = None):
        super().__init__(detail)
        self.detail, self.newer = detail, newer


def parse_database_bytes(raw: bytes) -> dict[str, Any]:
    """Parse and check shape (dict of tables, each a dict of id -> document) and schema."""
    # A JSON tree has no reference cycles, so GC passes during a big parse are pure waste:
    # measured 13.4 -> 8.3 ms at 1k forms (2.4 MB) and 549 -> 105 ms at 10k forms.
    # The parsed tree is still in the youngest GC generation when collection resumes, so the
    # next allocations pay for two or three traversals of it (0.2-0.3 s each at 10k sheets,
    # measured: load + panels of 10k went 3.9 s -> see bench). A big tree is moved to the
    # permanent generation instead: refcounting still frees it (a JSON tree has no cycles);
    # the previous freeze is undone first, so objects frozen along with it are collected as
    # usual later on, never kept for good.
    #
    # A freeze covers every object alive at that moment, not only the new tree: an object
    # frozen then and dropped later inside a reference cycle (a closed screen's widgets) is not
    # collected until an unfreeze, and the next big parse refreezes at once. Harmless in a
    # command that exits; a long-running process (the TUI, serve) calls long_running() first.
    big = _FREEZE[0] and len(raw) > FREEZE_BYTES
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        if big:
            gc.unfreeze()
        data = orjson.loads(raw)
        if big:
            gc.freeze()
    except orjson.JSONDecodeError as e:
        raise BadDatabaseBytes(f"第 {e.lineno} 行：{e.msg}") from None
    finally:
        if gc_was_on:
            gc.enable()
    if not isinstance(data, dict):
        raise BadDatabaseBytes("最外层不是 JSON 对象")
    for table, docs in data.items():
        if not isinstance(docs, dict):
            raise BadDatabaseBytes(f"表 {table!r} 不是 JSON 对象")
        for doc_id, doc in docs.items():
            if not (doc_id.isascii() and doc_id.isdigit()) or not isinstance(doc, dict):
                raise BadDatabaseBytes(f"表 {table!r} 的记录 {doc_id!r} 格式不对")
    if meta := data.get("meta"):
        schema = next(iter(meta.values())).get("schema")
        if type(schema) is not int or schema < 1:
            raise BadDatabaseBytes(f"schema 编号无效：{schema!r}")
        if schema > SCHEMA:
            raise BadDatabaseBytes("", newer=schema)
    # A file without `meta` (new, or written by hand) is accepted and stamped on its next write.
    return data


def long_running() -> None:
    """For a process that stays up (the TUI, serve): big parses no longer freeze the heap, and
    what earlier freezes set aside goes back to the collector. Parsed trees are then freed like
    any other object; the cost is a few GC passes over each big tree (measured in bench)."""
    _FREEZE[0] = False
    gc.unfreeze()


def stamped(data: dict[str, Any]) -> dict[str, Any]:
    """Every write carries the schema number, so a new file gets it with its first record."""
    return data if data.get("meta") else {**data, "meta": {"1": {"schema": SCHEMA}}}


def database_bytes(data: dict[str, Any]) -> bytes:
    """The bytes written for a database tree (UTF-8 JSON, schema-stamped)."""
    return orjson.dumps(stamped(data))
