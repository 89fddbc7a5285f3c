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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspect_kit.base.errors import DatabaseDamaged, StoreError
from inspect_kit.base.paths import Workspace
from inspect_kit.store import held
from inspect_kit.store.archive import LEGACY, ROSTER, SUBJECTS, Shards, lost_shard_files
from inspect_kit.store.database import Database
from inspect_kit.store.doctor_ledger import check_companions, main_stamp, named_companions
from inspect_kit.store.doctor_memory import MAIN as MEMORY_MAIN
from inspect_kit.store.doctor_memory import ROSTER as MEMORY_ROSTER
from inspect_kit.store.doctor_memory import CheckedMemory, stamp
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
from inspect_kit.store.files import main_file_alone
from inspect_kit.store.ledger import companion_rel, split
from inspect_kit.store.ledger_storage import main_only, scoped_read
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
from inspect_kit.store.shard_names import SHEETS
from inspect_kit.store.staging import JOURNAL

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


def _file_warnings(database: Database, report: FileReport, *, lock: bool = True,
                   listed: dict[Path, list[str]] | None = None) -> None:  # fmt: skip
    """Leftover temp files and a lock held by another process (from Database.check; the
    parse is doctor's own). `lock=False` for the shards and the roster: they share the main
    file's lock, reported once on its line. `listed`: folders listed once for all shards."""
    damage = set(report.errors)
    for problem in database.check(parse=False, check_lock=lock, listed=listed):
        if problem not in damage and "已损坏" not in problem and "更新版本" not in problem:
            report.warnings.append(problem)


Key = tuple[Any, Any]


def _consistency(
    rows: dict[str, set[Key]],
    logged: set[Key],
    shard_keys: dict[str, set[Key] | None],
    report: FileReport,
) -> None:
    """The index (`rows`: shard -> its index rows' keys) against the shards' own keys.
    `shard_keys[rel]` is None for a shard that did not parse (its damage is reported on its
    own line)."""
    unindexed, unlogged, stale = [], [], []
    for rel, in_shard in shard_keys.items():
        if in_shard is None:
            continue
        unindexed += [(rel, k) for k in sorted(in_shard - rows.get(rel, set()), key=str)]
        unlogged += [k for k in in_shard if k not in logged]
        stale += [(rel, k) for k in sorted(rows.get(rel, set()) - in_shard, key=str)]
    for rel, keys in rows.items():
        if rel and rel not in shard_keys:
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
            shards.finish(scoped_read(db, main_only))  # (the companions' part: on read)
    except StoreError:
        pass  # a damaged main file is reported below


def _exists(path: Path) -> bool:
    return path.exists() or held.is_held(path)  # a file that held data and is gone: damage


def _roster(shards: Shards, memory: CheckedMemory, archive: FileReport) -> FileReport | None:
    """The roster file's report (its records' keys and duplicate ids checked)."""
    assert shards.root is not None
    rep = FileReport(ROSTER_LABEL, shards.root / ROSTER)
    if not _exists(rep.path):
        return None
    before = stamp(rep.path)
    if (hit := memory.get(MEMORY_ROSTER, before)) is not None:
        rep.counts["records"] = hit["records"]
        archive.remembered += 1
    elif (data := _load(rep.path, rep, shards.db(ROSTER))) is not None:
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
        if rep.ok and stamp(rep.path) == before:
            memory.put(MEMORY_ROSTER, before, {"records": len(docs)})
    _file_warnings(shards.db(ROSTER), rep, lock=False)
    return rep


def _rectifications(main: dict[str, Any], report: FileReport) -> None:
    """Every stored rectification revision of a usable shape (as store.rectifications reads)."""
    from inspect_kit.domain.rectification import record_problem

    docs = table_docs(main, "rectifications")
    report.errors += capped([f"整改项 {str(d.get('uuid'))[:8]} 第 {d.get('revision')} 版：{p}"
                             for d in docs if (p := record_problem(d))])  # fmt: skip
    report.counts["rectifications"] = len({d.get("uuid") for d in docs})


def _keys(docs: list[dict[str, Any]]) -> list[Key]:
    return [(d.get("uuid"), d.get("revision")) for d in docs]


def _pairs(entry: dict[str, Any], name: str) -> list[Key]:
    return [(u, r) for u, r in entry[name]]


