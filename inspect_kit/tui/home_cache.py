"""The home screen's lists as last read, kept so the next start shows them without opening the
store: the drafts and the newest finalized sheets, with the versions of the files they came from.

Why: the lists come from the main database (its index and events: 9 MB at 10 000 sheets) and the
drafts file; reading them, and importing the store to do it, was most of the TUI's start. They
change only when one of those files is replaced, and every write replaces the file (a new inode,
size and mtime: the signature `index_rows` already trusts within one process). So an entry is
used only when both files are exactly the versions it was read from, the form texts and the
rater are the same, and the kit's version matches; anything else, or a file that does not parse,
is a miss and the lists are read from the store. F5 and every return to the home screen read the
store. What a row opens is always read from the store.
"""

from __future__ import annotations

import os
from contextlib import suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from inspect_kit import __version__
from inspect_kit.base.fsio import replace_file

if TYPE_CHECKING:
    from inspect_kit.tui.kit_app import KitApp

CACHE_FORMAT = 1
FILE_NAME = "home.json"
RECENT_KEYS = frozenset({"uuid", "form", "subject_name", "rater", "total", "bonus", "grade",
                         "vetoed", "finalized_at"})  # fmt: skip
"""What the home screen reads of a recent row (an entry whose rows lack one is a miss)."""
_DRAFT_TYPES: dict[str, type | tuple[type, ...]] = {
    "uuid": str, "subject": str, "round": str, "form": str, "rater": str,
    "progress": (int, float), "saved": str, "blocked": bool,
}  # fmt: skip


def _version(path: Path) -> list[Any] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [str(path), st.st_ino, st.st_size, st.st_mtime_ns]


def cache_path(app: KitApp) -> Path | None:
    """Where the entry lives (None: the workspace has no results folder yet)."""
    results = app.workspace.results_dir
    return results / ".cache" / FILE_NAME if results.is_dir() else None


def cache_key(app: KitApp, form_shas: list[str]) -> dict[str, Any]:
    """What the lists depend on, taken before they are read (a write meanwhile makes it stale)."""
    ws = app.workspace
    return {"format": CACHE_FORMAT, "kit": __version__, "main": _version(ws.db_path),
            "drafts": _version(ws.drafts_path), "rater": app.settings.rater,
            "forms": sorted(form_shas)}  # fmt: skip


def save(app: KitApp, key: dict[str, Any], lists: Lists) -> None:
    """Keep the lists read under `key` (best effort: a failure costs a read next start)."""
    path = cache_path(app)
    if path is None or key["main"] is None and key["drafts"] is None:
        return
    drafts, recent, returned, mine = lists
    entry = {"key": key, "drafts": [asdict(r) for r in drafts], "recent": recent,
             "returned": sorted(returned), "returned_mine": list(mine)}  # fmt: skip
    tmp = path.with_name(f".tmp-{path.name}-{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(orjson.dumps(entry))
        replace_file(tmp, path)  # whole or not at all; not fsynced: it is rebuilt when missing
    except (OSError, TypeError):
        with suppress(OSError):
            tmp.unlink()


@dataclass(frozen=True)
class DraftRow:
    """A draft as the home screen lists it."""

    uuid: str
    subject: str
    round: str
    form: str
    rater: str
    progress: float
    saved: str
    blocked: bool


Lists = tuple[list[DraftRow], list[dict[str, Any]], frozenset[str], tuple[str, ...]]
"""(drafts, recent rows, returned uuids, the rater's returned subjects), as home.py reads them."""


def load(app: KitApp, key: dict[str, Any]) -> Lists | None:
    """The lists read under exactly `key`, or None."""
    path = cache_path(app)
    if path is None:
        return None
    try:
        entry = orjson.loads(path.read_bytes())
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        drafts = [DraftRow(**row) for row in entry["drafts"] if _draft_fits(row)]
        recent = [dict(row) for row in entry["recent"] if row.keys() >= RECENT_KEYS]
        if len(drafts) != len(entry["drafts"]) or len(recent) != len(entry["recent"]):
            return None  # a row that does not fit: the entry is not trusted at all
        returned = frozenset(str(u) for u in entry["returned"])
        mine = tuple(str(s) for s in entry["returned_mine"])
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return None
    return drafts, recent, returned, mine


def _draft_fits(row: Any) -> bool:
    return (isinstance(row, dict) and row.keys() == _DRAFT_TYPES.keys()
            and all(isinstance(row[k], t) for k, t in _DRAFT_TYPES.items()))  # fmt: skip
