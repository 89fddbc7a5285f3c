"""How shard files are named (`<round>-NNNN.json`), kept apart from store.archive so the main
file's storage (store.ledger_storage), which store.archive builds on, can read them too."""

from __future__ import annotations

import re

SHARD_NAME = re.compile(r"(?P<round>[0-9A-Za-z_-]+)-(?P<n>\d{4,})\.json")


def shard_number(rel: str) -> int:
    """A shard's number in its (form, round) group; 0 for a name that is not a shard's."""
    m = SHARD_NAME.fullmatch(rel.rsplit("/", 1)[-1])
    return int(m.group("n")) if m else 0
