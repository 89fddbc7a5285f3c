"""One TinyDB file kept safe: atomic writes, one lock per file, a fresh view per transaction.

Why (measured in /work/shared/ecosystem.md §1): stock JSONStorage rewrites the file in place, so a
crash or a full disk leaves half a file; it holds an open handle; and each Table caches `_next_id`,
so two processes duplicate or lose records even under a lock. Here a write goes to a temp file that
replaces the old one, every access holds the file's lock, and each transaction opens a new TinyDB.
"""

from __future__ import annotations

import errno
import gc
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.storages import Storage

from inspect_kit.base.errors import DatabaseDamaged, StoreError

SCHEMA = 1  # current file schema number, kept in the `meta` table as {"schema": N}
TEMP_PREFIX = ".tmp-"
STALE_TEMP_SECONDS = 60
# parsed trees bigger than this skip the cyclic GC (see parse_database_bytes)
FREEZE_BYTES = 1_000_000
RAW_CACHE_BYTES = 8_000_000  # byte budget of the raw-bytes read cache (see _cache_get)

Key = tuple[int, int, int]  # (st_ino, st_size, st_mtime_ns) of one version of a file
_RAW_CACHE: dict[str, tuple[Key, bytes]] = {}  # abspath -> bytes; LRU order, RAW_CACHE_BYTES
_RAW_GUARD = threading.Lock()
# big parses freeze the heap (see parse_database_bytes); off in long-running processes
_FREEZE = [True]
_GOOD: dict[str, Key] = {}  # abspath -> the version this process last parsed or wrote whole
_LOCKS: dict[str, FileLock] = {}
_LOCKS_GUARD = threading.Lock()
_WHY = {
    errno.ENOSPC: "磁盘空间不足",
    getattr(errno, "EDQUOT", -1): "磁盘配额已满",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "文件系统只读",
}


def shown_path(path: Path) -> str:
    """The path as the user typed it: relative to the current folder when inside it."""
    with suppress(OSError, ValueError):
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    return str(path)


def _why(e: OSError) -> str:
    return _WHY.get(e.errno or 0) or e.strerror or str(e)


def _key(st: os.stat_result) -> Key:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _stat_key(path: Path) -> Key | None:
    try:
        return _key(os.stat(path))
    except FileNotFoundError:
        return None


class BadDatabaseBytes(Exception):
    """Bytes that are not a usable database (see parse_database_bytes). `newer` is set for a
    too-new schema."""

    def __init__(self, detail: str, newer: int | None = None):
        super().__init__(detail)
        self.detail, self.newer = detail, newer


def parse_database_bytes(raw: bytes) -> dict[str, Any]:
    """Parse and check shape (dict of tables, each a dict of id -> document) and schema."""
    # A JSON tree has no reference cycles, so GC passes during a big parse are pure waste:
    # measured 13.4 -> 8.3 ms at 1k forms (2.4 MB) and 549 -> 105 ms at 10k forms.
    # The parsed tree is still in the youngest GC generation when collection resumes, so the
    # next allocations pay for two or three traversals of it (0.2-0.3 s each at 10k sheets,
    # measured: load + panels of 10k went 3.9 s -> see bench). A big tree is moved to the
    # permanent generation instead: refcounting still frees it (a JSON tree has no cycles);
    # the previous freeze is undone first, so objects frozen along with it are collected as
    # usual later on, never kept for good.
    #
    # A freeze covers every object alive at that moment, not only the new tree: an object
    # frozen then and dropped later inside a reference cycle (a closed screen's widgets) is not
    # collected until an unfreeze, and the next big parse refreezes at once. Harmless in a
    # command that exits; a long-running process (the TUI, serve) calls long_running() first.
    big = _FREEZE[0] and len(raw) > FREEZE_BYTES
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        if big:
            gc.unfreeze()
        data = orjson.loads(raw)
        if big:
            gc.freeze()
    except orjson.JSONDecodeError as e:
        raise BadDatabaseBytes(f"第 {e.lineno} 行：{e.msg}") from None
    finally:
        if gc_was_on:
            gc.enable()
    if not isinstance(data, dict):
        raise BadDatabaseBytes("最外层不是 JSON 对象")
    for table, docs in data.items():
        if not isinstance(docs, dict):
            raise BadDatabaseBytes(f"表 {table!r} 不是 JSON 对象")
        for doc_id, doc in docs.items():
            if not (doc_id.isascii() and doc_id.isdigit()) or not isinstance(doc, dict):
                raise BadDatabaseBytes(f"表 {table!r} 的记录 {doc_id!r} 格式不对")
    if meta := data.get("meta"):
        schema = next(iter(meta.values())).get("schema")
        if type(schema) is not int or schema < 1:
            raise BadDatabaseBytes(f"schema 编号无效：{schema!r}")
        if schema > SCHEMA:
            raise BadDatabaseBytes("", newer=schema)
    # A file without `meta` (new, or written by hand) is accepted and stamped on its next write.
    return data


