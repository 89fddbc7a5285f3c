"""Photo and file attachments of a sheet: one naming rule and one safe copy for every front-end.

Files are copied into `results/attachments/<sheet uuid>/`. A name already used by the sheet (or
present in its folder) gets a number: `标牌.jpg`, then `标牌-2.jpg`, `标牌-3.jpg`. Nothing is
ever written outside the sheet's folder.

What may be attached (`check_photo`, used by the full-screen app, plain mode, answer files and
CSV sheets alike): a regular file whose content is a JPEG, PNG, HEIC/HEIF or WebP image (its
first bytes, not its name), at most `photo_max_mb` (a setting, 20 MB by default), not hidden,
not under /proc, /sys or /dev, never a device, FIFO or socket. A path from an answer file or a
CSV sheet must stay inside that file's folder, after symbolic links are followed.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from inspect_kit.base.errors import AnswerError
from inspect_kit.base.fsio import replace_file

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SAFE_NAME = re.compile(r"^[^/\\\x00]{1,200}$")


def attachment_dir(attachments_root: Path, sheet_uuid: str) -> Path:
    if not UUID_RE.match(sheet_uuid):
        raise AnswerError(f"评分表编号不正确：{sheet_uuid}")
    return attachments_root / sheet_uuid


def attachment_names(sources: Iterable[Path], taken: Iterable[str] = ()) -> list[str]:
    """File names the sources get inside the sheet's attachment folder (unique, no paths)."""
    used = set(taken)
    names = []
    for source in sources:
        name = source.name
        if name in ("", ".", "..") or name.startswith(".") or not SAFE_NAME.match(name):
            raise AnswerError(f"照片文件名不可用：{source}")
        stem, suffix = Path(name).stem, Path(name).suffix
        candidate, n = name, 2
        while candidate in used:
            candidate, n = f"{stem}-{n}{suffix}", n + 1
        used.add(candidate)
        names.append(candidate)
    return names


MB = 1024 * 1024
SYSTEM_ROOTS = (Path("/proc"), Path("/sys"), Path("/dev"))
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


def image_kind(head: bytes) -> str | None:
    """The image format the first bytes of a file announce, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "HEIC"
    return None


def _max_bytes() -> int:
    from inspect_kit.base.config import load_settings

    return load_settings().photo_max_mb * MB


def _refuse(code: str, shown: str, **params: Any) -> AnswerError:
    return AnswerError(code=code, path=shown, **params)


def open_photo(path: Path, shown: str, max_bytes: int | None = None) -> int:
    """An open descriptor on `path` once it is known to be a regular image file within the size
    cap; the caller closes it. Opened without following a last symlink and without blocking
    (a FIFO would hang a plain open), then checked on the open file itself."""
    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise _refuse("photo.missing", shown) from None
    except OSError as exc:
        raise _refuse("photo.unreadable", shown, why=exc.strerror or str(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _refuse("photo.not_regular", shown)
        limit = _max_bytes() if max_bytes is None else max_bytes
        if info.st_size > limit:
            raise _refuse("photo.too_big", shown, size=f"{info.st_size / MB:.1f}",
                          limit=f"{limit / MB:g}")  # fmt: skip
        head = os.read(fd, 16)
        os.lseek(fd, 0, os.SEEK_SET)
        if image_kind(head) is None:
            raise _refuse("photo.not_image", shown)
    except BaseException:
        os.close(fd)
        raise
    return fd


def check_photo(path_text: str, base: Path | None = None, *, max_bytes: int | None = None) -> Path:
    """The real path of a photo the user named, after every check above, or AnswerError.

    `base` is the folder of the answer file (or CSV sheet) that named it: relative paths are
    read from there, and nothing outside it is accepted."""
    shown = path_text.strip()
    path = Path(shown.strip('"').strip("'")).expanduser()
    if path.name in ("", ".", "..") or path.name.startswith("."):
        raise _refuse("photo.bad_name", shown)
    if base is not None:
        path = base / path  # an absolute path stays as it is
        root, named_root = base.resolve(), Path(os.path.normpath(base.absolute()))
        if not Path(os.path.normpath(path.absolute())).is_relative_to(named_root):
            raise _refuse("photo.outside", shown, folder=str(root))
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise _refuse("photo.missing", shown) from None
    except (OSError, RuntimeError):  # a symlink loop, a permission problem
        raise _refuse("photo.missing", shown) from None
    if base is not None:
        if not real.is_relative_to(root):  # a symbolic link that leads out
            raise _refuse("photo.outside", shown, folder=str(root))
        hidden = [p for p in real.relative_to(root).parts if p.startswith(".")]
    else:
        hidden = [p for p in real.parts[1:] if p.startswith(".")]
    if any(real.is_relative_to(r) for r in SYSTEM_ROOTS):
        raise _refuse("photo.not_regular", shown)
    if hidden:
        raise _refuse("photo.hidden", shown)
    os.close(open_photo(real, shown, max_bytes))
    return real


def copy_attachments(
    attachments_root: Path, sheet_uuid: str, pairs: Iterable[tuple[Path, str]]
) -> None:
    """Copy each (source, name) into results/attachments/<uuid>/name; never outside it."""
    folder = attachment_dir(attachments_root, sheet_uuid)
    folder.mkdir(parents=True, exist_ok=True)
    root = folder.resolve()
    for source, name in pairs:
        target = folder / name
        if target.resolve().parent != root:
            raise AnswerError(f"照片文件名不可用：{name}")
        if target.exists() and target.resolve() == source.resolve():
            continue
        _copy_checked(source, target)


def _copy_checked(source: Path, target: Path) -> None:
    """Copy from the very file that passed the checks (re-checked on its open descriptor, so
    a file swapped since it was named is refused), to a temporary name renamed at the end."""
    fd = open_photo(source, str(source))
    partial = target.with_name(f".{target.name}.part")
    try:
        with os.fdopen(fd, "rb") as src, open(partial, "wb") as out:
            while chunk := src.read(MB):
                out.write(chunk)
        os.utime(partial, ns=(os.stat(source).st_atime_ns, os.stat(source).st_mtime_ns))
        replace_file(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def add_attachments(
    attachments_root: Path, sheet_uuid: str, sources: list[Path], keep: Iterable[str] = ()
) -> list[str]:
    """Copy new files in beside the ones the item keeps; returns the new files' names.

    Names already on disk count as taken too, so a file detached earlier is never written over.
    """
    folder = attachment_dir(attachments_root, sheet_uuid)
    on_disk = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    names = attachment_names(sources, taken={*keep, *on_disk})
    copy_attachments(attachments_root, sheet_uuid, zip(sources, names, strict=True))
    return names


def set_attachments(attachments_root: Path, sheet_uuid: str, sources: list[Path]) -> list[str]:
    """An item's whole list of attachments, in the order given: files already in the sheet's
    folder are kept as they are, the others are copied in (named by the rule above).
    Returns the names to record on the item."""
    folder = attachment_dir(attachments_root, sheet_uuid).resolve()
    keep = [s.name for s in sources if s.resolve().parent == folder]
    new = [s for s in sources if s.resolve().parent != folder]
    names = iter(add_attachments(attachments_root, sheet_uuid, new, keep))
    return [s.name if s.resolve().parent == folder else next(names) for s in sources]
