"""This device's ed25519 key pair, and signing and checking JSON-shaped records with it.

The key lives in the per-user config folder (beside `config.json`, see base/config.py): a
device is this laptop and this user, whichever workspace they open, and copying a workspace to
another laptop does not copy its identity. It is made on first use; the private key file is
mode 0600 and is never written anywhere else. A public key is shown and pinned as 44 base64
characters (`devices show`, `devices trust KEY`); its fingerprint is the first 16 hex digits
of its sha256, grouped, for reading aloud over the phone.

Records are signed over their canonical JSON (sorted keys, no spaces, UTF-8) without the
`sig` field, so a record and its signature travel together in any JSON file.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import secrets
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspect_kit.base.config import config_path
from inspect_kit.base.errors import InspectKitError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

# cryptography (~10 ms) is imported where a key is used: every store read imports this module
# for record_hash, and most commands (charts, lists) never sign or check a signature.

KEY_FILE = "device-key.pem"
SIG = "sig"


def key_path() -> Path:
    """Where this device's private key lives: INSPECT_KIT_KEY, else beside the settings."""
    env = os.environ.get("INSPECT_KIT_KEY")
    if env:
        return Path(env)
    return config_path().parent / KEY_FILE


def canonical(record: dict[str, Any]) -> bytes:
    """The bytes a record's signature covers: its canonical JSON without `sig`."""
    body = {k: v for k, v in record.items() if k != SIG}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def record_hash(record: dict[str, Any]) -> str:
    """sha256 of a whole record, signature included: what the next link of a chain names."""
    data = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode()).hexdigest()


def fingerprint(public_key: str) -> str:
    digest = hashlib.sha256(public_key.encode("ascii", "replace")).hexdigest()[:16]
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


def parse_public_key(text: str) -> Ed25519PublicKey | None:
    """The key a 44-character base64 text names, or None when it is not one."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) != 32:
        return None
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    return Ed25519PublicKey.from_public_bytes(raw)


@cache
def _public(text: str) -> Ed25519PublicKey | None:
    return parse_public_key(text)


def verify(public_key: str, message: bytes, signature: str) -> bool:
    from cryptography.exceptions import InvalidSignature

    key = _public(public_key)
    if key is None:
        return False
    try:
        key.verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


@dataclass(frozen=True)
class DeviceKey:
    """This device's key pair."""

    private: Ed25519PrivateKey
    public_key: str
    """The public key as 44 base64 characters."""

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self.private.sign(message)).decode("ascii")

    def sign_record(self, record: dict[str, Any]) -> dict[str, Any]:
        """A copy of `record` naming this key (`key`) and carrying its signature (`sig`)."""
        body = {**{k: v for k, v in record.items() if k != SIG}, "key": self.public_key}
        return {**body, SIG: self.sign(canonical(body))}


def _public_text(private: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = private.public_key().public_bytes(serialization.Encoding.Raw,
                                            serialization.PublicFormat.Raw)  # fmt: skip
    return base64.b64encode(raw).decode("ascii")


def _load(path: Path) -> DeviceKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError):
        raise InspectKitError(code="device.key_damaged", path=str(path)) from None
    if not isinstance(private, Ed25519PrivateKey):
        raise InspectKitError(code="device.key_damaged", path=str(path))
    return DeviceKey(private, _public_text(private))


def _create(path: Path) -> None:
    """Write a new key without ever replacing one: a temp file linked into place, so two
    processes starting at once end up with the same (the first) key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )  # fmt: skip
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process was first: use its key
        except OSError:
            _create_without_links(path, pem)  # FAT/exFAT and some shares have no hard links
    finally:
        tmp.unlink(missing_ok=True)


def _create_without_links(path: Path, pem: bytes) -> None:
    """The key written in place, still never replacing one (O_EXCL): a second process starting
    in the same millisecond may read it half-written and fail once, never end with two keys."""
    with suppress(FileExistsError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
            out.flush()
            os.fsync(out.fileno())


_loaded: dict[Path, DeviceKey] = {}


def device_key(create: bool = True) -> DeviceKey | None:
    """This device's key, made on first use (None when absent and `create` is False)."""
    path = key_path()
    if path in _loaded:
        return _loaded[path]
    if not path.exists():
        if not create:
            return None
        try:
            _create(path)
        except OSError as e:
            raise InspectKitError(code="device.key_unwritable", path=str(path),
                                  why=e.strerror or str(e)) from None  # fmt: skip
    key = _loaded[path] = _load(path)
    return key
