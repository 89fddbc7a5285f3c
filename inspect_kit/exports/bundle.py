"""USB bundle writer: a zip of sheets, their form versions, roster entries, events and
attachments, with a manifest holding a sha256 per file (format: inspect_kit/bundle_format.py).

The reader, which verifies every hash and refuses unsafe names, is `store/merge.py`.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspect_kit.base import bundle_format as bf
from inspect_kit.base.fsio import replace_file
from inspect_kit.base.signing import DeviceKey


@dataclass
class BundleSummary:
    sheets: int = 0
    forms: int = 0
    subjects: int = 0
    events: int = 0
    attachments: int = 0
    rectifications: int = 0
    skipped: list[str] = field(default_factory=list)
    """Attachment files left out (symbolic links, unsafe names), in plain words."""


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def write_bundle(
    path: Path,
    *,
    records: Sequence[Mapping[str, Any]],
    form_versions: Sequence[Mapping[str, Any]],
    subjects: Sequence[Mapping[str, Any]],
    events: Sequence[Mapping[str, Any]],
    attachments_dir: Path | None,
    device: str,
    kit_version: str,
    created_at: str,
    filters: Mapping[str, Any] | None = None,
    signer: DeviceKey | None = None,
    rectifications: Sequence[Mapping[str, Any]] = (),
) -> BundleSummary:
    """Write the bundle atomically (temp file, then rename); returns what went in. With a
    `signer` (this device's key) the manifest, and through its hashes every file, is signed."""
    summary = BundleSummary(len(records), len(form_versions), len(subjects), len(events))
    payloads: dict[str, bytes] = {
        bf.SHEETS: _json([dict(r) for r in records]),
        bf.FORMS: _json([dict(f) for f in form_versions]),
        bf.SUBJECTS: _json([dict(s) for s in subjects]),
        bf.EVENTS: _json([dict(e) for e in events]),
        bf.RECTIFICATIONS: _json([dict(r) for r in rectifications]),
    }
    summary.rectifications = len(rectifications)
    files: list[tuple[str, Path]] = []
    if attachments_dir is not None:
        owners = {r["uuid"] for r in records} | {r["uuid"] for r in rectifications}
        for sheet_uuid in sorted(owners):
            for rel, file in bf.attachment_files(attachments_dir, sheet_uuid, summary.skipped):
                files.append((bf.attachment_entry(sheet_uuid, rel), file))
    hashes = {name: bf.sha256_bytes(data) for name, data in payloads.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".tmp-{path.name}-{secrets.token_hex(4)}")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, data in payloads.items():
                zf.writestr(name, data)
            for name, file in files:
                data = file.read_bytes()
                hashes[name] = bf.sha256_bytes(data)
                zf.writestr(name, data)
            manifest = {
                "format": bf.FORMAT,
                "bundle_version": bf.BUNDLE_VERSION,
                "kit_version": kit_version,
                "device": device,
                "created_at": created_at,
                "filters": {k: v for k, v in (filters or {}).items() if v is not None},
                "counts": {
                    "sheets": summary.sheets,
                    "forms": summary.forms,
                    "subjects": summary.subjects,
                    "events": summary.events,
                    "rectifications": summary.rectifications,
                    "attachments": len(files),
                },
                "files": hashes,
            }
            if signer is not None:
                signature = signer.sign(bf.manifest_message(manifest))
                manifest[bf.SIGNATURE] = {"key": signer.public_key, "sig": signature}
            zf.writestr(bf.MANIFEST, _json(manifest))
        replace_file(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    summary.attachments = len(files)
    return summary
