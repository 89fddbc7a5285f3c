"""The databases of a workspace as the store, doctor and restore open them (one definition)."""

from __future__ import annotations

from inspect_kit.base.paths import Workspace
from inspect_kit.store.database import Database


def archive_database(workspace: Workspace) -> Database:
    """The main file (its lock orders every write of the workspace)."""
    return Database(workspace.db_path, backups_dir=workspace.backups_dir, name="inspect-kit")


def drafts_database(workspace: Workspace) -> Database:
    """The drafts file: backups around every write like every other file (issue 16)."""
    return Database(workspace.drafts_path, backups_dir=workspace.backups_dir, name="drafts",
                    backup_writes=True)  # fmt: skip
