"""The device keys a workspace trusts (`devices trust KEY --name …`), and the check of a bundle's
signature against them before `results import` reads anything into the database.

The list lives in the workspace, `results/trusted-devices.json`: it is the office's decision
about which laptops it takes sheets from, and travels with its database. This device's own key
is always trusted. While the list is empty any correctly signed bundle is taken (and its key
shown, to be pinned); once it names a device, only pinned keys are.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_kit.base import bundle_format as bf
from inspect_kit.base.errors import StoreError
from inspect_kit.base.fsio import atomic_write_bytes
from inspect_kit.base.paths import Workspace
from inspect_kit.base.signing import fingerprint, parse_public_key, verify
from inspect_kit.domain.sheet import now_iso

TRUST_FILE = "trusted-devices.json"


@dataclass(frozen=True)
class TrustedDevice:
    public_key: str
    name: str
    added_at: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def trust_path(workspace: Workspace) -> Path:
    return workspace.results_dir / TRUST_FILE


def trusted_devices(workspace: Workspace) -> list[TrustedDevice]:
    path = trust_path(workspace)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data["devices"]
        return [TrustedDevice(str(r["key"]), str(r["name"]), str(r.get("added_at", "")))
                for r in rows]  # fmt: skip
    except FileNotFoundError:
        return []
    except (ValueError, KeyError, TypeError):
        raise StoreError(code="devices.damaged", path=str(path)) from None


def trust_device(workspace: Workspace, public_key: str, name: str) -> TrustedDevice:
    """Pin a key (or rename a pinned one); returns the entry."""
    key = public_key.strip()
    if parse_public_key(key) is None:
        raise StoreError(code="devices.bad_key", public_key=key[:60])
    if not name.strip():
        raise StoreError(code="devices.no_name")
    devices = [d for d in trusted_devices(workspace) if d.public_key != key]
    entry = TrustedDevice(key, name.strip(), now_iso())
    devices.append(entry)
    _save(workspace, devices)
    return entry


def untrust_device(workspace: Workspace, public_key: str) -> bool:
    devices = trusted_devices(workspace)
    kept = [d for d in devices if d.public_key != public_key.strip()]
    if len(kept) != len(devices):
        _save(workspace, kept)
    return len(kept) != len(devices)


def _save(workspace: Workspace, devices: list[TrustedDevice]) -> None:
    rows = [{"key": d.public_key, "name": d.name, "added_at": d.added_at} for d in devices]
    payload = json.dumps({"devices": rows}, ensure_ascii=False, indent=1).encode("utf-8")
    trust_path(workspace).parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(trust_path(workspace), payload)


# ------------------------------------------------------------------ bundles


@dataclass(frozen=True)
class BundleSigner:
    """Who signed a bundle, as far as this workspace knows."""

    public_key: str | None
    """None: an unsigned bundle taken with --trust-unsigned."""
    name: str
    """The pinned name, "本机" for this device, or "" for an unpinned key."""

    def line(self, shown: str) -> str:
        if self.public_key is None:
            why = "签名不符（可能被改动过）" if self.name else "没有签名"
            return f"注意：{shown} {why}，按 --trust-unsigned 导入。"
        who = self.name or "未固定的设备"
        text = f"{shown}：签名有效，来自 {who}（指纹 {fingerprint(self.public_key)}）"
        if not self.name:
            text += f"；核实后可固定：inspect-kit devices trust {self.public_key} --name 名称"
        return text


def _manifest(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as zf:
        data = json.loads(zf.read(bf.MANIFEST))
    if not isinstance(data, dict):
        raise ValueError("manifest is not an object")
    return data


def check_bundle(path: Path, shown: str, workspace: Workspace, own_key: str | None, *,
                 trust_unsigned: bool = False) -> BundleSigner:  # fmt: skip
    """Whether a bundle (already read and hash-checked by store/sources.py) may be imported:
    signed over its manifest by this device, a pinned device, or (no pins yet) any device.
    Unsigned or badly signed bundles are refused unless `trust_unsigned`."""
    try:
        manifest = _manifest(path)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        raise StoreError(code="bundle.unreadable", path=shown) from None
    signature = manifest.get(bf.SIGNATURE)
    if signature is None:
        if trust_unsigned:
            return BundleSigner(None, "")
        raise StoreError(code="bundle.unsigned", path=shown)
    key = signature.get("key") if isinstance(signature, dict) else None
    sig = signature.get("sig") if isinstance(signature, dict) else None
    good = (isinstance(key, str) and isinstance(sig, str)
            and verify(key, bf.manifest_message(manifest), sig))  # fmt: skip
    if not good:
        if trust_unsigned:
            return BundleSigner(None, "bad")
        raise StoreError(code="bundle.bad_signature", path=shown)
    assert isinstance(key, str)
    if key == own_key:
        return BundleSigner(key, "本机")
    pinned = trusted_devices(workspace)
    match = next((d for d in pinned if d.public_key == key), None)
    if match is not None:
        return BundleSigner(key, match.name)
    if pinned:
        raise StoreError(code="bundle.untrusted", path=shown, fingerprint=fingerprint(key),
                         public_key=key)  # fmt: skip
    return BundleSigner(key, "")
