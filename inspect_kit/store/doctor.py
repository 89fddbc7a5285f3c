"""Health check and repair of a workspace's databases (`inspect-kit doctor`).

Checks, in plain words: every file (the main database, each archive shard, the drafts) parses
and has the right shape and schema; every record has the keys the kit relies on; every stored
score recomputes equal under the form version it was scored with (the copy kept in the `forms`
table); the `sheets` index matches the shards (a sheet a cut-short write left without its index
row or event is a warning that `repair` fixes; an index row whose sheet is nowhere is an error);
leftover temp files and locks. `restore_plan` finds, for each damaged file, the newest backup of
that file that passes the same checks.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from inspect_kit.base.errors import DatabaseDamaged, InspectKitError, StoreError
from inspect_kit.base.paths import Workspace
from inspect_kit.domain.answers import AnswerSet
from inspect_kit.domain.model import Form
from inspect_kit.domain.scoring import score
from inspect_kit.domain.sheet import RECORD_SCHEMA
from inspect_kit.formfiles.loader import parse_form_text, sha256_text
from inspect_kit.store.archive import LEGACY, SHEETS, Shards
from inspect_kit.store.database import (  # one definition of a usable file
    BadDatabaseBytes,
    Database,
    parse_database_bytes,
)

# Keys every archived sheet must carry (DESIGN §4), with the types the kit relies on.
SUBMISSION_KEYS: dict[str, type | tuple[type, ...]] = {
    "schema": int, "uuid": str, "revision": int, "form": str, "form_version": int,
    "form_sha256": str, "round": str, "subject": str, "rater": str, "status": str,
    "answers": dict, "vetoes": dict, "score": dict, "finalized_at": str,
}  # fmt: skip
DRAFT_KEYS: dict[str, type | tuple[type, ...]] = {
    "uuid": str, "revision": int, "form": str, "form_sha256": str, "subject": str,
    "answers": dict,
}  # fmt: skip
SUBJECT_KEYS: dict[str, type | tuple[type, ...]] = {"id": str, "name": str}
EVENT_KEYS: dict[str, type | tuple[type, ...]] = {"event": str, "at": str}
FORM_KEYS: dict[str, type | tuple[type, ...]] = {"form": str, "sha256": str, "source": str}
INDEX_KEYS: dict[str, type | tuple[type, ...]] = {
    "uuid": str, "revision": int, "form": str, "shard": str,
}  # fmt: skip
SCORE_KEYS = ("total", "bonus", "final", "grade")
MAX_LISTED = 20  # per-record problems printed before "... and N more"


@dataclass
class FileReport:
    """What the checks found in one database file."""

    label: str
    path: Path
    exists: bool = True
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    rechecked: int = 0
    damaged: bool = False
    """The file itself does not parse (or has the wrong shape or schema): nothing can open it."""

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Report:
    files: list[FileReport]
    backups: list[Path]

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    @property
    def archive(self) -> FileReport:
        return self.files[0]

    @property
    def drafts(self) -> FileReport:
        return self.files[1]

    @property
    def shards(self) -> list[FileReport]:
        return self.files[2:]


def _typename(types: type | tuple[type, ...]) -> str:
    types = types if isinstance(types, tuple) else (types,)
    names = {int: "整数", str: "文字", dict: "对象", list: "列表", float: "数字"}
    return "或".join(names.get(t, t.__name__) for t in types)


def _key_problems(doc: dict[str, Any], keys: dict[str, type | tuple[type, ...]]) -> list[str]:
    problems = []
    for key, types in keys.items():
        if key not in doc:
            problems.append(f"缺少 {key}")
        elif not isinstance(doc[key], types) or isinstance(doc[key], bool):
            problems.append(f"{key} 应为{_typename(types)}，实际是 {doc[key]!r:.40}")
    return problems


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)
    return a == b


class _Forms:
    """Form versions kept in the archive, parsed once each."""

    def __init__(self, docs: list[dict[str, Any]]):
        self.sources = {d["sha256"]: d for d in docs if isinstance(d.get("sha256"), str)}
        self._parsed: dict[str, Form | str] = {}

    def get(self, sha: str) -> Form | str:
        """The Form, or a plain reason why it cannot be used."""
        if sha not in self._parsed:
            doc = self.sources.get(sha)
            if doc is None:
                self._parsed[sha] = f"数据库中没有它所用的表单版本 {sha[:12]}"
            else:
                try:
                    self._parsed[sha] = parse_form_text(doc["source"], f"<stored {doc['form']}>")
                except InspectKitError as e:
                    self._parsed[sha] = f"保存的表单版本 {sha[:12]} 无法读取：{e}"
        return self._parsed[sha]


def _recompute(doc: dict[str, Any], forms: _Forms) -> str | None:
    """None when the stored score equals a recomputation; else what differs."""
    form = forms.get(doc["form_sha256"])
    if isinstance(form, str):
        return form
    try:
        fresh = score(form, AnswerSet.from_record(doc)).model_dump(mode="json")
    except Exception as e:
        return f"无法按保存的答案重新计分（{type(e).__name__}: {e}）"
    stored = doc["score"]
    diffs = [f"{k} 保存为 {stored.get(k)!r}，重算为 {fresh[k]!r}"
             for k in SCORE_KEYS if not _same(stored.get(k), fresh[k])]  # fmt: skip
    return "；".join(diffs) or None


def _table(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return list((data.get(name) or {}).values())


def check_archive(
    data: dict[str, Any],
    report: FileReport,
    forms_docs: list[dict[str, Any]] | None = None,
    *,
    recompute: bool = True,
) -> list[dict[str, Any]]:
    """Record-level checks of a parsed main database (`subjects`, `events`, `forms`, and an old
    layout's `submissions`) or, given the main file's `forms_docs`, of an archive shard.
    Returns the sheet records that passed the key checks."""
    bad: list[str] = []
    shard = forms_docs is not None
    forms_docs = forms_docs if shard else _table(data, "forms")
    for i, doc in enumerate(forms_docs, 1):
        if problems := _key_problems(doc, FORM_KEYS):
            bad.append(f"表单版本第 {i} 条：" + "，".join(problems))
        elif sha256_text(doc["source"]) != doc["sha256"]:
            bad.append(f"表单版本 {doc['form']}（{doc['sha256'][:12]}）的内容与其 sha256 不符")
    forms = _Forms([d for d in forms_docs if not _key_problems(d, FORM_KEYS)])
    for name, keys in (("subjects", SUBJECT_KEYS), ("events", EVENT_KEYS)):
        for doc_id, doc in (data.get(name) or {}).items():
            if problems := _key_problems(doc, keys):
                bad.append(f"{name} 第 {doc_id} 条：" + "，".join(problems))
    subjects = Counter(d.get("id") for d in _table(data, "subjects"))
    bad += [f"对象编号 {sid} 出现了 {n} 次" for sid, n in subjects.items() if n > 1]

    submissions = _table(data, "submissions")
    seen: Counter[tuple[Any, Any]] = Counter()
    recheck: list[dict[str, Any]] = []
    for doc in submissions:
        if not isinstance(doc, dict):
            bad.append("一条评分表记录不是 JSON 对象")
            continue
        where = f"评分表 {str(doc.get('uuid', '?'))[:8]} 第 {doc.get('revision', '?')} 版"
        problems = _key_problems(doc, SUBMISSION_KEYS)
        if not problems:
            if doc["status"] not in ("final", "void"):
                problems.append(f"status 为 {doc['status']!r}（应为 final 或 void）")
            if doc["revision"] < 1:
                problems.append("revision 小于 1")
            if doc["schema"] > RECORD_SCHEMA:
                problems.append(f"记录 schema {doc['schema']} 比本版本认识的 {RECORD_SCHEMA} 新")
            missing = [k for k in SCORE_KEYS if k not in doc["score"]]
            if missing:
                problems.append("score 缺少 " + "、".join(missing))
        if problems:
            bad.append(f"{where}：" + "，".join(problems))
            continue
        seen[(doc["uuid"], doc["revision"])] += 1
        recheck.append(doc)
    bad += [f"评分表 {u[:8]} 第 {r} 版出现了 {n} 次" for (u, r), n in seen.items() if n > 1]
    for doc in recheck if recompute else ():
        if why := _recompute(doc, forms):
            bad.append(f"评分表 {doc['uuid'][:8]} 第 {doc['revision']} 版分数与重算不符：{why}")
        else:
            report.rechecked += 1
    for i, row in enumerate(_table(data, SHEETS), 1):
        if problems := _key_problems(row, INDEX_KEYS):
            bad.append(f"索引第 {i} 条：" + "，".join(problems))
    report.errors += _capped(bad)
    if shard:
        report.counts.update(records=len(submissions))
        return recheck
    report.counts.update(
        sheets=len({d["uuid"] for d in recheck}), revisions=len(submissions),
        subjects=len(subjects), forms=len(forms_docs), events=len(data.get("events") or {}),
    )  # fmt: skip
    return recheck


def check_drafts(data: dict[str, Any], report: FileReport, archive: dict[str, Any] | None) -> None:
    bad, warn = [], []
    known = {d.get("sha256") for d in _table(archive or {}, "forms")}
    drafts = _table(data, "drafts")
    for doc in drafts:
        where = f"草稿 {str(doc.get('uuid', '?'))[:8]}"
        if problems := _key_problems(doc, DRAFT_KEYS):
            bad.append(f"{where}：" + "，".join(problems))
        elif archive is not None and doc["form_sha256"] not in known:
            warn.append(f"{where}（{doc['form']}）所用的表单版本不在数据库中，可能无法打开")
    report.errors += _capped(bad)
    report.warnings += _capped(warn)
    report.counts["drafts"] = len(drafts)


def _capped(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LISTED:
        return lines
    return lines[:MAX_LISTED] + [f"……另有 {len(lines) - MAX_LISTED} 处同类问题"]


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


def check_raw(raw: bytes, forms_docs: list[dict[str, Any]] | None = None) -> list[str]:
    """Every error in a database file's bytes (shape, schema, records, scores); [] = usable.
    With `forms_docs` (the main file's form versions) the bytes are an archive shard's."""
    try:
        data = parse_database_bytes(raw) if raw else {}
    except BadDatabaseBytes as bad:
        return [bad.detail or f"schema {bad.newer} 比本版本新"]
    report = FileReport("backup", Path())
    check_archive(data, report, forms_docs)
    return report.errors


def _file_warnings(database: Database, report: FileReport) -> None:
    """Leftover temp files and a lock held by another process (from Database.check)."""
    damage = set(report.errors)
    for problem in database.check():
        if problem not in damage and "已损坏" not in problem and "更新版本" not in problem:
            report.warnings.append(problem)


def archive_database(workspace: Workspace) -> Database:
    return Database(workspace.db_path, backups_dir=workspace.backups_dir, name="inspect-kit")


def _consistency(
    main: dict[str, Any],
    shard_docs: dict[str, list[dict[str, Any]] | None],
    report: FileReport,
) -> None:
    """The index against the shards. `shard_docs[rel]` is None for a shard that did not parse
    (its damage is reported on its own line)."""
    rows: dict[str, set[tuple[Any, Any]]] = {}
    for row in _table(main, SHEETS):
        rows.setdefault(str(row.get("shard")), set()).add((row.get("uuid"), row.get("revision")))
    logged = {(e.get("uuid"), e.get("revision")) for e in _table(main, "events")}
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
    report.errors += _capped(
        [f"索引中的评分表 {str(k[0])[:8]} 第 {k[1]} 版在分片 {rel} 中找不到" for rel, k in stale]
    )


def check_workspace(workspace: Workspace) -> Report:
    main_db = archive_database(workspace)
    shards = Shards(main_db)
    drafts_db = Database(workspace.drafts_path, name="drafts")
    archive = FileReport("数据库", workspace.db_path, exists=workspace.db_path.exists())
    drafts = FileReport("草稿", workspace.drafts_path, exists=workspace.drafts_path.exists())
    main_data = _load(workspace.db_path, archive, main_db) if archive.exists else None
    records: list[dict[str, Any]] = []
    if main_data is not None:
        records += check_archive(main_data, archive)
    forms_docs = [d for d in _table(main_data or {}, "forms") if not _key_problems(d, FORM_KEYS)]
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
    if main_data is None and shard_reports:
        archive.warnings.append("主数据库无法读取，分片中的分数暂未重算；恢复后会再检查。")
    if main_data is not None:
        revisions = len(_table(main_data, LEGACY)) + sum(len(d or []) for d in shard_docs.values())
        seen = Counter((d["uuid"], d["revision"]) for d in records)
        archive.errors += _capped(
            [f"评分表 {u[:8]} 第 {r} 版出现了 {n} 次" for (u, r), n in seen.items() if n > 1]
        )
        archive.counts.update(sheets=len({d["uuid"] for d in records}), revisions=revisions)
        _consistency(main_data, shard_docs, archive)
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


@dataclass
class Candidate:
    path: Path
    problems: list[str]


def _candidates(database: Database, forms_docs: list[dict[str, Any]] | None) -> list[Candidate]:
    found = []
    for path in database.backups():
        try:
            problems = check_raw(path.read_bytes(), forms_docs)
        except OSError as e:
            problems = [f"无法读取：{e.strerror}"]
        found.append(Candidate(path, problems))
    return found


def backup_candidates(workspace: Workspace) -> list[Candidate]:
    """Every backup of the main database, newest first, with what the checks found in it."""
    return _candidates(archive_database(workspace), None)


def _newest_good(candidates: list[Candidate]) -> tuple[Path | None, list[Candidate]]:
    skipped = []
    for candidate in candidates:
        if not candidate.problems:
            return candidate.path, skipped
        skipped.append(candidate)
    return None, skipped


def newest_good_backup(workspace: Workspace) -> tuple[Path | None, list[Candidate]]:
    """(the newest main-database backup that passes every check, the ones skipped on the way)."""
    return _newest_good(backup_candidates(workspace))


@dataclass
class RestoreStep:
    """One file to put back: which, from what (None: no good backup), and what was skipped."""

    label: str
    path: Path
    database: Database
    backup: Path | None
    skipped: list[Candidate]


def restore_plan(workspace: Workspace, report: Report) -> list[RestoreStep]:
    """A step for each damaged file: the main database (also when nothing at all is damaged:
    `--restore` on a healthy workspace puts back the newest main backup, as it always did),
    then every shard with errors, each from its own newest good backup. A shard backup is
    checked against the form versions of the main file as it will be after its own step."""
    main_db = archive_database(workspace)
    bad_shards = [r for r in report.shards if not r.ok]
    steps = []
    main_backup: Path | None = None
    if not report.archive.ok or not bad_shards:
        main_backup, skipped = newest_good_backup(workspace)
        steps.append(RestoreStep("数据库", workspace.db_path, main_db, main_backup, skipped))
    forms_source = main_backup or workspace.db_path
    try:
        forms_docs = _table(parse_database_bytes(forms_source.read_bytes()), "forms")
    except (OSError, BadDatabaseBytes):
        forms_docs = []
    shards = Shards(main_db)
    assert shards.root is not None
    for rep in bad_shards:
        rel = rep.path.relative_to(shards.root).as_posix()
        database = shards.db(rel)
        backup, skipped = _newest_good(_candidates(database, forms_docs))
        steps.append(RestoreStep(rep.label, rep.path, database, backup, skipped))
    return steps


def restore(workspace: Workspace, backup: Path) -> Path | None:
    """Put `backup` back as the main database; returns where the replaced file went."""
    return restore_file(archive_database(workspace), backup)


def restore_file(database: Database, backup: Path) -> Path | None:
    """Put `backup` back as the database's file; returns where the replaced file went (the
    damaged file is kept aside beside it, never deleted)."""
    assert database.path is not None
    pattern = f"{database.name}.damaged-*.json"
    before = set(database.path.parent.glob(pattern))
    database.restore(backup)
    aside = sorted(set(database.path.parent.glob(pattern)) - before)
    return aside[-1] if aside else None


def repair(workspace: Workspace) -> tuple[int, int]:
    """Rebuild the index from the shards (every shard read): rows for sheets a cut-short write
    left without one (and their missing events), no rows for sheets that are nowhere. Writes the
    main file only if something changes. Returns (rows before, rows after)."""
    import orjson

    from inspect_kit.store.store import Store

    store = Store(workspace)
    with store.db.transaction() as db:
        data = db.storage.read() or {}
        before = orjson.dumps(data)
        rows_before = len(_table(data, SHEETS))
        view = store._index(data, everything=True)
        store._prepare(data, view)
        if orjson.dumps(data) != before:
            db.storage.write(data)
        return rows_before, len(_table(data, SHEETS))


def set_aside(path: Path, name: str) -> Path:
    """Move a damaged file out of the way (renamed beside it, never deleted), under its lock.
    For the drafts file, which has no backups: the kit starts a fresh one on the next save."""
    dest = path.with_name(f"{name}.damaged-{datetime.now():%Y%m%d-%H%M%S-%f}{path.suffix}")
    with Database(path, name=name)._locked():
        os.replace(path, dest)
    return dest
