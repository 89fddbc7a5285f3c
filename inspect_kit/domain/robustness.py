"""How robust a round's ranking is: each subject's grade and rank with any one rater left out.

For every rater of the round the panel is computed again by the form's own rule (trimmed mean,
min_raters, vetoes, section floors — nothing scored here) over the same counted sheets minus that
rater's, and each subject's grade and rank are compared with the full panel's. A subject only
that rater scored drops out of that panel (named).

A subject's result depends on its own sheets only, so each leave-one-out panel re-computes just
the subjects that rater scored and re-ranks: what `panel.panel_of_counted` over the remaining
sheets gives (tests/unit/test_robustness_exact.py compares the two), at a cost that grows with the
round's sheets rather than with sheets × raters (4.3 s of a 100k archive's `panel` before).
Those re-computations take only what the table shows (grade, final, vetoed: `left_out`), not a
whole `SubjectResult` (the same test compares them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from inspect_kit.domain.left_out import Outcome, SubjectOutcome
from inspect_kit.domain.model import Form
from inspect_kit.domain.panel import PanelResult, competition_ranks


@dataclass(frozen=True)
class LeftOut:
    """One subject's result in the panel without one rater."""

    rater: str
    grade: str | None
    """None when the subject had no other rater (it drops out)."""
    rank: int | None
    final: float | None


@dataclass(frozen=True)
class SubjectRobustness:
    subject: str
    subject_name: str
    grade: str
    rank: int
    rank_low: int
    """The best rank over the full panel and every leave-one-out panel."""
    rank_high: int
    """The worst such rank."""
    grade_changers: tuple[str, ...]
    """Raters whose removal changes the subject's grade (or leaves it unscored)."""
    rank_changers: tuple[str, ...]
    """Raters whose removal changes its rank."""
    without: tuple[LeftOut, ...]

    @property
    def grade_stable(self) -> bool:
        """去掉任一评委后等次不变."""
        return not self.grade_changers

    @property
    def rank_stable(self) -> bool:
        return not self.rank_changers


def robustness(
    form: Form, docs: Sequence[Mapping[str, Any]], panel: PanelResult
) -> tuple[SubjectRobustness, ...]:
    """Leave-one-rater-out over the counted sheets `panel` was computed from; rank order."""
    inspectors = [d for d in docs if d.get("role") != "self"]
    raters = sorted({d["rater"] for d in inspectors})
    if len(raters) < 2:
        return ()
    round_ = _Round(form, docs, panel)
    without = {r: round_.ranked_without(r) for r in raters}
    out = []
    for subject in panel.subjects:
        rows = []
        for rater, other in without.items():
            result = other.get(subject.subject)
            rows.append(LeftOut(rater, result[0].grade if result else None,
                                result[1] if result else None,
                                result[0].final if result else None))  # fmt: skip
        ranks = [subject.rank] + [r.rank for r in rows if r.rank is not None]
        out.append(
            SubjectRobustness(
                subject.subject,
                subject.subject_name,
                subject.grade,
                subject.rank,
                min(ranks),
                max(ranks),
                tuple(r.rater for r in rows if r.grade != subject.grade),
                tuple(r.rater for r in rows if r.rank is not None and r.rank != subject.rank),
                tuple(rows),
            )
        )
    return tuple(out)


class _Round:
    """A round's counted sheets grouped per subject, and each subject's full outcome."""

    def __init__(self, form: Form, docs: Sequence[Mapping[str, Any]], panel: PanelResult):
        self.outcome = SubjectOutcome(form)
        self.inspectors: dict[str, list[Mapping[str, Any]]] = {}
        self.selfs: dict[str, list[Mapping[str, Any]]] = {}
        self.scored: dict[str, set[str]] = {}
        """rater -> the subjects any of their sheets (self-assessments too) is about."""
        for doc in docs:
            group = self.selfs if doc.get("role") == "self" else self.inspectors
            group.setdefault(doc["subject"], []).append(doc)
            self.scored.setdefault(doc["rater"], set()).add(doc["subject"])
        # The panel's own results: computed from these very sheets (ranks are recomputed)
        self.full = {
            s.subject: Outcome(s.subject, s.grade, s.final, s.vetoed)
            for s in panel.subjects
            if s.subject in self.inspectors
        }
        for sid, sheets in self.inspectors.items():
            if sid not in self.full:
                self.full[sid] = self.outcome(sheets)

    def ranked_without(self, rater: str) -> dict[str, tuple[Outcome, int]]:
        """subject -> (outcome, rank) in the panel of the round's sheets minus `rater`'s,
        ranked as panel_of_counted ranks (vetoed last, best first, ties share a rank).
        Self-assessments change no figure of a subject: only inspectors' sheets are re-read."""
        results = dict(self.full)
        for sid in self.scored.get(rater, ()):
            group = [d for d in self.inspectors.get(sid, ()) if d["rater"] != rater]
            results.pop(sid, None)
            if group:
                results[sid] = self.outcome(group)
        unranked = sorted(results.values(), key=lambda s: (s.vetoed, -s.final, s.subject))
        ranks = competition_ranks([(s.vetoed, s.final) for s in unranked])
        return {s.subject: (s, rank) for s, rank in zip(unranked, ranks, strict=True)}
