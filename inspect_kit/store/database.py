"""One TinyDB file kept safe: one lock per file, a fresh view per transaction, backups around
every write.

Why (measured in /work/shared/ecosystem.md §1): each TinyDB Table caches `_next_id`, so two
processes duplicate or lose records even under a lock. Here every access holds the file's lock and
each transaction opens a new TinyDB over an AtomicJSONStorage (store.storage: atomic writes,
never over a file that does not parse). Backups: store.backups; what a usable file is:
store.parsing; the read cache: store.read_cache.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb import TinyDB

from inspect_kit.base.errors import StoreError
from inspect_kit.base.fsio import TEMP_PREFIX, atomic_write, shown_path, stat_key, why
from inspect_kit.store import held, read_cache
from inspect_kit.store.backups import Backups, Hooks
from inspect_kit.store.ledger import LedgerFiles
from inspect_kit.store.ledger_storage import LedgerStorage
from inspect_kit.store.parsing import SCHEMA, BadDatabaseBytes, long_running, parse_database_bytes
from inspect_kit.store.storage import AtomicJSONStorage, MemoryStorage, checked_bytes, damaged

# Names other modules (the TUI, doctor, tests) import from here.
__all__ = [
    "SCHEMA",
    "TEMP_PREFIX",
    "AtomicJSONStorage",
    "BadDatabaseBytes",
    "Database",
    "MemoryStorage",
    "long_running",
    "parse_database_bytes",
    "shown_path",
]

STALE_TEMP_SECONDS = 60
_LOCKS: dict[str, FileLock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock_for(path: Path) -> FileLock:
    """One FileLock per file per process: a second instance for the same file in the same thread
    waits for the first forever. One shared instance is reentrant per thread and still excludes
    other threads (each thread holds its own handle) and other processes."""
    key = os.path.realpath(path) + ".lock"
    with _LOCKS_GUARD:
        if key not in _LOCKS:
            _LOCKS[key] = FileLock(key)
        return _LOCKS[key]


class Database:
    """One database file guarded by ONE file lock (path + '.lock'); all access goes through
    transaction() or snapshot(). `path=None` keeps it in memory under a threading.RLock."""

    def __init__(
        self,
        path: Path | None,
        *,
        backups_dir: Path | None = None,
        keep_backups: int = 10,
        lock_timeout: float = 15.0,
        name: str = "inspect-kit",
        lock_with: Database | None = None,
        backup_writes: bool = False,
        ledger: LedgerFiles | None = None,
    ):
        """`lock_with`: another Database whose lock guards this file too (archive shards are
        written only under the main database's lock: one lock orders everything).
        `backup_writes`: every write of a transaction keeps backups around it (see backup()).
        `ledger`: the main file, read and written with its shards' companions (store.ledger)."""
        self.path = Path(path) if path is not None else None
        self.lock_with, self.backup_writes = lock_with, backup_writes
        self.ledger = ledger
        self.backups_dir = (
            Path(backups_dir)
            if backups_dir
            else (self.path.parent / "backups" if self.path else None)
        )
        self.keep_backups, self.lock_timeout, self.name = max(1, keep_backups), lock_timeout, name
        self._memory = MemoryStorage() if self.path is None else None
        self._rlock = threading.RLock()
        self._tx = threading.local()  # .storage: this thread's open transaction, for backup()

    def transaction(self) -> AbstractContextManager[TinyDB]:
        """Lock, open a fresh TinyDB (no stale ids or query cache), check the file, yield, close."""
        return self._open(read_only=False)

    def snapshot(self) -> AbstractContextManager[TinyDB]:
        """A read-only view under the same lock (writes through it raise RuntimeError)."""
        return self._open(read_only=True)

    @contextmanager
    def _open(self, *, read_only: bool) -> Iterator[TinyDB]:
        with self.locked():
            if self._memory is not None:
                db = TinyDB(storage=MemoryStorage, share_with=self._memory, read_only=read_only)
            else:
                extra: dict[str, Any] = {} if self.ledger is None else {"ledger": self.ledger}
                db = TinyDB(
                    self.path,
                    storage=AtomicJSONStorage if self.ledger is None else LedgerStorage,
                    backups_dir=self.backups_dir,
                    name=self.name,
                    read_only=read_only,
                    **extra,
                )
            outer = getattr(self._tx, "storage", None)
            if not read_only and self._memory is None:
                self._tx.storage = db.storage
                if self.backup_writes and self.backups_dir is not None:
                    db.storage.backup_hook = self._hooks()  # type: ignore[attr-defined]
            try:
                db.storage.prime()  # type: ignore[attr-defined]
                yield db
            finally:
                self._tx.storage = outer
                db.close()

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold this file's lock (or the lock of `lock_with`); reentrant in one thread."""
        if self.lock_with is not None:
            with self.lock_with.locked():
                if self.path is not None:
                    try:
                        self.path.parent.mkdir(parents=True, exist_ok=True)
                    except OSError as e:
                        where = shown_path(self.path.parent)
                        raise StoreError(f"无法创建文件夹 {where}：{why(e)}。") from e
                yield
            return
        if self.path is None:
            with self._rlock:
                yield
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = _lock_for(self.path)
            lock.acquire(timeout=self.lock_timeout)
        except Timeout:
            raise StoreError(
                f"数据库正被另一个窗口或进程占用（等了 {self.lock_timeout:g} 秒）："
                f"{shown_path(self.path)}。请关闭其他 inspect-kit 窗口或命令后重试。"
            ) from None
        except OSError as e:
            raise StoreError(f"无法锁定数据库 {shown_path(self.path)}：{why(e)}。") from e
        try:
            yield
        finally:
            lock.release()

    def write_whole(self, data: dict[str, Any]) -> None:
        """Replace the whole file in one atomic write under the lock, without a TinyDB view:
        for a caller that has just read the file under the same lock. The version being
        replaced is still checked to parse first, unless this process read or wrote exactly it
        (same inode, size and mtime): a file that does not parse is never written over."""
        with self.locked():
            if self._memory is not None:
                MemoryStorage(share_with=self._memory).write(data)
                return
            assert self.path is not None
            storage = AtomicJSONStorage(self.path, backups_dir=self.backups_dir, name=self.name)
            storage.trust_known_version()
            if self.backup_writes and self.backups_dir is not None:
                storage.backup_hook = self._hooks()
            try:
                storage.write(data)
            finally:
                storage.close()

    def backup(self) -> Path | None:
        """Keep the current file, if it exists and parses, in backups_dir; keep the newest N.

        Inside a transaction of this database (same thread) nothing is copied now: the version
        about to be replaced is hard-linked into backups_dir by the transaction's next write,
        right before the new file replaces it. Every write makes a new file (a new inode) and
        never edits one in place, so from then on the linked version belongs to the backup
        alone, at no cost whatever the size. A transaction that writes nothing leaves no backup.
        Returns the backup's path (inside a transaction: where it will be).
        Outside a transaction the bytes are copied (a link would share blocks with the live
        file until its next write). A file this process has just parsed or written (same inode,
        size and mtime) is not parsed again.
        """
        if self.path is None or self.backups_dir is None:
            return None
        with self.locked():
            storage = getattr(self._tx, "storage", None)
            if storage is not None and not storage.closed:
                if storage.backup_hook is None:
                    storage.backup_hook = self._hooks()
                return self.backups_dir
            key = stat_key(self.path)
            if key is None:
                return None
            try:
                raw = self.path.read_bytes()
                known = read_cache.is_good(os.path.abspath(self.path), key) and len(raw) > 2
                if not known and not held.has_records(parse_database_bytes(raw) if raw else None):
                    return None  # an empty state is never kept: it would push good ones out
            except (FileNotFoundError, BadDatabaseBytes):
                return None  # nothing worth keeping; a bad copy must not push good ones out
            files = self._backup_files()
            dest = files.new_name()
            files.store(dest, raw=raw)
        return dest

    def _backup_files(self) -> Backups:
        assert self.path is not None and self.backups_dir is not None
        return Backups(self.path, self.backups_dir, self.name, self.keep_backups)

    def _hooks(self) -> Hooks:
        """Backups kept around each write of a transaction (see Backups.hooks)."""
        return self._backup_files().hooks()

    def write_hooks(self) -> Hooks:
        """The backup hooks of one write done outside a transaction (a staged shard put in
        place: store.staging)."""
        return self._hooks()

    def backups(self) -> list[Path]:
        """Backups of this database, newest first."""
        return self._backup_files().listing() if self.path and self.backups_dir else []

    def has_content(self) -> bool:
        """Whether the file (or the in-memory twin) holds anything written."""
        if self._memory is not None:
            return not self._memory.empty
        return self.path is not None and self.path.exists()

    def newest_backup(self) -> Path | None:
        found = self.backups()
        return found[0] if found else None

    def check(self, *, parse: bool = True, check_lock: bool = True,
              listed: dict[Path, list[str]] | None = None) -> list[str]:  # fmt: skip
        """Problems found, one plain sentence each; [] when healthy. Reads are atomic: no lock.
        For doctor, over hundreds of shards: `parse=False` (it parsed the file itself),
        `check_lock=False` (the shared lock checked once), `listed` (each folder's temp file
        names, listed once for all the files in it)."""
        if self.path is None:
            return []
        problems = []
        try:
            if parse:
                checked_bytes(self.path, self.path.read_bytes())
        except FileNotFoundError:
            if held.is_held(self.path):
                bad = BadDatabaseBytes(held.MISSING_DETAIL)
                problems.append(str(damaged(self.path, bad, self.backups_dir, self.name)))
        except BadDatabaseBytes as bad:
            problems.append(str(damaged(self.path, bad, self.backups_dir, self.name)))
        except OSError as e:
            problems.append(f"无法读取数据库文件 {shown_path(self.path)}：{why(e)}。")
        for tmp in self._temp_files(listed):
            problems.append(
                f"{shown_path(tmp)} 是一次中断的写入留下的临时文件（数据库未受影响），可以删除。"
            )
        owner = self.lock_with or self
        if check_lock and self.path.parent.is_dir() and owner.path is not None:
            lock = _lock_for(owner.path)
            try:
                lock.acquire(timeout=0)  # succeeds if this thread holds it: only others count
                lock.release()
            except Timeout:
                problems.append(f"数据库 {shown_path(self.path)} 正被另一个窗口或进程使用。")
            except OSError:
                pass
        return problems

    def restore(self, backup: Path) -> None:
        """Atomically put a backup back; the current file is first kept aside, never deleted."""
        if self.path is None:
            raise StoreError("内存数据库没有备份可恢复。")
        backup = Path(backup)
        try:
            raw = backup.read_bytes()
            parse_database_bytes(raw)
        except OSError as e:
            raise StoreError(f"无法读取备份 {shown_path(backup)}：{why(e)}。") from e
        except BadDatabaseBytes as bad:
            detail = bad.detail or f"schema {bad.newer} 太新"
            raise StoreError(
                f"备份 {shown_path(backup)} 无法使用（{detail}），未做任何改动。请换一个备份。"
            ) from None
        with self.locked():
            with suppress(FileNotFoundError):
                if current := self.path.read_bytes():
                    stamp = f"{datetime.now():%Y%m%d-%H%M%S-%f}"
                    atomic_write(self.path.with_name(f"{self.name}.damaged-{stamp}.json"), current)
            atomic_write(self.path, raw)

    def cleanup_temp_files(self) -> int:
        """Remove temp files left by interrupted writes (older than 60 s); return how many."""
        removed, now = 0, time.time()
        for tmp in self._temp_files():
            with suppress(OSError):
                if now - tmp.stat().st_mtime > STALE_TEMP_SECONDS:
                    tmp.unlink()
                    removed += 1
        return removed

    def _temp_files(self, listed: dict[Path, list[str]] | None = None) -> list[Path]:
        if self.path is None:
            return []
        listed = {} if listed is None else listed
        found = []
        for folder, stem in ((self.path.parent, self.path.name), (self.backups_dir, self.name)):
            if folder is None:
                continue
            if folder not in listed:  # only temp names kept: hundreds of shards look here
                names = os.listdir(folder) if folder.is_dir() else []
                listed[folder] = [n for n in names if n.startswith(TEMP_PREFIX)]
            prefix = f"{TEMP_PREFIX}{stem}-"
            found += [folder / name for name in listed[folder] if name.startswith(prefix)]
        return sorted(found)
