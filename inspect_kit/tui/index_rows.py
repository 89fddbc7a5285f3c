"""The index rows (Store.summaries: every finalized sheet's newest revision) that the home screen
and the results browser list, read once per version of the database file.

Reading and filtering the index of 10 000 sheets takes a few tenths of a second; the home screen
has just done it when the results browser opens, so the browser reuses those rows while the
main file is unchanged (its path, inode, size and mtime: every write replaces the file). An
in-memory store is read every time. One read at a time per store: a screen asking while another
read of the same version is under way waits for it instead of reading the files a second time.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

from inspect_kit.base.gc_pause import gc_paused

if TYPE_CHECKING:  # imported by the worker that reads it, after the first frame
    from collections.abc import Mapping

    from inspect_kit.domain.sheet_review import Key, ReviewState
    from inspect_kit.store.store import Store

_lock = threading.Lock()
_reading: dict[int, threading.Lock] = {}
"""id(store) → held while that store's files are read (one read at a time, the others wait)."""
_cache: dict[int, tuple[tuple[Any, ...], list[dict[str, Any]], Mapping[Key, ReviewState]]] = {}
"""id(store) → (file signature, rows, review states), read together. One entry per store;
replaced when the file changes."""


def signature(store: Store) -> tuple[Any, ...] | None:
    """What identifies this version of the main file (None: in memory, or unreadable)."""
    path = store.db.path
    if path is None:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (str(path), st.st_ino, st.st_size, st.st_mtime_ns)


def index_rows(store: Store) -> list[dict[str, Any]]:
    """Every finalized sheet's newest revision (final and void). The rows are shared with the
    cache: callers may reorder or filter the list, never change a row."""
    return lists(store)[0]


def cached(store: Store) -> tuple[list[dict[str, Any]], Mapping[Key, ReviewState]] | None:
    """What `lists` would return, if it is kept for the main file as it is now (no read)."""
    current = signature(store)
    with _lock:
        hit = _cache.get(id(store))
    if current is not None and hit is not None and hit[0] == current:
        return list(hit[1]), hit[2]
    return None


def lists(store: Store) -> tuple[list[dict[str, Any]], Mapping[Key, ReviewState]]:
    """The rows and the review states, from one read of the files (both screens show both),
    kept for this version of the main file."""
    with _lock:
        reading = _reading.setdefault(id(store), threading.Lock())
    with reading:  # a read of this store under way elsewhere: wait for it, then use it
        if (hit := cached(store)) is not None:
            return hit
        current = signature(store)  # taken before the read: a write meanwhile makes it stale
        # Parsed JSON has no cycles: the collector's passes over 100k rows find nothing.
        with gc_paused():
            rows, states = store.summaries_and_review_states()
            rows = share_repeated_text(rows)
        if current is None:
            return rows, states
        with _lock:
            _cache[id(store)] = (current, rows, states)
        return list(rows), states


def share_repeated_text(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One string object for each repeated text of the rows (REPEATED: form, round, rater,
    grade, subject, shard...), in place: parsed JSON gives every row its own copies, and the
    rows are held while the app runs (measured at 10 000 sheets: a third of what they took)."""
    seen: dict[str, str] = {}
    share = seen.setdefault
    for row in rows:
        for key in _REPEATED_KEYS:
            value = row.get(key)
            if value.__class__ is str:  # exactly str (parsed JSON): no subclass to keep
                row[key] = share(value, value)
    return rows


REPEATED = frozenset({"form", "round", "subject", "subject_name", "rater", "role", "status",
                      "grade", "shard"})  # fmt: skip
"""The row texts many rows share (a uuid or a finalize time is a row's own)."""
_REPEATED_KEYS = tuple(sorted(REPEATED))
