"""The per-draft lock: one writer per draft, across windows and processes.

Every front-end that writes a draft (the TUI, plain prompts, answer files, `results amend`)
takes it before reading the draft and holds it until it is done, so a second writer is refused
instead of silently overwriting the first one's answers (a lost update).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from inspect_kit.base.errors import InspectKitError
from inspect_kit.base.paths import Workspace
from inspect_kit.i18n.catalog import tr


class DraftLocked(InspectKitError):
    """The draft is open in another window or process."""

    def __init__(self, sheet_uuid: str, lang: str = "zh") -> None:
        self.sheet_uuid = sheet_uuid
        super().__init__(tr("draft.locked", lang, uuid=sheet_uuid[:8]), code="draft.locked",
                         uuid=sheet_uuid[:8])  # fmt: skip


def lock_path(workspace: Workspace, sheet_uuid: str) -> Path:
    return workspace.drafts_path.parent / "locks" / f"{sheet_uuid}.lock"


def acquire_lock(workspace: Workspace, sheet_uuid: str, lang: str = "zh") -> FileLock:
    """Take the draft's lock now or refuse: a second writer must never overwrite the first."""
    path = lock_path(workspace, sheet_uuid)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise DraftLocked(sheet_uuid, lang) from None
    return lock


def is_locked_elsewhere(workspace: Workspace, sheet_uuid: str) -> bool:
    """True while another window or process holds the draft (probes without keeping the lock)."""
    try:
        acquire_lock(workspace, sheet_uuid).release()
    except DraftLocked:
        return True
    return False


@contextmanager
def holding(workspace: Workspace, sheet_uuid: str, lang: str = "zh") -> Iterator[None]:
    """The lock for a one-shot write (an answer file, opening an amend draft, deleting a draft)."""
    lock = acquire_lock(workspace, sheet_uuid, lang)
    try:
        yield
    finally:
        lock.release()
