"""The databases of a workspace as the store, doctor and restore open them (one definition)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inspect_kit.base.paths import Workspace
from inspect_kit.store.archive import archive_dir
from inspect_kit.store.database import Database
from inspect_kit.store.ledger import LedgerFiles


def main_database(path: Path, backups_dir: Path, *, backup_writes: bool = False) -> Database:
    """The main file at `path`, read and written with its shards' companions (store.ledger)."""
    root = archive_dir(path)
    ledger = LedgerFiles(root, Path(backups_dir) / root.name, keep=10)
    return Database(path, backups_dir=backups_dir, name="inspect-kit",
                    backup_writes=backup_writes, ledger=ledger)  # fmt: skip


def archive_database(workspace: Workspace) -> Database:
    """The main file (its lock orders every write of the workspace)."""
    return main_database(workspace.db_path, workspace.backups_dir)


def main_file_alone(workspace: Workspace) -> Database:
    """The main file without its companions: doctor checks it so while a companion is damaged
    (the companion's own report names it)."""
    return Database(workspace.db_path, backups_dir=workspace.backups_dir, name="inspect-kit")


def drafts_database(workspace: Workspace) -> Database:
    """The drafts file: backups around every write like every other file (issue 16)."""
    return Database(workspace.drafts_path, backups_dir=workspace.backups_dir, name="drafts",
                    backup_writes=True)  # fmt: skip


def main_tree(path: Path) -> dict[str, Any]:
    """The main file as every reader sees it: with its companions' rows and events (for tools
    and tests that look at or change the file itself; the store reads through its own view)."""
    with main_database(path, Path(path).parent / "backups").snapshot() as db:
        return db.storage.read() or {}


def write_main_tree(path: Path, tree: dict[str, Any]) -> None:
    """Write a whole main tree back, split into the main file and its companions."""
    with main_database(path, Path(path).parent / "backups").transaction() as db:
        db.storage.write(tree)
