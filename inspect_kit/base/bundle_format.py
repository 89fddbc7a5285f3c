"""The USB bundle format, shared by its writer (exports/bundle.py) and reader (store/merge.py).

Stdlib only: names, the manifest layout and the rules a file name inside a bundle (or an
attachment name inside a record) must follow so that nothing is ever written outside
`results/attachments/<sheet uuid>/`.

A bundle is a zip holding:
    manifest.json      {"format", "bundle_version", "kit_version", "device", "created_at",
                        "filters", "counts", "files": {name: sha256},
                        "signature": {"key", "sig"}}
    sheets.json        every revision of the exported sheets (full records)
    forms.json         the form versions those sheets were scored under
    subjects.json      the roster entries they refer to
    events.json        their audit events
    rectifications.json  every revision of the rectification items (整改项; version 3, optional)
    attachments/<uuid>/<relative path>   photo and other files of each sheet (or 整改项)

Versions: 1 had no signature; 2 adds `signature`, the exporting device's ed25519 public key
and its signature over the manifest's canonical JSON without `signature` (`manifest_message`).
The manifest holds every file's sha256, so the one signature covers the whole bundle.
3 adds `rectifications.json` (absent from older bundles, which still import).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

FORMAT = "inspect-kit-bundle"
BUNDLE_VERSION = 3
SIGNATURE = "signature"
MANIFEST = "manifest.json"
SHEETS = "sheets.json"
FORMS = "forms.json"
SUBJECTS = "subjects.json"
EVENTS = "events.json"
DATA_FILES = (SHEETS, FORMS, SUBJECTS, EVENTS)
RECTIFICATIONS = "rectifications.json"
OPTIONAL_FILES = (RECTIFICATIONS,)
ATTACHMENTS = "attachments"

# A sheet uuid names a folder, so it must be one plain path component.
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_DRIVE = re.compile(r"^[A-Za-z]:")
MAX_PARTS = 8
MAX_NAME = 255


def manifest_message(manifest: dict[str, Any]) -> bytes:
    """The bytes a bundle's signature covers: the manifest's canonical JSON, unsigned."""
    body = {k: v for k, v in manifest.items() if k != SIGNATURE}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def safe_id(value: object) -> bool:
    """True for a sheet uuid that can be used as one folder name."""
    return isinstance(value, str) and bool(_SAFE_ID.fullmatch(value))


def relpath_problem(name: str) -> str | None:
    """Why a relative file name (zip entry or attachment) is unsafe, or None when it is fine.

    Refused: absolute paths, drive letters, backslashes, `..` and `.` parts, empty parts,
    control characters, and overly deep or long names."""
    if not isinstance(name, str) or not name:
        return "名称为空"
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "是绝对路径"
    if "\\" in name:
        return "含有反斜杠"
    if any(ord(c) < 32 or c == "\x7f" for c in name):
        return "含有控制字符"
    parts = name.split("/")
    if any(p in ("..", ".") for p in parts):
        return "含有 .. 或 . 路径"
    if any(p == "" for p in parts):
        return "含有空的路径部分"
    if len(parts) > MAX_PARTS or any(len(p.encode("utf-8")) > MAX_NAME for p in parts):
        return "路径过深或过长"
    return None


def attachment_entry(sheet_uuid: str, relpath: str) -> str:
    return f"{ATTACHMENTS}/{sheet_uuid}/{relpath}"


def split_attachment_entry(name: str) -> tuple[str, str] | None:
    """(sheet uuid, relative path) of a bundle entry under attachments/, else None."""
    prefix, _, rest = name.partition("/")
    if prefix != ATTACHMENTS:
        return None
    sheet_uuid, _, relpath = rest.partition("/")
    if not safe_id(sheet_uuid) or relpath_problem(relpath):
        return None
    return sheet_uuid, relpath


def attachment_files(folder: Path, sheet_uuid: str, skipped: list[str]) -> list[tuple[str, Path]]:
    """(relative name, path) of the regular files under results/attachments/<uuid>/.

    Symbolic links are never followed or packed: they could point anywhere on the laptop."""
    base = folder / sheet_uuid
    if not safe_id(sheet_uuid) or base.is_symlink() or not base.is_dir():
        return []
    found = []
    for root, dirs, files in os.walk(base, followlinks=False):
        here = Path(root)
        for name in sorted(dirs):
            if (here / name).is_symlink():
                skipped.append(
                    f"{sheet_uuid}/{(here / name).relative_to(base).as_posix()}：符号链接"
                )
        for name in sorted(files):
            path = here / name
            rel = path.relative_to(base).as_posix()
            if path.is_symlink() or not path.is_file():
                skipped.append(f"{sheet_uuid}/{rel}：符号链接或特殊文件")
            elif problem := relpath_problem(rel):
                skipped.append(f"{sheet_uuid}/{rel}：{problem}")
            else:
                found.append((rel, path))
    return sorted(found)
