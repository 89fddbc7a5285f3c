"""Office review of finalized sheets (issue 13): submitted → approved or returned.

A review decision is an audit event (`review_approved`, `review_returned`) about one sheet
revision (uuid + revision), so it is signed and chained like every event and travels between
laptops with the sheet's events (bundles carry them). The sheet records themselves are never
touched: they are hashed and signed as archived.

Each decision has an id and names the decisions it replaces (the ones its reviewer saw as
current). The state of a revision is read from its *heads*, the decisions nobody replaced:
none → submitted; heads that agree → that decision; heads that differ (two offices decided the
same revision differently, each without seeing the other) → conflict, with every head kept and
shown until a new decision replaces them all. A corrected revision is a new key, so it starts
as submitted again.

Pure functions over event dicts: no IO.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

APPROVED, RETURNED = "review_approved", "review_returned"
REVIEW_EVENTS = (APPROVED, RETURNED)
Decision = Literal["approved", "returned"]
State = Literal["submitted", "approved", "returned", "conflict"]
STATES: tuple[State, ...] = ("submitted", "approved", "returned", "conflict")
Key = tuple[str, int]


@dataclass(frozen=True)
class ReviewDecision:
    """One review event as read back."""

    id: str
    decision: Decision
    by: str
    at: str
    reason: str = ""
    replaces: tuple[str, ...] = ()
    device: str = ""


@dataclass(frozen=True)
class ReviewState:
    """The review state of one sheet revision."""

    state: State = "submitted"
    heads: tuple[ReviewDecision, ...] = ()
    """The current decisions (several only in a conflict), oldest first."""
    history: tuple[ReviewDecision, ...] = ()
    """Every decision on this revision, oldest first."""

    @property
    def latest(self) -> ReviewDecision | None:
        return self.heads[-1] if self.heads else None

    @property
    def reason(self) -> str:
        """The return reason(s) in force ("；"-joined when two reviewers returned it)."""
        return "；".join(d.reason for d in self.heads if d.decision == "returned" and d.reason)


SUBMITTED = ReviewState()


def _decision(event: Mapping[str, Any]) -> ReviewDecision | None:
    replaces = event.get("replaces") or ()
    review_id = event.get("review_id")
    if not isinstance(review_id, str) or not isinstance(replaces, list | tuple):
        return None
    return ReviewDecision(
        id=review_id,
        decision="approved" if event.get("event") == APPROVED else "returned",
        by=str(event.get("by") or ""),
        at=str(event.get("at") or ""),
        reason=str(event.get("reason") or ""),
        replaces=tuple(str(r) for r in replaces),
        device=str(event.get("device") or ""),
    )


def review_states(events: Iterable[Mapping[str, Any]]) -> dict[Key, ReviewState]:
    """(uuid, revision) → its review state, for every revision that has a decision.

    Revisions without one are submitted (`state_of` answers for them)."""
    decisions: dict[Key, dict[str, ReviewDecision]] = {}
    for event in events:
        if event.get("event") not in REVIEW_EVENTS:
            continue
        uuid, revision = event.get("uuid"), event.get("revision")
        if not isinstance(uuid, str) or type(revision) is not int:
            continue
        decision = _decision(event)
        if decision is not None:  # the same event imported twice is one decision
            decisions.setdefault((uuid, revision), {})[decision.id] = decision
    return {key: _state(list(found.values())) for key, found in decisions.items()}


def _state(decisions: list[ReviewDecision]) -> ReviewState:
    history = tuple(sorted(decisions, key=lambda d: (d.at, d.id)))
    replaced = {r for d in history for r in d.replaces}
    heads = tuple(d for d in history if d.id not in replaced)
    kinds = {d.decision for d in heads}
    state: State = "conflict" if len(kinds) > 1 else ("approved" if "approved" in kinds
                                                      else "returned")  # fmt: skip
    return ReviewState(state, heads, history)


def state_of(states: Mapping[Key, ReviewState], uuid: str, revision: int) -> ReviewState:
    return states.get((uuid, int(revision)), SUBMITTED)


def listed_state(
    row: Mapping[str, Any], states: Mapping[Key, ReviewState], required: bool
) -> State | None:
    """The review state a listing shows for a sheet (an index row or a record): None for a
    void sheet, and for an undecided sheet of a form without review (those list as before).
    `required`: the sheet's form says `review: required`."""
    if row.get("status") != "final":
        return None
    state = state_of(states, row["uuid"], row["revision"]).state
    return None if state == "submitted" and not required else state