def long_running() -> None:
    """For a process that stays up (the TUI, serve): big parses no longer freeze the heap, and
    what earlier freezes set aside goes back to the collector. Parsed trees are then freed like
    any other object; the cost is a few GC passes over each big tree (measured in bench)."""
    _FREEZE[0] = False
    gc.unfreeze()


def _cache_get(path_key: str, key: Key) -> bytes | None:
    """The cached bytes of exactly this version of the file (and mark them recently used)."""
    with _RAW_GUARD:
        hit = _RAW_CACHE.pop(path_key, None)
        if hit is None or hit[0] != key:
            return None
        _RAW_CACHE[path_key] = hit  # re-insert: dicts keep insertion order, newest last
        return hit[1]


def _cache_put(path_key: str, key: Key, raw: bytes) -> None:
    """Keep the bytes of one file version; the least recently used go beyond RAW_CACHE_BYTES.
    A file bigger than the budget is not kept (nor an older version of it): the cache exists to
    spare re-reading the main database and small files, never to hold an archive's shards."""
    with _RAW_GUARD:
        _RAW_CACHE.pop(path_key, None)
        if len(raw) > RAW_CACHE_BYTES:
            return
        _RAW_CACHE[path_key] = (key, raw)
        total = sum(len(v[1]) for v in _RAW_CACHE.values())
        while total > RAW_CACHE_BYTES:
            oldest = next(iter(_RAW_CACHE))
            total -= len(_RAW_CACHE.pop(oldest)[1])


def _stamped(data: dict[str, Any]) -> dict[str, Any]:
    """Every write carries the schema number, so a new file gets it with its first record."""
    return data if data.get("meta") else {**data, "meta": {"1": {"schema": SCHEMA}}}


def _backups(folder: Path | None, name: str) -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    pattern = re.compile(re.escape(name) + r"-\d{8}-\d{6}-\d{6}\.json")
    return sorted((p for p in folder.iterdir() if pattern.fullmatch(p.name)), reverse=True)


