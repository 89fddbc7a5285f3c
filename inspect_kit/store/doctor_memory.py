"""What `doctor` remembers of the files it found healthy, so an unchanged archive is not checked
again from scratch (issue 18: doctor took 30 s of CPU at 10k sheets, ~10x that at 100k; almost
all of it re-scoring every stored sheet under its form version).

One entry per file (the main database, each shard, the roster): the file's stamp when it was
checked and what the cross-file checks need from it (its (uuid, revision) keys, counts, the form
versions it was scored with). A file is taken from memory only when its stamp now is exactly the
remembered one: (device, inode, size, mtime_ns, ctime_ns). Any write changes it: an editor, a
copy, `touch -d` (ctime cannot be set back). Files younger than FRESH_NS are never remembered:
coarse timestamps (FAT, some shares) could repeat for a different same-size write. Only files
with no errors are remembered; a file with any problem is checked again every time.

The memory lives beside the user's settings, not in the workspace: a workspace copied or synced
from elsewhere never brings along a claim that it was checked. `doctor --full` ignores it.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

import orjson

from inspect_kit import __version__
from inspect_kit.base.fsio import atomic_write
from inspect_kit.base.settings_file import config_path

CHECKS_VERSION = 1
"""Raise when a check is added or changed: every remembered result is then checked again."""
FRESH_NS = 2_000_000_000
"""Files changed less than this long ago are checked every time and not remembered."""
MAIN = ":main"
ROSTER = ":roster"
Stamp = list[int]


def stamp(path: Path) -> Stamp | None:
    """The file's identity now, or None when it is missing or too fresh to be remembered."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < FRESH_NS:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _memory_path(db_path: Path) -> Path:
    name = hashlib.sha256(os.fsencode(os.path.abspath(db_path))).hexdigest()[:32]
    return config_path().parent / "doctor-checked" / f"{name}.json"


class CheckedMemory:
    """The remembered results of one workspace's files (see the module docstring)."""

    def __init__(self, db_path: Path, *, enabled: bool = True):
        self.path = _memory_path(db_path)
        self.enabled = enabled
        self._tag = [CHECKS_VERSION, __version__, os.path.abspath(db_path)]
        self._entries: dict[str, dict[str, Any]] = {}
        self._changed = False
        if enabled:
            try:
                data = orjson.loads(self.path.read_bytes())
                if isinstance(data, dict) and data.get("tag") == self._tag:
                    self._entries = dict(data.get("files") or {})
            except (OSError, orjson.JSONDecodeError):
                pass  # no memory, or an unreadable one: everything is checked

    def get(self, name: str, now: Stamp | None) -> dict[str, Any] | None:
        """What was remembered of the file `name` if it still has the stamp `now`."""
        entry = self._entries.get(name)
        if not self.enabled or now is None or entry is None or entry.get("stamp") != now:
            return None
        return entry

    def put(self, name: str, now: Stamp | None, entry: dict[str, Any]) -> None:
        """Remember a file found without errors (stamp taken before it was read)."""
        if self.enabled and now is not None:
            self._entries[name] = {**entry, "stamp": now}
            self._changed = True

    def forget(self, name: str) -> None:
        if self._entries.pop(name, None) is not None:
            self._changed = True

    def keep_only(self, names: set[str]) -> None:
        """Drop the entries of files that are no longer there."""
        for name in set(self._entries) - names:
            self.forget(name)

    def save(self) -> None:
        """Write the memory (atomically); a failure only means the next run checks more."""
        if not (self.enabled and self._changed):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, orjson.dumps({"tag": self._tag, "files": self._entries}))
        except OSError:
            pass
