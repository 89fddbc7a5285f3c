"""A logged re-score round: where a subject's raters are too far apart (`max_spread`), the chair
opens one round in which each rater may amend their sheet once, with a reason.

Every step is an audit event: `rescore_opened` (with each counted sheet's revision and total at
that moment: the first scores) and `rescore_amend` (a rater opening their one amendment, with
the reason). The first and final scores are set side by side from those events and the sheets'
revisions; the panel figures of both come from the form's own rule (`panel.panel_of_counted`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from inspect_kit.domain.model import Form
from inspect_kit.domain.panel import panel_of_counted
from inspect_kit.domain.subject_result import SubjectResult

OPENED = "rescore_opened"
AMEND = "rescore_amend"


@dataclass(frozen=True)
class FirstScore:
    rater: str
    uuid: str
    revision: int
    total: float


@dataclass(frozen=True)
class RescoreRound:
    form: str
    round: str
    subject: str
    reason: str
    by: str
    at: str
    first: tuple[FirstScore, ...]
    amends: tuple[Mapping[str, Any], ...]
    """The `rescore_amend` events of this round, oldest first."""

    def first_of(self, uuid: str) -> FirstScore | None:
        return next((f for f in self.first if f.uuid == uuid), None)


def rescore_rounds(
    events: Iterable[Mapping[str, Any]], form_id: str, round_: str | None = None
) -> tuple[RescoreRound, ...]:
    """The re-score rounds opened for a form (and round), with their amendments."""
    events = sorted(events, key=lambda e: str(e.get("at") or ""))
    out = []
    for e in events:
        if e.get("event") != OPENED or e.get("form") != form_id:
            continue
        if round_ is not None and str(e.get("round")) != str(round_):
            continue
        first = tuple(FirstScore(str(f["rater"]), str(f["uuid"]), int(f["revision"]),
                                 float(f["total"])) for f in e.get("first") or ())  # fmt: skip
        amends = tuple(
            a for a in events
            if a.get("event") == AMEND and a.get("form") == form_id
            and str(a.get("round")) == str(e.get("round")) and a.get("subject") == e.get("subject")
        )  # fmt: skip
        out.append(RescoreRound(form_id, str(e.get("round")), str(e.get("subject")),
                                str(e.get("reason") or ""), str(e.get("by") or ""),
                                str(e.get("at") or ""), first, amends))  # fmt: skip
    return tuple(out)


@dataclass(frozen=True)
class RescoreRow:
    rater: str
    first: float | None
    final: float | None
    amended: bool
    reason: str


@dataclass(frozen=True)
class RescoreSummary:
    """A subject's first and final scores side by side."""

    round: RescoreRound
    rows: tuple[RescoreRow, ...]
    first_score: float | None
    final_score: float | None
    first_spread: float | None
    final_spread: float | None
    first_grade: str | None
    final_grade: str | None


def rescore_summary(
    form: Form,
    rescore: RescoreRound,
    first_docs: Sequence[Mapping[str, Any]],
    final: SubjectResult | None,
) -> RescoreSummary:
    """`first_docs`: the sheet revisions named in the round's `first` (as stored); `final`: the
    subject's panel result now. The first panel figures are computed by the same rule."""
    first_result = panel_of_counted(form, first_docs, rescore.round).subject(rescore.subject)
    finals = {s.uuid: s for s in final.sheets} if final else {}
    reasons = {str(a.get("uuid")): str(a.get("reason") or "") for a in rescore.amends}
    rows = []
    for f in rescore.first:
        now = finals.get(f.uuid)
        amended = now is not None and now.revision > f.revision
        rows.append(RescoreRow(f.rater, f.total, now.total if now else None, amended,
                               reasons.get(f.uuid, "") if amended else ""))  # fmt: skip
    return RescoreSummary(
        rescore,
        tuple(rows),
        first_result.final if first_result else None,
        final.final if final else None,
        first_result.spread if first_result else None,
        final.spread if final else None,
        first_result.grade if first_result else None,
        final.grade if final else None,
    )
