"""The marker that a database file has ever held data (issue 16, item 1).

Why: a 0-byte or `{}` file used to be taken for a new database, so an emptied main file, shard
or drafts file silently dropped what it held and the next write went over it. A small marker
file beside each database file (`.<name>.held`) records that it has held records; once it is
there, an empty or missing file is damage: refused, never written over, restored by `doctor
--restore`. One marker per file (not one manifest per folder) so files guarded by different
locks never race on a shared manifest. Old workspaces get their markers on the first open of a
non-empty file (the migration).
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path
from typing import Any

from inspect_kit.base.errors import StoreError
from inspect_kit.base.fsio import atomic_write

_TEXT = b"inspect-kit: this database file has held data; an empty or missing one is damage.\n"
_KNOWN: set[str] = set()  # abspaths whose marker this process has seen or written


def marker_for(path: Path) -> Path:
    path = Path(path)
    return path.with_name(f".{path.name}.held")


def is_held(path: Path) -> bool:
    """Whether the file at `path` has ever held records (its marker exists)."""
    key = os.path.abspath(path)
    if key in _KNOWN:
        return True
    if marker_for(path).is_file():
        _KNOWN.add(key)
        return True
    return False


def mark_held(path: Path) -> None:
    """Record that the file holds records (lock of the file held by the caller). A marker that
    cannot be written (full disk, read-only share) is tried again on the next open."""
    if is_held(path):
        return
    with suppress(OSError, StoreError):
        atomic_write(marker_for(path), _TEXT)
        _KNOWN.add(os.path.abspath(path))


def has_records(data: dict[str, Any] | None) -> bool:
    """A parsed database tree with at least one record in some table (a `meta` stamp counts:
    every file the kit writes carries one)."""
    return bool(data) and any(bool(docs) for docs in data.values())  # type: ignore[union-attr]


EMPTY_DETAIL = "文件是空的，但这里曾保存过数据"
MISSING_DETAIL = "文件不见了，但这里曾保存过数据"


def forget() -> None:
    """Drop what this process remembers (tests that build workspaces from scratch)."""
    _KNOWN.clear()


def unmark(path: Path) -> None:
    """The file is set aside on purpose (a damaged drafts file without a good backup): the
    next file there starts new."""
    _KNOWN.discard(os.path.abspath(path))
    with suppress(OSError):
        marker_for(path).unlink()
