"""A subject's grade and panel score alone, for the leave-one-rater-out panels of robustness.

`panel.subject_result` builds a whole `SubjectResult` (every sheet, section, reason and flag in
two languages); the robustness table re-computes thousands of subjects and reads only their
grade, final score and whether a veto applies. `SubjectOutcome` works out exactly those, by the
same steps and the same functions (aggregate, capped_final, grade_basis, grade_for,
round_score), so each figure is the one `subject_result` gives
(tests/unit/test_left_out_exact.py compares the two over random sheets).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from inspect_kit.domain.model import Form
from inspect_kit.domain.panel import EPS, aggregate, bonus_possible
from inspect_kit.domain.rounding import round_score
from inspect_kit.domain.scoring import capped_final, grade_basis, grade_for


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a leave-one-out panel shows of a subject (as `SubjectResult` has them)."""

    subject: str
    grade: str
    final: float
    vetoed: bool


@dataclass(frozen=True, slots=True)
class _Sheet:
    """What an outcome reads of a counted sheet, as `panel.rater_sheet` reads it."""

    total: float
    bonus: float
    sections: dict[str, float]
    vetoes: tuple[str, ...]


class SubjectOutcome:
    """`outcome(docs)`: a subject's Outcome from its counted inspectors' sheets, as
    `subject_result(form, docs)` would give it. Each sheet is read once however many
    leave-one-out panels count it (the docs must outlive this object)."""

    def __init__(self, form: Form) -> None:
        self.form = form
        rule = form.panel
        self.rule = (rule.method, rule.trim, rule.min_raters)
        self.possible = bonus_possible(form)
        self.sections = [(s.id, s.points) for s in form.scored_sections if s.points > EPS]
        self.veto_grade = form.veto_grade or form.grades[-1].grade
        floors = [g.min for g in form.grades if g.section_min is not None]
        self.floor_from = min(floors) if floors else None
        """The lowest score at which a grade's section floor (section_min) can apply."""
        self.sheets: dict[int, _Sheet] = {}

    def sheet(self, doc: Mapping[str, Any]) -> _Sheet:
        got = self.sheets.get(id(doc))
        if got is None:
            score = doc["score"]
            total = float(score.get("total_exact", score["total"]))
            got = _Sheet(
                total or 0.0,  # as subject_result reads `total_exact or 0.0`
                float(score.get("bonus_exact", score.get("bonus") or 0)) or 0.0,
                {s["id"]: float(s["scaled"]) for s in score["sections"] if not s["bonus"]},
                tuple(v["id"] for v in score.get("vetoes") or ()),
            )
            self.sheets[id(doc)] = got
        return got

    def __call__(self, docs: Sequence[Mapping[str, Any]]) -> Outcome:
        form, decimals = self.form, self.form.decimals
        method, trim, min_raters = self.rule
        sheets = [self.sheet(d) for d in docs]
        total_exact = aggregate([s.total for s in sheets], method, trim, min_raters)[0]
        bonus = aggregate([s.bonus for s in sheets], method, trim, min_raters)[0]
        final = round_score(capped_final(form, total_exact, min(bonus, self.possible)), decimals)
        basis = grade_basis(form, round_score(total_exact, decimals), final)
        vetoed = self.vetoed(sheets)
        if vetoed:
            return Outcome(docs[0]["subject"], self.veto_grade, final, vetoed)
        ratios = []
        # grade_for reads the sections only for a grade with a floor the score reaches
        if self.floor_from is not None and basis >= self.floor_from - EPS:
            for sid, points in self.sections:
                values = [s.sections[sid] for s in sheets if sid in s.sections]
                if values:
                    ratios.append((sid, aggregate(values, method, trim, min_raters)[0] / points))
        grade = grade_for(form, basis, ratios)[1].grade
        return Outcome(docs[0]["subject"], grade, final, vetoed)

    def vetoed(self, sheets: Sequence[_Sheet]) -> bool:
        """Whether a veto applies (panel._vetoes: any rater's, or more than half of them)."""
        if self.form.panel.veto != "majority":
            return any(s.vetoes for s in sheets)
        raised: dict[str, int] = {}
        for s in sheets:
            for veto_id in s.vetoes:
                raised[veto_id] = raised.get(veto_id, 0) + 1
        return any(n * 2 > len(sheets) for n in raised.values())
