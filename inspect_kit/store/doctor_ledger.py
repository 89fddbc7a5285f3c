"""Doctor's checks of the shards' companions (store.ledger): each is a file of its own, with its
own report, backups and restore, and part of what the main database's check reads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from inspect_kit.store import held
from inspect_kit.store.archive import Shards
from inspect_kit.store.database import Database
from inspect_kit.store.doctor_memory import CheckedMemory, Stamp, stamp
from inspect_kit.store.doctor_records import LEDGER_LABEL, FileReport, check_archive
from inspect_kit.store.ledger import companion_rel
from inspect_kit.store.shard_names import SHARDS


def named_companions(main_path: Path) -> list[str]:
    """The shards whose companion the main file names (read raw: nothing assembled)."""
    try:
        data = orjson.loads(main_path.read_bytes())
        rows = data.get(SHARDS) or {}
        return sorted(r["shard"] for r in rows.values()
                      if isinstance(r, dict) and isinstance(r.get("shard"), str)
                      and r.get("ledger"))  # fmt: skip
    except (OSError, ValueError, AttributeError, TypeError):
        return []  # the main file's own check says what is wrong with it


def check_companions(
    shards: Shards,
    rels: list[str],
    load: Callable[[Path, FileReport, Database], dict[str, Any] | None],
    warnings: Callable[[Database, FileReport], None],
    memory: CheckedMemory,
) -> list[FileReport]:
    """One report per companion: it parses, it is there (a named one that is gone is damage,
    restored from its backup like a shard), its records have their keys, no temp files are
    left beside it. One found healthy and unchanged since is taken from doctor's memory."""
    assert shards.root is not None
    reports = []
    for rel in rels:
        crel = companion_rel(rel)
        rep = FileReport(f"{LEDGER_LABEL} {crel}", shards.root / crel)
        database = shards.db(crel)
        before = stamp(rep.path)
        if (hit := memory.get(crel, before)) is not None:
            rep.counts["records"] = hit["records"]
            rep.remembered += 1
        elif not rep.path.exists() and not held.is_held(rep.path):
            rep.damaged = True
            rep.errors.append(f"{LEDGER_LABEL} {crel} 不见了（主数据库记着它）。"
                              "运行 `inspect-kit doctor --restore` 从备份恢复。")  # fmt: skip
        else:
            data = load(rep.path, rep, database)
            if data is not None:
                check_archive(data, rep, [], recompute=False)  # its index rows and events
                rep.counts["records"] = sum(len(data.get(t) or {}) for t in ("sheets", "events"))
                if rep.ok and stamp(rep.path) == before:
                    memory.put(crel, before, {"records": rep.counts["records"]})
        warnings(database, rep)
        reports.append(rep)
    return reports


def main_stamp(main_path: Path, shards: Shards, rels: list[str]) -> Stamp | None:
    """The main database's identity for doctor's memory: its own file and every companion."""
    assert shards.root is not None
    parts = [stamp(main_path)] + [stamp(shards.root / companion_rel(r)) for r in rels]
    if any(p is None for p in parts):
        return None
    return [x for p in parts for x in p]  # type: ignore[union-attr]
