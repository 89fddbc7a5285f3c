"""The office review states the home screen, the results browser and the sheet detail show,
read once per version of the database file (the same file signature `index_rows` trusts), so
moving between those screens parses the main file for them once, not once per screen."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from inspect_kit.domain.sheet_review import Key, ReviewState
from inspect_kit.store.store import Store
from inspect_kit.tui.index_rows import signature

_lock = threading.Lock()
_cache: dict[int, tuple[tuple[Any, ...], Mapping[Key, ReviewState]]] = {}
"""id(store) → (file signature, states); replaced when the file changes."""


def review_states(store: Store) -> Mapping[Key, ReviewState]:
    """(uuid, revision) → review state, as `Store.review_states` (read-only: shared)."""
    current = signature(store)  # taken before the read: a write meanwhile makes it stale
    with _lock:
        hit = _cache.get(id(store))
    if current is not None and hit is not None and hit[0] == current:
        return hit[1]
    states = store.review_states()
    if current is not None:
        with _lock:
            _cache[id(store)] = (current, states)
    return states
