"""The office review states the home screen, the results browser and the sheet detail show,
read once per version of the database file (the same file signature `index_rows` trusts), with
the rows (index_rows.lists), so moving between those screens reads the files once."""

from __future__ import annotations

from collections.abc import Mapping

from inspect_kit.domain.sheet_review import Key, ReviewState
from inspect_kit.store.store import Store
from inspect_kit.tui.index_rows import lists


def review_states(store: Store) -> Mapping[Key, ReviewState]:
    """(uuid, revision) → review state, as `Store.review_states` (read-only: shared)."""
    return lists(store)[1]  # with the rows: the screens that show states show rows too