def decision_event(
    decision: Decision, uuid: str, revision: int, *, review_id: str, replaces: Iterable[str],
    reason: str = "",
) -> dict[str, Any]:  # fmt: skip
    """The details of a review event (the store adds who, when, device and the signature)."""
    return {
        "event": APPROVED if decision == "approved" else RETURNED,
        "uuid": uuid,
        "revision": int(revision),
        "review_id": review_id,
        "replaces": sorted(replaces),
        **({"reason": reason} if reason else {}),
    }


# ------------------------------------------------------------------ which sheets count


@dataclass(frozen=True)
class ReviewTally:
    """How a form's round stands in review, for every view of its panel."""

    required: bool = False
    """The form says `review: required`: only approved sheets count."""
    approved: int = 0
    awaiting: int = 0
    """Final sheets submitted and not decided yet, or decided differently by two reviewers
    (conflict): they wait for the office. Not counted."""
    returned: int = 0
    """Returned to their rater for a corrected revision. Not counted."""
    conflicts: int = 0
    """Of `awaiting`, those with conflicting decisions."""
    self_waiting: int = 0
    """Self-assessments not approved (awaiting or returned): kept out of the 自评 column. The
    counts above are of inspectors' sheets, like the panel's own sheet count."""

    @property
    def left_out(self) -> int:
        return self.awaiting + self.returned


NOT_REQUIRED = ReviewTally()


def tally_line(tally: ReviewTally, lang: str = "zh", *, label: bool = True) -> str:
    """The one sentence every view of a panel shows for a `review: required` form ("" if not):
    how many approved sheets count and how many await review or were returned. `label`: begin
    with "审核：" (a table that names the row itself leaves it out)."""
    from inspect_kit.i18n.catalog import tr

    if not tally.required:
        return ""
    line = tr("oreview.panel.tally", lang, approved=tally.approved, awaiting=tally.awaiting,
              returned=tally.returned)  # fmt: skip
    if tally.conflicts:
        line += tr("oreview.panel.conflicts", lang, n=tally.conflicts)
    if tally.self_waiting:
        line += tr("oreview.panel.self", lang, n=tally.self_waiting)
    return tr("oreview.cli.line", lang, state=line) if label else line


def approved_only(
    records: Iterable[Mapping[str, Any]],
    states: Mapping[Key, ReviewState],
    form_id: str,
    round_: str | None = None,
) -> tuple[list[Mapping[str, Any]], ReviewTally]:
    """The records a panel of a `review: required` form may count, and the tally of the round.

    A sheet counts when its newest revision is approved; otherwise every revision of it is
    left out (an older approved revision does not stand in for a newer one waiting for
    review). Voided sheets pass through (they never count, but the panel names them).
    `round_`: the round the tally is of (None: all rounds)."""
    records = list(records)
    newest: dict[str, Mapping[str, Any]] = {}
    for doc in records:
        have = newest.get(doc["uuid"])
        if have is None or doc["revision"] > have["revision"]:
            newest[doc["uuid"]] = doc
    held: set[str] = set()
    counts = {"approved": 0, "awaiting": 0, "returned": 0, "conflicts": 0, "self_waiting": 0}
    for uuid, doc in newest.items():
        if doc.get("status") != "final":
            continue
        state = state_of(states, uuid, doc["revision"]).state
        if state != "approved":
            held.add(uuid)
        if doc.get("form") != form_id or (round_ is not None and str(doc["round"]) != round_):
            continue
        if doc.get("role") == "self":
            counts["self_waiting"] += state != "approved"
        elif state == "approved":
            counts["approved"] += 1
        elif state == "returned":
            counts["returned"] += 1
        else:
            counts["awaiting"] += 1
            counts["conflicts"] += state == "conflict"
    kept = [doc for doc in records if doc["uuid"] not in held]
    return kept, ReviewTally(required=True, **counts)