@dataclass
class _Main:
    """What the cross-file checks need from the main database, parsed or remembered."""

    legacy: list[Key] = field(default_factory=list)
    """Keys of an old layout's sheets still in the main file that passed their checks."""
    rows: dict[str, set[Key]] = field(default_factory=dict)
    logged: set[Key] = field(default_factory=set)
    forms: list[dict[str, Any]] | None = None
    """The usable form versions (None when remembered: only their hashes are)."""
    form_shas: set[str] = field(default_factory=set)
    legacy_count: int = 0
    """Every record of that old layout's table, usable or not."""

    @classmethod
    def parsed(cls, data: dict[str, Any], legacy: list[dict[str, Any]]) -> _Main:
        rows: dict[str, set[Key]] = {}
        for row in table_docs(data, SHEETS):
            rows.setdefault(str(row.get("shard")), set()).add(
                (row.get("uuid"), row.get("revision"))
            )
        forms = [d for d in table_docs(data, "forms") if not key_problems(d, FORM_KEYS)]
        return cls(_keys(legacy), rows, set(_keys(table_docs(data, "events"))), forms,
                   {d["sha256"] for d in forms}, len(table_docs(data, LEGACY)))  # fmt: skip

    @classmethod
    def remembered(cls, entry: dict[str, Any]) -> _Main:
        rows = {rel: {(u, r) for u, r in keys} for rel, keys in entry["rows"].items()}
        return cls(_pairs(entry, "legacy"), rows, set(_pairs(entry, "logged")), None,
                   set(entry["forms"]), entry["legacy_count"])  # fmt: skip

    def entry(self, report: FileReport, rechecked: int) -> dict[str, Any]:
        rows = {rel: list(keys) for rel, keys in self.rows.items()}
        return {"legacy": self.legacy, "rows": rows,
                "logged": list(self.logged), "forms": sorted(self.form_shas),
                "legacy_count": self.legacy_count,
                "counts": dict(report.counts), "rechecked": rechecked}  # fmt: skip


def _check_main(workspace: Workspace, main_db: Database, shards: Shards, archive: FileReport,
                memory: CheckedMemory, *, may_remember: bool,
                companions: list[str]) -> _Main | None:  # fmt: skip
    """The main database's own checks, or what was remembered of it when it and its
    companions are unchanged (`may_remember`: every shard is unchanged too, so no shard
    needs its form versions)."""
    before = main_stamp(workspace.db_path, shards, companions)
    if may_remember and (hit := memory.get(MEMORY_MAIN, before)) is not None:
        archive.counts.update(hit["counts"])
        archive.rechecked += hit["rechecked"]
        archive.remembered += 1
        return _Main.remembered(hit)
    _finish_journal(main_db, shards)
    before = main_stamp(workspace.db_path, shards, companions)
    data = _load(workspace.db_path, archive, main_db)
    if data is None:
        return None
    # Records kept in the companions are checked on their own lines (store.doctor_ledger).
    legacy = check_archive(split(data)[0] if companions else data, archive)
    archive.counts["events"] = len(data.get("events") or {})
    _rectifications(data, archive)
    main = _Main.parsed(data, legacy)
    if (archive.ok and not _journal_pending(shards, data)
            and main_stamp(workspace.db_path, shards, companions) == before):  # fmt: skip
        memory.put(MEMORY_MAIN, before, main.entry(archive, archive.rechecked))
    return main


def _journal_pending(shards: Shards, data: dict[str, Any]) -> bool:
    """Whether a staged shard the main file's journal names is still there, not yet in place
    (the journal of the last commit stays in the file; it is pending only while its staged
    files exist: store.staging.finish)."""
    assert shards.root is not None
    rows = (data.get(JOURNAL) or {}).values()
    return any(isinstance(r.get("staged"), str) and (shards.root / r["staged"]).exists()
               for r in rows)  # fmt: skip


def _check_shard(shards: Shards, rel: str, main: _Main | None, memory: CheckedMemory,
                 archive: FileReport, listed: dict[Path, list[str]],
                 ) -> tuple[FileReport, list[Key] | None]:  # fmt: skip
    """One shard's report and its sheets' keys (None when it did not parse). Remembered only
    when every stored score was recomputed (the main file's form versions were readable)."""
    assert shards.root is not None
    rep = FileReport(f"分片 {rel}", shards.root / rel)
    before = stamp(rep.path)
    hit = memory.get(rel, before)
    if hit is not None and main is not None and set(hit["forms"]) <= main.form_shas:
        rep.counts["records"], rep.rechecked = len(hit["keys"]), hit["rechecked"]
        archive.rechecked += rep.rechecked
        archive.remembered += 1
        keys: list[Key] | None = _pairs(hit, "keys")
    elif (data := _load(rep.path, rep, shards.db(rel))) is not None:
        docs = list((data.get(LEGACY) or {}).values())
        keys = _keys(docs)
        # Without a readable main database the form versions are unknown: a recompute
        # would blame every sheet, and --restore would then roll back healthy shards.
        forms = main.forms if main is not None and main.forms is not None else []
        check_archive(data, rep, forms, recompute=main is not None)
        archive.rechecked += rep.rechecked
        if rep.ok and main is not None and stamp(rep.path) == before:
            used = sorted({d["form_sha256"] for d in docs})
            memory.put(rel, before, {"keys": keys, "rechecked": rep.rechecked, "forms": used})
    else:
        keys = None
    _file_warnings(shards.db(rel), rep, lock=False, listed=listed)
    return rep, keys


