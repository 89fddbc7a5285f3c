"""How shard files are named (`<round>-NNNN.json`) and the tables the index lives in, kept
apart from store.archive so the main file's storage (store.ledger, store.ledger_storage), which
store.archive builds on, spells them the same way."""

from __future__ import annotations

import re

SHEETS, EVENTS, SHARDS = "sheets", "events", "shards"
"""The index rows, the audit events and the shards table (one row a shard file)."""
LEGACY = "submissions"
"""A shard's one table (and, in an old single-file layout, the main file's sheets)."""

SHARD_NAME = re.compile(r"(?P<round>[0-9A-Za-z_-]+)-(?P<n>\d{4,})\.json")


def shard_number(rel: str) -> int:
    """A shard's number in its (form, round) group; 0 for a name that is not a shard's."""
    m = SHARD_NAME.fullmatch(rel.rsplit("/", 1)[-1])
    return int(m.group("n")) if m else 0
