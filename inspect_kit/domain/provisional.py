"""The provisional (预估) grade while a sheet is being filled: the points earned so far against
the points possible so far, scaled to the form's total, graded as if the rest went the same way.

Grading the points so far against the full total would read 不合格 at 3 of 3 points; this
projection reads 优秀 there, and settles on the real figure as the sheet fills up.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspect_kit.domain.model import Form
from inspect_kit.domain.scoring import EPS, ScoreRecord, capped_final, grade_basis, grade_for


@dataclass(frozen=True)
class Provisional:
    score: float
    """The projected total plus the bonus earned so far (capped), 1 decimal."""
    grade: str
    vetoed: bool


def provisional(form: Form, record: ScoreRecord) -> Provisional | None:
    """The projection, or None while no scored item is answered (and no veto fired)."""
    if record.vetoes:
        return Provisional(record.final, form.veto_grade or form.grades[-1].grade, True)
    if record.possible_so_far <= EPS:
        return None
    projected = record.total / record.possible_so_far * form.total
    final = round(capped_final(form, projected, record.bonus) + EPS, 1)
    # section_min is checked on the answered part of each section, like the total.
    ratios = [(s.id, s.earned_raw / s.answered_raw) for s in record.sections
              if not s.bonus and s.answered_raw > EPS]  # fmt: skip
    _, grade = grade_for(form, grade_basis(form, round(projected + EPS, 1), final), ratios)
    return Provisional(final, grade.grade, False)
