"""All-or-nothing writes across shard files (issue 16, item 3): staged shards and the journal.

Why: a finalize, an import or a conflict resolution writes several shards and then the main file.
Written in place one by one, a full disk or a SIGKILL half-way left some shards new and the main
file old: 12 of 24 imported sheets visible, no roster entries, no events. Now each shard of a
transaction is written whole to a staged temp file beside it (fsynced); the main file's one write
is the commit point and carries a journal (`pending_shards`: shard -> staged file); only then are
the staged files renamed over their shards. A crash before the main write leaves only temp files
(the old state everywhere); a crash after it leaves a journal that the next open of the main file
finishes (renames are idempotent: a staged file that is gone was already renamed).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_kit.base.errors import StoreError
from inspect_kit.base.fsio import TEMP_PREFIX, atomic_write, fsync_dir, replace_file
from inspect_kit.store import held
from inspect_kit.store.backups import Hooks

JOURNAL = "pending_shards"


@dataclass
class Staged:
    path: Path
    """The staged temp file beside the shard."""
    payload: bytes
    key: list[int]
    """[size, mtime_ns] of the staged file: a rename keeps both, so the main file can record
    the shard's key before the shard is in place."""
    sheets: bool = False
    """The bytes are exactly the encoding of a shard's one `submissions` table (an append
    may vouch for them: store.shard_tail)."""


def stage(target: Path, payload: bytes) -> Staged:
    """Write `payload` whole to a fresh staged file beside `target` (fsynced, not yet visible)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{TEMP_PREFIX}{target.name}-staged-{secrets.token_hex(6)}")
    atomic_write(tmp, payload)
    st = os.stat(tmp)
    return Staged(tmp, payload, [st.st_size, st.st_mtime_ns])


def discard(staged: Staged) -> None:
    with suppress(OSError):
        staged.path.unlink()


def journal_rows(root: Path, staged: dict[str, Staged]) -> dict[str, Any]:
    """The journal table the main file's commit write carries."""
    rows = {}
    for i, (rel, item) in enumerate(sorted(staged.items()), 1):
        rows[str(i)] = {"shard": rel, "staged": item.path.relative_to(root).as_posix()}
    return rows


def put_in_place(target: Path, tmp: Path, hooks: Hooks | None, payload: bytes | None) -> bool:
    """Rename one staged file over its shard (lock held), keeping backups around it like any
    write: the version replaced is linked first, the new one copied after. False when the staged
    file is gone (renamed already)."""
    if not tmp.exists():
        return False
    if hooks is not None and target.exists() and target.stat().st_size > 0:
        with suppress(OSError, StoreError):
            hooks[0]()
    replace_file(tmp, target)
    fsync_dir(target.parent)
    held.mark_held(target)
    if hooks is not None:
        with suppress(OSError, StoreError):
            hooks[1](payload if payload is not None else target.read_bytes())
    return True


def finish(
    root: Path | None, data: dict[str, Any], hooks_for: Callable[[str], Hooks | None]
) -> int:
    """Complete a journal that a crash left in the main tree `data` (lock held): rename every
    staged file still there over its shard. Returns how many were renamed."""
    if root is None:
        return 0
    done = 0
    for row in (data.get(JOURNAL) or {}).values():
        rel, staged = row.get("shard"), row.get("staged")
        if not isinstance(rel, str) or not isinstance(staged, str) or ".." in staged:
            continue
        if not os.path.exists(os.path.join(root, staged)):
            continue  # renamed already: the journal of a finished commit stays in the file
        if put_in_place(root / rel, root / staged, hooks_for(rel), None):
            done += 1
    return done