def check_workspace(workspace: Workspace, *, use_memory: bool = False) -> Report:
    """Every check of every file. `use_memory`: files unchanged since a run that found them
    healthy are taken from store.doctor_memory instead of being checked again (plain
    `doctor`; `doctor --full`, restore and repair check everything)."""
    memory = CheckedMemory(workspace.db_path, enabled=use_memory)
    main_db = archive_database(workspace)
    shards = Shards(main_db)
    drafts_db = drafts_database(workspace)
    archive = FileReport("数据库", workspace.db_path, exists=_exists(workspace.db_path))
    drafts = FileReport("草稿", workspace.drafts_path, exists=_exists(workspace.drafts_path))
    assert shards.root is not None
    listing = shards.listing()
    unchanged = all(memory.get(rel, stamp(shards.root / rel)) for rel in listing)
    main = None
    _finish_journal(main_db, shards)
    companions = named_companions(workspace.db_path) if archive.exists else []
    listed: dict[Path, list[str]] = {}  # each folder listed once for its hundreds of shards
    ledger_reports = check_companions(
        shards, companions, _load,
        lambda db, rep: _file_warnings(db, rep, lock=False, listed=listed), memory,
    )  # fmt: skip
    whole = all(r.ok for r in ledger_reports)
    if archive.exists:
        # With a companion damaged, the main file is checked alone (its own report names the
        # companion): the index is not compared with the shards until it is restored.
        main = _check_main(workspace, main_db if whole else main_file_alone(workspace),
                           shards, archive, memory, may_remember=unchanged,
                           companions=companions)  # fmt: skip
        listing = shards.listing()  # a finished journal may have put shards in place
    shard_reports: list[FileReport] = list(ledger_reports)
    shard_keys: dict[str, set[Key] | None] = {}
    records: list[Key] = list(main.legacy) if main is not None else []
    for rel in listing:
        rep, keys = _check_shard(shards, rel, main, memory, archive, listed)
        shard_keys[rel] = None if keys is None else set(keys)
        records += keys if keys is not None and main is not None else []
        shard_reports.append(rep)
    for rel, path in lost_shard_files(shards.root):
        rep = FileReport(f"分片 {rel}", path)
        _load(path, rep, shards.db(rel))  # reports it as damaged, naming its newest backup
        shard_keys[rel] = None  # its index rows are not blamed on the main file
        shard_reports.append(rep)
    if (roster := _roster(shards, memory, archive)) is not None:
        shard_reports.append(roster)
    if main is None and shard_reports:
        archive.warnings.append("主数据库无法读取，分片中的分数暂未重算；恢复后会再检查。")
    if main is not None:
        revisions = main.legacy_count + sum(len(k or ()) for k in shard_keys.values())
        seen = Counter(records)
        archive.errors += capped(
            [f"评分表 {str(u)[:8]} 第 {r} 版出现了 {n} 次" for (u, r), n in seen.items() if n > 1]
        )
        archive.counts.update(sheets=len({u for u, _ in records}), revisions=revisions)
        if whole:
            _consistency(main.rows, main.logged, shard_keys, archive)
        else:
            archive.warnings.append("台账文件损坏，索引与分片的核对等恢复后再做。")
    if roster is not None:
        archive.counts["subjects"] = archive.counts.get("subjects", 0) + roster.counts.get(
            "records", 0
        )
    if drafts.exists and (drafts_data := _load(workspace.drafts_path, drafts, drafts_db)):
        check_drafts(drafts_data, drafts, main.form_shas if main is not None else None)
    for database, report in ((main_db, archive), (drafts_db, drafts)):
        _file_warnings(database, report)
    folder = workspace.db_path.parent
    if folder.is_dir():
        live = {workspace.db_path.name, workspace.drafts_path.name}
        for lock in sorted(folder.glob("*.lock")):
            if lock.name.removesuffix(".lock") not in live and not lock.with_suffix("").exists():
                archive.warnings.append(f"{lock} 是已不存在的数据库留下的锁文件，可以删除。")
    memory.keep_only(
        {MEMORY_MAIN, MEMORY_ROSTER, *listing, *(companion_rel(r) for r in companions)}
    )
    memory.save()
    return Report([archive, drafts, *shard_reports], main_db.backups())