def _damaged(
    path: Path, bad: BadDatabaseBytes, backups_dir: Path | None, name: str
) -> DatabaseDamaged:
    found = _backups(backups_dir, name)
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


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable (POSIX). Windows cannot open a folder and some filesystems
    # refuse; the new file is already complete on disk by then, so skipping is safe.
    if hasattr(os, "O_DIRECTORY"):
        with suppress(OSError):
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def _atomic_write(path: Path, payload: bytes) -> Key:
    """Temp file in the same folder + fsync + os.replace: readers see old or new, never half."""
    tmp = path.with_name(f"{TEMP_PREFIX}{path.name}-{secrets.token_hex(6)}")
    try:
        # 0o666 minus umask, like any new file (mkstemp would make the database 0600).
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with open(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
            st = os.fstat(f.fileno())  # a rename keeps inode, size and mtime
        os.replace(tmp, path)
    except BaseException as e:
        with suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise StoreError(f"写入 {shown_path(path)} 失败：{_why(e)}。原文件未改动。") from e
        raise
    _fsync_dir(path.parent)
    return _key(st)


def _plain_write(path: Path, payload: bytes) -> None:
    """Temp file + rename without fsync: for backups, a second copy of a file written durably."""
    tmp = path.with_name(f"{TEMP_PREFIX}{path.name}-{secrets.token_hex(6)}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with open(fd, "wb") as f:
            f.write(payload)
        os.replace(tmp, path)
    except BaseException as e:
        with suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise StoreError(f"写入 {shown_path(path)} 失败：{_why(e)}。") from e
        raise


def atomic_write_bytes(path: Path, payload: bytes) -> None:
    """Public form of the atomic write, for small files beside the databases (settings...)."""
    _atomic_write(Path(path), payload)


def _check_usable(storage: Any, writing: bool = False) -> None:
    # Programming errors, not user errors: a TinyDB kept past its transaction would read and
    # write without the lock, and a snapshot must not write.
    if storage._closed:
        raise RuntimeError("database used after its transaction/snapshot ended")
    if writing and storage.read_only:
        raise RuntimeError("snapshot() is read-only; write inside transaction()")


class AtomicJSONStorage(Storage):
    """UTF-8 JSON via orjson; no handle kept open; never writes over a file it could not parse.

    Read cache, measured at 1k forms (2.4 MB): read 0.1 ms, parse 8-11 ms, copy.deepcopy of the
    parsed tree 55 ms, a hand-written dict/list copy 19 ms. Copying a cached tree costs more than
    parsing again, and handing one tree to two readers lets a mutation (TinyDB updates documents in
    place, callers edit nested answers) corrupt the cache. So only the raw bytes are cached, and
    only once the file is >2 s old: mtime ticks are coarse and inode numbers get reused, so a
    fresher (inode, size, mtime) key could match a different same-size write by another process.
    The cache holds at most RAW_CACHE_BYTES (least recently used out first; a bigger file is not
    kept), so a long-running process does not end up holding a whole archive's bytes.
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
        self._cache_key = os.path.abspath(self.path)
        self.backups_dir, self.name, self.read_only = backups_dir, name, read_only
        self._seen: Key | None | bool = False  # the version we last read or wrote; False = none
        self._primed: tuple[Key | None, dict[str, Any] | None] | None = None
        self._closed = False
        self.backup_hook: tuple[Callable[[], None], Callable[[bytes], None]] | None = None

    def prime(self) -> None:
        """Read and check now, so a damaged or too-new file fails before the caller does anything.

        The parse is kept for the next read(), handed out once (nobody else holds it): a
        transaction costs no extra parse for this early check."""
        self._primed = self._load()

    def read(self) -> dict[str, Any] | None:
        _check_usable(self)
        if self._primed is not None:
            (key, data), self._primed = self._primed, None
            if key == _stat_key(self.path):
                return data
        return self._load()[1]

    def write(self, data: dict[str, Any]) -> None:
        _check_usable(self, writing=True)
        if _stat_key(self.path) != self._seen:
            self._load()  # changed since we looked (or never looked): check it parses first
        self._primed = None
        payload = orjson.dumps(_stamped(data))
        hooks = self.backup_hook
        if hooks is not None and self._seen:  # backups are on for this transaction
            hooks[0]()  # links the version about to be replaced (checked above: it parses)
        self._seen = _atomic_write(self.path, payload)
        _GOOD[self._cache_key] = self._seen
        if hooks is not None:
            hooks[1](payload)  # a copy of the new version: the newest backup is the state now

    def close(self) -> None:
        self._closed = True

    def _load(self) -> tuple[Key | None, dict[str, Any] | None]:
        try:
            with open(self.path, "rb") as f:
                key = _key(st := os.fstat(f.fileno()))  # stat the handle: same version as the bytes
                hit = _cache_get(self._cache_key, key)
                raw = hit if hit is not None else f.read()
        except FileNotFoundError:
            self._seen = None
            return None, None
        except OSError as e:
            raise StoreError(f"读取 {shown_path(self.path)} 失败：{_why(e)}。") from e
        try:
            data = parse_database_bytes(raw) if raw else None  # 0 bytes = a new database
        except BadDatabaseBytes as bad:
            raise _damaged(self.path, bad, self.backups_dir, self.name) from None
        if raw and hit is None and time.time_ns() - st.st_mtime_ns > 2_000_000_000:
            _cache_put(self._cache_key, key, raw)
        if raw:
            _GOOD[self._cache_key] = key
        self._seen = key
        return key, data


class MemoryStorage(Storage):
    """The in-memory twin. It keeps orjson bytes, so every read is a fresh deep copy (orjson
    round trip: 5x faster than copy.deepcopy) and values go through the same rules as the file."""

    def __init__(self, *, share_with: MemoryStorage | None = None, read_only: bool = False):
        self._box: list[bytes | None] = share_with._box if share_with else [None]
        self.read_only, self._closed = read_only, False

    def prime(self) -> None:
        pass

    def read(self) -> dict[str, Any] | None:
        _check_usable(self)
        raw = self._box[0]
        return None if raw is None else orjson.loads(raw)

    def write(self, data: dict[str, Any]) -> None:
        _check_usable(self, writing=True)
        self._box[0] = orjson.dumps(_stamped(data))

    def close(self) -> None:
        self._closed = True


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
    ):
        """`lock_with`: another Database whose lock guards this file too (archive shards are
        written only under the main database's lock: one lock orders everything).
        `backup_writes`: every write of a transaction keeps backups around it (see backup())."""
        self.path = Path(path) if path is not None else None
        self.lock_with, self.backup_writes = lock_with, backup_writes
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
        with self._locked():
            if self._memory is not None:
                db = TinyDB(storage=MemoryStorage, share_with=self._memory, read_only=read_only)
            else:
                db = TinyDB(
                    self.path,
                    storage=AtomicJSONStorage,
                    backups_dir=self.backups_dir,
                    name=self.name,
                    read_only=read_only,
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
    def _locked(self) -> Iterator[None]:
        if self.lock_with is not None:
            with self.lock_with._locked():
                if self.path is not None:
                    try:
                        self.path.parent.mkdir(parents=True, exist_ok=True)
                    except OSError as e:
                        where = shown_path(self.path.parent)
                        raise StoreError(f"无法创建文件夹 {where}：{_why(e)}。") from e
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
            raise StoreError(f"无法锁定数据库 {shown_path(self.path)}：{_why(e)}。") from e
        try:
            yield
        finally:
            lock.release()

    def write_whole(self, data: dict[str, Any]) -> None:
        """Replace the whole file in one atomic write under the lock, without a TinyDB view:
        for a caller that has just read the file under the same lock. The version being
        replaced is still checked to parse first, unless this process read or wrote exactly it
        (same inode, size and mtime): a file that does not parse is never written over."""
        with self._locked():
            if self._memory is not None:
                self._memory._box[0] = orjson.dumps(_stamped(data))
                return
            storage = AtomicJSONStorage(self.path, backups_dir=self.backups_dir, name=self.name)
            key = _stat_key(storage.path)
            if key is not None and _GOOD.get(storage._cache_key) == key:
                storage._seen = key
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
        with self._locked():
            storage = getattr(self._tx, "storage", None)
            if storage is not None and not storage._closed:
                if storage.backup_hook is None:
                    storage.backup_hook = self._hooks()
                return self.backups_dir
            key = _stat_key(self.path)
            if key is None:
                return None
            try:
                raw = self.path.read_bytes()
                if _GOOD.get(os.path.abspath(self.path)) != key or not raw:
                    parse_database_bytes(raw)
            except (FileNotFoundError, BadDatabaseBytes):
                return None  # nothing worth keeping; a bad copy must not push good ones out
            if not raw:
                return None
            dest = self._backup_name()
            self._keep_backup(dest, raw=raw)
        return dest

    def _hooks(self) -> tuple[Callable[[], None], Callable[[bytes], None]]:
        """(before, after) a transaction's write, lock held. Before: the version about to be
        replaced is hard-linked, unless the newest backup already holds exactly it (the "after"
        copy of the previous write). After: the new version is COPIED (a link would share the
        live file's inode, and damage done in place to the live file, a truncation, would reach
        the backup too). So the newest backup is always the state after the last write."""

        def before() -> None:
            assert self.path is not None
            newest = self.newest_backup()
            with suppress(OSError):
                if (
                    newest is not None
                    and newest.stat().st_size == self.path.stat().st_size
                    and newest.read_bytes() == self.path.read_bytes()
                ):
                    return
            self._keep_backup(self._backup_name(), link=True, durable=False)

        def after(payload: bytes) -> None:
            # The live write has succeeded: a backup that does not fit (full disk) must not
            # turn it into a reported failure. Not fsynced: the live file was (it is the durable
            # copy); the backup reaches the disk with the next writeback (see _keep_backup).
            with suppress(StoreError, OSError):
                self._keep_backup(self._backup_name(), raw=payload, durable=False)

        return before, after

    def _backup_name(self) -> Path:
        assert self.backups_dir is not None
        when = datetime.now()
        while (dest := self.backups_dir / f"{self.name}-{when:%Y%m%d-%H%M%S-%f}.json").exists():
            when += timedelta(microseconds=1)
        return dest

    def _keep_backup(
        self, dest: Path, *, raw: bytes | None = None, link: bool = False, durable: bool = True
    ) -> None:
        """Store the current file as `dest` (lock held), then drop backups beyond the newest N.

        `durable=False` (the backups a write transaction keeps around each write): temp file +
        rename, so nobody ever sees half a backup, but no fsync of the file or the folder. The
        live file's own write is fsynced and stays the durable copy; the backups are a second
        copy that reaches the disk with the system's next writeback (seconds). Measured: the two
        fsyncs doubled the cost of every shard write during an import (1.1 s of 6.3 s at 10x1k).
        A backup cut short by a power cut at that moment does not parse: restore() refuses it
        and `doctor --restore` passes over it to the newest backup that checks out."""
        assert self.path is not None and self.backups_dir is not None
        self.backups_dir.mkdir(parents=True, exist_ok=True)
        linked = False
        if link:
            try:
                os.link(self.path, dest)
                linked = True
                if durable:
                    _fsync_dir(self.backups_dir)
            except OSError:
                pass  # no hard links here (FAT/exFAT, some shares): copy instead
        if not linked:
            payload = raw if raw is not None else self.path.read_bytes()
            if durable:
                _atomic_write(dest, payload)
            else:
                _plain_write(dest, payload)
        for old in self.backups()[self.keep_backups :]:
            with suppress(OSError):
                old.unlink()

    def backups(self) -> list[Path]:
        """Backups of this database, newest first."""
        return _backups(self.backups_dir, self.name)

    def newest_backup(self) -> Path | None:
        found = self.backups()
        return found[0] if found else None

    def check(self) -> list[str]:
        """Problems found, one plain sentence each; [] when healthy. Reads are atomic: no lock."""
        if self.path is None:
            return []
        problems = []
        try:
            raw = self.path.read_bytes()
            if raw:
                parse_database_bytes(raw)
        except FileNotFoundError:
            pass
        except BadDatabaseBytes as bad:
            problems.append(str(_damaged(self.path, bad, self.backups_dir, self.name)))
        except OSError as e:
            problems.append(f"无法读取数据库文件 {shown_path(self.path)}：{_why(e)}。")
        for tmp in self._temp_files():
            problems.append(
                f"{shown_path(tmp)} 是一次中断的写入留下的临时文件（数据库未受影响），可以删除。"
            )
        owner = self.lock_with or self
        if self.path.parent.is_dir() and owner.path is not None:
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
            raise StoreError(f"无法读取备份 {shown_path(backup)}：{_why(e)}。") from e
        except BadDatabaseBytes as bad:
            why = bad.detail or f"schema {bad.newer} 太新"
            raise StoreError(
                f"备份 {shown_path(backup)} 无法使用（{why}），未做任何改动。请换一个备份。"
            ) from None
        with self._locked():
            with suppress(FileNotFoundError):
                if current := self.path.read_bytes():
                    stamp = f"{datetime.now():%Y%m%d-%H%M%S-%f}"
                    _atomic_write(self.path.with_name(f"{self.name}.damaged-{stamp}.json"), current)
            _atomic_write(self.path, raw)

    def cleanup_temp_files(self) -> int:
        """Remove temp files left by interrupted writes (older than 60 s); return how many."""
        removed, now = 0, time.time()
        for tmp in self._temp_files():
            with suppress(OSError):
                if now - tmp.stat().st_mtime > STALE_TEMP_SECONDS:
                    tmp.unlink()
                    removed += 1
        return removed

    def _temp_files(self) -> list[Path]:
        if self.path is None:
            return []
        found = []
        for folder, stem in ((self.path.parent, self.path.name), (self.backups_dir, self.name)):
            if folder is not None and folder.is_dir():
                prefix = f"{TEMP_PREFIX}{stem}-"
                found += [p for p in folder.iterdir() if p.name.startswith(prefix)]
        return sorted(found)
