"""Putting things back (`inspect-kit doctor --restore/--repair`): the newest good backup of each
damaged file, restoring it (the damaged file kept aside), rebuilding the index from the shards,
and setting a damaged drafts file aside. Writes go through Database and the Store's public API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from inspect_kit.base.fsio import replace_file
from inspect_kit.base.paths import Workspace
from inspect_kit.store import held
from inspect_kit.store.archive import ROSTER, Shards, shard_files
from inspect_kit.store.database import BadDatabaseBytes, Database, parse_database_bytes
from inspect_kit.store.doctor_records import Report, check_raw, table_docs
from inspect_kit.store.files import archive_database, drafts_database
from inspect_kit.store.ledger import LEDGER, companion_rel
from inspect_kit.store.shard_names import SHEETS


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
    skipped: list[Candidate] = []
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
    bad_shards = [r for r in report.stored if not r.ok]
    steps = []
    main_backup: Path | None = None
    if not report.archive.ok or report.ok:
        main_backup, skipped = newest_good_backup(workspace)
        steps.append(RestoreStep("数据库", workspace.db_path, main_db, main_backup, skipped))
    forms_source = main_backup or workspace.db_path
    try:
        forms_docs = table_docs(parse_database_bytes(forms_source.read_bytes()), "forms")
    except (OSError, BadDatabaseBytes):
        forms_docs = []
    shards = Shards(main_db)
    assert shards.root is not None
    for rep in bad_shards:
        rel = rep.path.relative_to(shards.root).as_posix()
        database = shards.db(rel)
        backup, skipped = _newest_good(_candidates(database, forms_docs))
        steps.append(RestoreStep(rep.label, rep.path, database, backup, skipped))
    if not report.drafts.ok:
        database = drafts_database(workspace)
        backup, skipped = _newest_good(_candidates(database, None))
        steps.append(RestoreStep(report.drafts.label, workspace.drafts_path, database, backup,
                                 skipped))  # fmt: skip
    return steps


def all_databases(workspace: Workspace) -> list[tuple[str, Database]]:
    """(label, database) of every file that keeps backups: main, drafts, roster, each shard
    (also one whose file is gone but whose backups are there)."""
    main_db = archive_database(workspace)
    shards = Shards(main_db)
    found = [("数据库", main_db), ("草稿", drafts_database(workspace))]
    assert shards.root is not None and shards.backups_root is not None
    rels = {rel for rel, _ in shard_files(shards.root)} | {ROSTER}
    rels |= {companion_rel(rel) for rel, _ in shard_files(shards.root / LEDGER)}
    if shards.backups_root.is_dir():
        for file in shards.backups_root.glob("*/*.json"):
            name = file.name.rsplit("-", 3)[0]  # <name>-YYYYmmdd-HHMMSS-ffffff.json
            rels.add(f"{file.parent.name}/{name}.json")
        for file in shards.backups_root.glob(f"{LEDGER}/*/*.json"):
            name = file.name.rsplit("-", 3)[0]
            rels.add(companion_rel(f"{file.parent.name}/{name}.json"))
    for rel in sorted(rels):
        label = ("名单" if rel == ROSTER else f"台账 {rel}" if rel.startswith(LEDGER)
                 else f"分片 {rel}")  # fmt: skip
        found.append((label, shards.db(rel)))
    return found


def backup_owner(workspace: Workspace, backup: Path) -> tuple[str, Database] | None:
    """Which file a backup (a path given to `doctor --restore --from`) belongs to."""
    backup = Path(backup).resolve()
    for label, database in all_databases(workspace):
        if backup in {p.resolve() for p in database.backups()}:
            return label, database
    return None


def backup_problems(workspace: Workspace, database: Database, backup: Path) -> list[str]:
    """What the checks find in one backup ([] = usable); a shard's or the roster's against
    the form versions of the main file as it is now."""
    forms_docs = None
    if database.path not in (workspace.db_path, workspace.drafts_path):
        try:
            forms_docs = table_docs(parse_database_bytes(workspace.db_path.read_bytes()), "forms")
        except (OSError, BadDatabaseBytes):
            forms_docs = []
    try:
        return check_raw(Path(backup).read_bytes(), forms_docs)
    except OSError as e:
        return [f"无法读取：{e.strerror}"]


def same_bytes(path: Path, backup: Path) -> bool:
    """Whether the file already holds exactly the backup's bytes (nothing to put back)."""
    try:
        return path.read_bytes() == backup.read_bytes()
    except OSError:
        return False


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
    from inspect_kit.store.store import Store

    with Store(workspace).edit(everything=True) as edit:
        before = orjson.dumps(edit.data)
        rows_before = len(table_docs(edit.data, SHEETS))
        edit.prepare()
        if orjson.dumps(edit.data) != before:
            edit.write()
        return rows_before, len(table_docs(edit.data, SHEETS))


def set_aside(path: Path, name: str) -> Path:
    """Move a damaged file out of the way (renamed beside it, never deleted), under its lock.
    For the drafts file, which has no backups: the kit starts a fresh one on the next save."""
    dest = path.with_name(f"{name}.damaged-{datetime.now():%Y%m%d-%H%M%S-%f}{path.suffix}")
    with Database(path, name=name).locked():
        if path.exists():
            replace_file(path, dest)
        held.unmark(path)  # set aside on purpose: the next file there starts new
    return dest
