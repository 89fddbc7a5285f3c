"""Photo and file attachments of a sheet: one naming rule and one safe copy for every front-end.

Files are copied into `results/attachments/<sheet uuid>/`. A name already used by the sheet (or
present in its folder) gets a number: `标牌.jpg`, then `标牌-2.jpg`, `标牌-3.jpg`. Nothing is
ever written outside the sheet's folder.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from inspect_kit.base.errors import AnswerError

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


def check_photo(path_text: str, base: Path | None = None) -> Path:
    """A photo path that exists and is a file, or AnswerError."""
    path = Path(path_text.strip().strip('"').strip("'")).expanduser()
    if path.name in ("", ".", "..") or path.name.startswith("."):
        raise AnswerError(f"照片文件名不可用：{path_text.strip()}")
    if base is not None and not path.is_absolute():
        path = base / path
    if not path.is_file():
        raise AnswerError(f"找不到照片文件 {path_text.strip()}")
    return path


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
        shutil.copy2(source, target)


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
