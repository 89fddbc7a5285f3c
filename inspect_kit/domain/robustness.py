"""How robust a round's ranking is: each subject's grade and rank with any one rater left out.

For every rater of the round the whole panel is computed again by the form's own rule
(`panel.panel_of_counted`: trimmed mean, min_raters, vetoes, section floors — nothing scored
here) over the same counted sheets minus that rater's, and each subject's grade and rank are
compared with the full panel's. A subject only that rater scored drops out of that panel (named).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from inspect_kit.domain.model import Form
from inspect_kit.domain.panel import PanelResult, panel_of_counted


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
    without: dict[str, PanelResult] = {
        r: panel_of_counted(form, [d for d in docs if d["rater"] != r], panel.round) for r in raters
    }
    out = []
    for subject in panel.subjects:
        rows = []
        for rater, other in without.items():
            result = other.subject(subject.subject)
            rows.append(LeftOut(rater, result.grade if result else None,
                                result.rank if result else None,
                                result.final if result else None))  # fmt: skip
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
