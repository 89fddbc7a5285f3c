"""Small pure helpers over stored submission records (dicts), shared by the store and the panel."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

R = TypeVar("R", bound=Mapping[str, Any])


def newest_revisions(records: Iterable[R]) -> list[R]:
    """Keep the newest revision of each sheet uuid (the one that counts).

    On a tie the first record seen wins; the result keeps the order in which uuids first appear.
    Records already one per uuid (what a panel's reads give the panel) come back as they are,
    found in one pass of C loops instead of a Python loop over them.
    """
    records = list(records)
    if len({r["uuid"] for r in records}) == len(records):
        return records
    newest: dict[str, R] = {}
    for record in records:
        uuid = record["uuid"]
        current = newest.get(uuid)
        if current is None or record["revision"] > current["revision"]:
            newest[uuid] = record
    return list(newest.values())
