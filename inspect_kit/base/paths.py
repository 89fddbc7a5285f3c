"""Where things live. Functions only: importing this module touches no disk."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Workspace:
    """A folder holding `forms/` (the user's own forms) and `results/` (databases, outputs)."""

    root: Path
    db_override: Path | None = None

    @property
    def forms_dir(self) -> Path:
        return self.root / "forms"

    @property
    def results_dir(self) -> Path:
        return self.root / "results"

    @property
    def db_path(self) -> Path:
        return self.db_override or self.results_dir / "inspect-kit.json"

    @property
    def drafts_path(self) -> Path:
        return self.db_path.with_name("drafts.json")

    @property
    def backups_dir(self) -> Path:
        return self.db_path.parent / "backups"

    @property
    def attachments_dir(self) -> Path:
        return self.db_path.parent / "attachments"


def default_workspace_root() -> Path:
    env = os.environ.get("INSPECT_KIT_HOME")
    return Path(env).expanduser() if env else Path.cwd()


def builtin_forms_dir() -> Path:
    """The forms shipped with the package; in a source checkout, the repo's forms/."""
    package = Path(__file__).resolve().parent.parent  # the installed inspect_kit folder
    packaged = package / "builtin_forms"
    if packaged.is_dir():
        return packaged
    return package.parent / "forms"
