"""The TinyDB storages: one JSON file kept safe (AtomicJSONStorage) and its in-memory twin.

Why (measured in /work/shared/ecosystem.md §1): stock JSONStorage rewrites the file in place, so
a crash or a full disk leaves half a file, and it holds an open handle. Here a write goes to a
temp file that replaces the old one (base.fsio), nothing is kept open, and a file that does not
parse is never written over.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Protocol

import orjson
from tinydb.storages import Storage

from inspect_kit.base.errors import DatabaseDamaged, StoreError
from inspect_kit.base.fsio import Key, atomic_write, file_key, shown_path, stat_key, why
from inspect_kit.store import backups as backup_files
from inspect_kit.store import held, read_cache
from inspect_kit.store.backups import Hooks
from inspect_kit.store.parsing import SCHEMA, BadDatabaseBytes, database_bytes, parse_database_bytes


class _Usable(Protocol):
    @property
    def closed(self) -> bool: ...

    read_only: bool


def damaged(
    path: Path, bad: BadDatabaseBytes, backups_dir: Path | None, name: str
) -> DatabaseDamaged:
    """The error for a file that does not parse, naming the newest backup to restore."""
    found = backup_files.listing(backups_dir, name)
    if bad.newer is not None:
        back = (
            f"（或用 `inspect-kit doctor --restore` 回到最新备份 {shown_path(found[0])}）"
            if found
            else ""
        )
        return DatabaseDamaged(
            f"数据库文件 {shown_path(path)} 由更新版本的 inspect-kit 写入（schema {bad.newer}，"
            f"本版本只认识到 {SCHEMA}），未做任何改动。请升级 inspect-kit 后再打开{back}。"
        )
    hint = (
        f"最新备份：{shown_path(found[0])}。运行 `inspect-kit doctor --restore` 从备份恢复。"
        if found
        else "没有可用的备份；请检查该文件，或从导出的数据重新导入。"
    )
    return DatabaseDamaged(
        f"数据库文件 {shown_path(path)} 已损坏（{bad.detail}），未做任何改动。{hint}"
    )


def checked_bytes(path: Path, raw: bytes) -> dict[str, Any] | None:
    """Parse a database file's bytes (0 bytes: a new database, None). A file without records
    whose marker says it held some is damage (store.held): BadDatabaseBytes."""
    data = parse_database_bytes(raw) if raw else None
    if not held.has_records(data) and held.is_held(path):
        raise BadDatabaseBytes(held.EMPTY_DETAIL)
    return data


def check_usable(storage: _Usable, writing: bool = False) -> None:
    # Programming errors, not user errors: a TinyDB kept past its transaction would read and
    # write without the lock, and a snapshot must not write.
    if storage.closed:
        raise RuntimeError("database used after its transaction/snapshot ended")
    if writing and storage.read_only:
        raise RuntimeError("snapshot() is read-only; write inside transaction()")


class AtomicJSONStorage(Storage):
    """UTF-8 JSON via orjson; no handle kept open; never writes over a file it could not parse.

    Reads go through the raw-bytes cache (store.read_cache), only once the file is >2 s old:
    mtime ticks are coarse and inode numbers get reused, so a fresher (inode, size, mtime) key
    could match a different same-size write by another process.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        backups_dir: Path | None = None,
        name: str = "inspect-kit",
        read_only: bool = False,
    ):
        self.path = Path(path)
        self.cache_key = os.path.abspath(self.path)
        self.backups_dir, self.name, self.read_only = backups_dir, name, read_only
        self._seen: Key | None | bool = False  # the version we last read or wrote; False = none
        self._seen_empty = True  # that version held no records: never kept as a backup
        self._primed: tuple[Key | None, dict[str, Any] | None] | None = None
        self._closed = False
        self.backup_hook: Hooks | None = None
        """Set for a transaction that keeps backups around each of its writes."""

    @property
    def closed(self) -> bool:
        return self._closed

    def prime(self) -> None:
        """Read and check now, so a damaged or too-new file fails before the caller does anything.

        The parse is kept for the next read(), handed out once (nobody else holds it): a
        transaction costs no extra parse for this early check."""
        self._primed = self._load()

    def trust_known_version(self) -> None:
        """Skip the parse-before-write check when the file now is exactly the version this
        process last parsed or wrote (same inode, size and mtime)."""
        key = stat_key(self.path)
        if read_cache.is_good(self.cache_key, key):
            self._seen = key
            self._seen_empty = key is None or key[1] == 0

    def read(self) -> dict[str, Any] | None:
        check_usable(self)
        if self._primed is not None:
            (key, data), self._primed = self._primed, None
            if key == stat_key(self.path):
                return data
        return self._load()[1]

    def write(self, data: dict[str, Any]) -> None:
        check_usable(self, writing=True)
        if stat_key(self.path) != self._seen:
            self._load()  # changed since we looked (or never looked): check it parses first
        self._primed = None
        payload = database_bytes(data)
        hooks = self.backup_hook
        if hooks is not None and self._seen and not self._seen_empty:  # backups are on
            hooks[0]()  # links the version about to be replaced (checked above: it parses)
        self._seen = key = atomic_write(self.path, payload)
        self._seen_empty = False
        held.mark_held(self.path)
        read_cache.mark_good(self.cache_key, key)
        if hooks is not None:
            hooks[1](payload)  # a copy of the new version: the newest backup is the state now

    def close(self) -> None:
        self._closed = True

    def _load(self) -> tuple[Key | None, dict[str, Any] | None]:
        try:
            with open(self.path, "rb") as f:
                key = file_key(st := os.fstat(f.fileno()))  # stat the handle: same version as bytes
                hit = read_cache.get(self.cache_key, key)
                raw = hit if hit is not None else f.read()
        except FileNotFoundError:
            if held.is_held(self.path):
                bad = BadDatabaseBytes(held.MISSING_DETAIL)
                raise damaged(self.path, bad, self.backups_dir, self.name) from None
            self._seen, self._seen_empty = None, True
            return None, None
        except OSError as e:
            raise StoreError(f"读取 {shown_path(self.path)} 失败：{why(e)}。") from e
        try:
            data = checked_bytes(self.path, raw)
        except BadDatabaseBytes as bad:
            raise damaged(self.path, bad, self.backups_dir, self.name) from None
        self._seen_empty = not held.has_records(data)
        if not self._seen_empty:
            held.mark_held(self.path)  # also the migration of a workspace from before markers
        if raw and hit is None and time.time_ns() - st.st_mtime_ns > 2_000_000_000:
            read_cache.put(self.cache_key, key, raw)
        if raw:
            read_cache.mark_good(self.cache_key, key)
        self._seen = key
        return key, data


class MemoryStorage(Storage):
    """The in-memory twin. It keeps orjson bytes, so every read is a fresh deep copy (orjson
    round trip: 5x faster than copy.deepcopy) and values go through the same rules as the file."""

    def __init__(self, *, share_with: MemoryStorage | None = None, read_only: bool = False):
        self.box: list[bytes | None] = share_with.box if share_with else [None]
        """The one cell holding the bytes, shared by every view of the same database."""
        self.read_only, self._closed = read_only, False

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def empty(self) -> bool:
        """Nothing was ever written."""
        return self.box[0] is None

    def prime(self) -> None:
        pass

    def read(self) -> dict[str, Any] | None:
        check_usable(self)
        raw = self.box[0]
        return None if raw is None else orjson.loads(raw)

    def write(self, data: dict[str, Any]) -> None:
        check_usable(self, writing=True)
        self.box[0] = database_bytes(data)

    def close(self) -> None:
        self._closed = True
