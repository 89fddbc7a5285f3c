"""Conflicts of interest (回避): a rater declares a conflict with a subject; that rater's sheets
for the subject are kept but left out of the subject's panel, and named wherever it is shown.

Declarations are audit events (`conflict_declared`, `conflict_withdrawn`), so they travel and
merge between laptops with the rest of the log; the conflicts in force are the events folded
in time order (a withdrawal ends the declaration before it). Pure functions over event dicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

DECLARED = "conflict_declared"
WITHDRAWN = "conflict_withdrawn"


@dataclass(frozen=True)
class Conflict:
    """A declared conflict in force: `rater` does not count for `subject` on `form`."""

    form: str
    subject: str
    rater: str
    reason: str
    by: str
    """Who recorded the declaration (the rater, or the chair on their behalf)."""
    at: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.form, self.subject, self.rater)


def active_conflicts(
    events: Iterable[Mapping[str, Any]], form_id: str | None = None
) -> tuple[Conflict, ...]:
    """The conflicts in force after these events (any order; folded by time), by subject."""
    wanted = [e for e in events if e.get("event") in (DECLARED, WITHDRAWN)]
    wanted.sort(key=lambda e: (str(e.get("at") or ""), e.get("event") == WITHDRAWN))
    state: dict[tuple[str, str, str], Conflict] = {}
    for event in wanted:
        key = (str(event.get("form")), str(event.get("subject")), str(event.get("rater")))
        if form_id is not None and key[0] != form_id:
            continue
        if event["event"] == DECLARED:
            reason, by, at = (str(event.get(k) or "") for k in ("reason", "by", "at"))
            state[key] = Conflict(*key, reason, by, at)
        else:
            state.pop(key, None)
    return tuple(sorted(state.values(), key=lambda c: (c.form, c.subject, c.rater)))


def split_conflicted(
    records: Iterable[Mapping[str, Any]], conflicts: Iterable[Conflict]
) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """(records that count, records left out because their rater declared a conflict)."""
    keys = {c.key for c in conflicts}
    kept: list[Mapping[str, Any]] = []
    left_out: list[Mapping[str, Any]] = []
    for doc in records:
        key = (doc.get("form"), doc.get("subject"), doc.get("rater"))
        (left_out if key in keys and doc.get("role") != "self" else kept).append(doc)
    return kept, left_out
