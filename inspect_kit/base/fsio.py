"""Atomic file IO, the bottom layer under every file the kit writes (databases, settings, forms).

A write goes to a temp file in the same folder, is fsynced, replaces the old file with
os.replace and then the folder is fsynced: a reader (or a crash, or a full disk) sees the old
file or the new one, never half of either. Failures become a StoreError in plain words.
"""

from __future__ import annotations

import errno
import os
import secrets
import time
from contextlib import suppress
from pathlib import Path

from inspect_kit.base.errors import StoreError

TEMP_PREFIX = ".tmp-"

Key = tuple[int, int, int]
"""(st_ino, st_size, st_mtime_ns) of one version of a file."""

_WHY = {
    errno.ENOSPC: "磁盘空间不足",
    getattr(errno, "EDQUOT", -1): "磁盘配额已满",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "文件系统只读",
}


_HELD_OPEN = {5, 32, 33}
"""Windows errors for a file another process holds open: ERROR_ACCESS_DENIED (a virus scanner or
a sync client opening the new file), ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION."""

REPLACE_PATIENCE_S = 3.0
"""How long a rename waits for another program to let go of the file (scanners take tens to
hundreds of milliseconds) before the write is given up with a one-line message."""


def held_open(e: OSError) -> bool:
    """True when Windows refused because another process holds the file open."""
    return getattr(e, "winerror", None) in _HELD_OPEN


def replace_file(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
    """os.replace that waits a bounded time while another program holds the target open.

    On Windows a rename over a file that an antivirus scanner, a sync client or a second window
    has open fails with a sharing violation until that program lets go; POSIX has no such
    refusal, so there the first error is final."""
    deadline = time.monotonic() + REPLACE_PATIENCE_S
    pause = 0.01
    while True:
        try:
            os.replace(src, dst)
            return
        except OSError as e:
            if not held_open(e) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.25)


def shown_path(path: Path) -> str:
    """The path as the user typed it: relative to the current folder when inside it."""
    with suppress(OSError, ValueError):
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    return str(path)


def why(e: OSError) -> str:
    """An OS error in plain words (full disk, no permission...)."""
    if held_open(e):
        return "文件被其他程序占用（杀毒软件、同步软件或另一个窗口），请关闭它后重试"
    return _WHY.get(e.errno or 0) or e.strerror or str(e)


def file_key(st: os.stat_result) -> Key:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def stat_key(path: Path) -> Key | None:
    """The version key of the file now, or None when it does not exist."""
    try:
        return file_key(os.stat(path))
    except FileNotFoundError:
        return None


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable."""
    # POSIX only: Windows cannot open a folder and some filesystems refuse; the new file is
    # already complete on disk by then, so skipping is safe.
    if hasattr(os, "O_DIRECTORY"):
        with suppress(OSError):
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def _temp_for(path: Path) -> Path:
    return path.with_name(f"{TEMP_PREFIX}{path.name}-{secrets.token_hex(6)}")


def _open_new(tmp: Path) -> int:
    # 0o666 minus umask, like any new file (mkstemp would make the database 0600).
    return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)


def atomic_write(path: Path, payload: bytes) -> Key:
    """Temp file in the same folder + fsync + os.replace + folder fsync: readers see old or
    new, never half. Returns the new file's version key."""
    tmp = _temp_for(path)
    try:
        with open(_open_new(tmp), "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
            st = os.fstat(f.fileno())  # a rename keeps inode, size and mtime
        replace_file(tmp, path)
    except BaseException as e:
        with suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise StoreError(f"写入 {shown_path(path)} 失败：{why(e)}。原文件未改动。") from e
        raise
    fsync_dir(path.parent)
    return file_key(st)


def plain_write(path: Path, payload: bytes) -> None:
    """Temp file + rename without fsync: for backups, a second copy of a file written durably."""
    tmp = _temp_for(path)
    try:
        with open(_open_new(tmp), "wb") as f:
            f.write(payload)
        replace_file(tmp, path)
    except BaseException as e:
        with suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise StoreError(f"写入 {shown_path(path)} 失败：{why(e)}。") from e
        raise


def atomic_write_bytes(path: Path, payload: bytes) -> None:
    """The atomic write for small files beside the databases (settings, form files...)."""
    atomic_write(Path(path), payload)


def regular_file_problem(path: Path) -> str | None:
    """Why a file the user named cannot be read as input (a FIFO would hang the command, a
    device never ends, a folder is not a file); None for a regular file. Missing files are
    left to the caller's own message."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as e:
        return why(e)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "这是文件夹，不是文件"
    return "不是普通文件（管道、设备等），未读取"
