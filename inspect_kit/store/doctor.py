"""Health check and repair of a workspace's databases (`inspect-kit doctor`).

Checks, in plain words: every file (the main database, each archive shard, the drafts) parses
and has the right shape and schema; every record has the keys the kit relies on; every stored
score recomputes equal under the form version it was scored with (the copy kept in the `forms`
table); the `sheets` index matches the shards (a sheet a cut-short write left without its index
row or event is a warning that `repair` fixes; an index row whose sheet is nowhere is an error);
leftover temp files and locks. `restore_plan` finds, for each damaged file, the newest backup of
that file that passes the same checks.

Record checks: store.doctor_records; restoring and repairing: store.restore (re-exported here
for the CLI).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from inspect_kit.base.errors import DatabaseDamaged, StoreError
from inspect_kit.base.paths import Workspace
from inspect_kit.store import held
from inspect_kit.store.archive import LEGACY, ROSTER, SHEETS, SUBJECTS, Shards, lost_shard_files
from inspect_kit.store.database import Database
from inspect_kit.store.doctor_records import (
    FORM_KEYS,
    ROSTER_LABEL,
    SUBJECT_KEYS,
    FileReport,
    Report,
    capped,
    check_archive,
    check_drafts,
    check_raw,
    key_problems,
    table_docs,
)
from inspect_kit.store.record_types import subject_problem
from inspect_kit.store.restore import (
    Candidate,
    RestoreStep,
    all_databases,
    archive_database,
    backup_candidates,
    backup_owner,
    backup_problems,
    drafts_database,
    newest_good_backup,
    repair,
    restore,
    restore_file,
    restore_plan,
    same_bytes,
    set_aside,
)

__all__ = [
    "Candidate",
    "all_databases",
    "backup_owner",
    "backup_problems",
    "same_bytes",
    "FileReport",
    "Report",
    "RestoreStep",
    "archive_database",
    "drafts_database",
    "backup_candidates",
    "check_archive",
    "check_drafts",
    "check_raw",
    "check_workspace",
    "newest_good_backup",
    "repair",
    "restore",
    "restore_file",
    "restore_plan",
    "set_aside",
]


def _load(path: Path, report: FileReport, database: Database) -> dict[str, Any] | None:
    """Parse a file the way the store does; a damaged one becomes an error naming the backup."""
    try:
        with database.snapshot() as db:
            return db.storage.read() or {}
    except DatabaseDamaged as e:
        report.damaged = True
        report.errors.append(str(e))
    except StoreError as e:
        report.errors.append(str(e))
    return None


def _file_warnings(database: Database, report: FileReport) -> None:
    """Leftover temp files and a lock held by another process (from Database.check)."""
    damage = set(report.errors)
    for problem in database.check():
        if problem not in damage and "已损坏" not in problem and "更新版本" not in problem:
            report.warnings.append(problem)


def _consistency(
    main: dict[str, Any],
    shard_docs: dict[str, list[dict[str, Any]] | None],
    report: FileReport,
) -> None:
    """The index against the shards. `shard_docs[rel]` is None for a shard that did not parse
    (its damage is reported on its own line)."""
    rows: dict[str, set[tuple[Any, Any]]] = {}
    for row in table_docs(main, SHEETS):
        rows.setdefault(str(row.get("shard")), set()).add((row.get("uuid"), row.get("revision")))
    logged = {(e.get("uuid"), e.get("revision")) for e in table_docs(main, "events")}
    unindexed, unlogged, stale = [], [], []
    for rel, docs in shard_docs.items():
        if docs is None:
            continue
        held = {(d.get("uuid"), d.get("revision")) for d in docs}
        unindexed += [(rel, k) for k in sorted(held - rows.get(rel, set()), key=str)]
        unlogged += [k for k in held if k not in logged]
        stale += [(rel, k) for k in sorted(rows.get(rel, set()) - held, key=str)]
    for rel, keys in rows.items():
        if rel and rel not in shard_docs:
            stale += [(rel, k) for k in sorted(keys, key=str)]
    if unindexed:
        report.warnings.append(
            f"{len(unindexed)} 张评分表已在分片中（如 {unindexed[0][0]} 中的 "
            f"{str(unindexed[0][1][0])[:8]}），但索引中没有（一次中断的写入留下的，评分表本身完好）。"
            "运行 `inspect-kit doctor --repair` 重建索引。"
        )
    elif unlogged:
        report.warnings.append(
            f"{len(unlogged)} 张评分表没有提交记录（日志）。"
            "运行 `inspect-kit doctor --repair` 补上。"
        )
    report.errors += capped(
        [f"索引中的评分表 {str(k[0])[:8]} 第 {k[1]} 版在分片 {rel} 中找不到" for rel, k in stale]
    )


def _finish_journal(main_db: Database, shards: Shards) -> None:
    """A commit a crash cut short is completed first, as the next command would."""
    try:
        with main_db.snapshot() as db:
            shards.finish(db.storage.read() or {})
    except StoreError:
        pass  # a damaged main file is reported below


def _exists(path: Path) -> bool:
    return path.exists() or held.is_held(path)  # a file that held data and is gone: damage


def _roster(shards: Shards) -> FileReport | None:
    """The roster file's report (its records' keys and duplicate ids checked)."""
    assert shards.root is not None
    rep = FileReport(ROSTER_LABEL, shards.root / ROSTER)
    if not _exists(rep.path):
        return None
    data = _load(rep.path, rep, shards.db(ROSTER))
    if data is not None:
        docs = data.get(SUBJECTS) or {}
        for doc_id, doc in docs.items():
            if problems := key_problems(doc, SUBJECT_KEYS):
                rep.errors.append(f"名单第 {doc_id} 条：" + "，".join(problems))
            elif problem := subject_problem(doc):
                rep.errors.append(f"名单第 {doc_id} 条：{problem}")
        ids = Counter(d.get("id") for d in docs.values())
        rep.errors += capped([f"对象编号 {i} 出现了 {n} 次" for i, n in ids.items() if n > 1])
        rep.errors[:] = capped(rep.errors)
        rep.counts["records"] = len(docs)
    _file_warnings(shards.db(ROSTER), rep)
    return rep


def _rectifications(main: dict[str, Any], report: FileReport) -> None:
    """Every stored rectification revision of a usable shape (as store.rectifications reads)."""
    from inspect_kit.domain.rectification import record_problem

    docs = table_docs(main, "rectifications")
    report.errors += capped([f"整改项 {str(d.get('uuid'))[:8]} 第 {d.get('revision')} 版：{p}"
                             for d in docs if (p := record_problem(d))])  # fmt: skip
    report.counts["rectifications"] = len({d.get("uuid") for d in docs})


def check_workspace(workspace: Workspace) -> Report:
    main_db = archive_database(workspace)
    shards = Shards(main_db)
    drafts_db = drafts_database(workspace)
    archive = FileReport("数据库", workspace.db_path, exists=_exists(workspace.db_path))
    drafts = FileReport("草稿", workspace.drafts_path, exists=_exists(workspace.drafts_path))
    if archive.exists:
        _finish_journal(main_db, shards)
    main_data = _load(workspace.db_path, archive, main_db) if archive.exists else None
    records: list[dict[str, Any]] = []
    if main_data is not None:
        records += check_archive(main_data, archive)
    forms_docs = [d for d in table_docs(main_data or {}, "forms") if not key_problems(d, FORM_KEYS)]
    shard_reports: list[FileReport] = []
    shard_docs: dict[str, list[dict[str, Any]] | None] = {}
    assert shards.root is not None
    for rel in shards.listing():
        rep = FileReport(f"分片 {rel}", shards.root / rel)
        data = _load(rep.path, rep, shards.db(rel))
        shard_docs[rel] = None
        if data is not None:
            shard_docs[rel] = list((data.get(LEGACY) or {}).values())
            # Without a readable main database the form versions are unknown: a recompute
            # would blame every sheet, and --restore would then roll back healthy shards.
            records += check_archive(data, rep, forms_docs, recompute=main_data is not None)
            archive.rechecked += rep.rechecked
        _file_warnings(shards.db(rel), rep)
        shard_reports.append(rep)
    for rel, path in lost_shard_files(shards.root):
        rep = FileReport(f"分片 {rel}", path)
        _load(path, rep, shards.db(rel))  # reports it as damaged, naming its newest backup
        shard_docs[rel] = None  # its index rows are not blamed on the main file
        shard_reports.append(rep)
    if (roster := _roster(shards)) is not None:
        shard_reports.append(roster)
    if main_data is None and shard_reports:
        archive.warnings.append("主数据库无法读取，分片中的分数暂未重算；恢复后会再检查。")
    if main_data is not None:
        revisions = len(table_docs(main_data, LEGACY)) + sum(
            len(d or []) for d in shard_docs.values()
        )
        seen = Counter((d["uuid"], d["revision"]) for d in records)
        archive.errors += capped(
            [f"评分表 {u[:8]} 第 {r} 版出现了 {n} 次" for (u, r), n in seen.items() if n > 1]
        )
        archive.counts.update(sheets=len({d["uuid"] for d in records}), revisions=revisions)
        _consistency(main_data, shard_docs, archive)
        _rectifications(main_data, archive)
    if roster is not None:
        archive.counts["subjects"] = archive.counts.get("subjects", 0) + roster.counts.get(
            "records", 0
        )
    if drafts.exists and (drafts_data := _load(workspace.drafts_path, drafts, drafts_db)):
        check_drafts(drafts_data, drafts, main_data)
    for database, report in ((main_db, archive), (drafts_db, drafts)):
        _file_warnings(database, report)
    folder = workspace.db_path.parent
    if folder.is_dir():
        live = {workspace.db_path.name, workspace.drafts_path.name}
        for lock in sorted(folder.glob("*.lock")):
            if lock.name.removesuffix(".lock") not in live and not lock.with_suffix("").exists():
                archive.warnings.append(f"{lock} 是已不存在的数据库留下的锁文件，可以删除。")
    return Report([archive, drafts, *shard_reports], main_db.backups())
