"""The fill screen's one-line score header: score so far, bonus, the provisional (预估) grade,
vetoes and progress."""

from __future__ import annotations

from inspect_kit.domain.provisional import provisional
from inspect_kit.domain.scoring import ScoreRecord
from inspect_kit.domain.sheet import Sheet
from inspect_kit.i18n.catalog import fmt_points, tr
from inspect_kit.i18n.form_text import grade_for


def score_line(sheet: Sheet, record: ScoreRecord, lang: str) -> str:
    parts = [tr("fill.score", lang, total=fmt_points(record.total),
                possible=fmt_points(record.possible_so_far))]  # fmt: skip
    if sheet.form.bonus_sections:
        parts.append(tr("fill.bonus", lang, bonus=fmt_points(record.bonus)))
    # Graded on the projection (so far of possible so far), not points so far against 100.
    guess = provisional(sheet.form, record)
    if guess is None:
        parts.append(tr("fill.provisional_none", lang))
    else:
        grade = grade_for(sheet.form, guess.grade, lang)
        parts.append(tr("fill.provisional", lang, grade=grade, score=fmt_points(guess.score)))
    vetoes = record.vetoes
    parts.append(tr("fill.veto", lang, n=len(vetoes)) if vetoes else tr("fill.no_veto", lang))
    parts.append(tr("fill.progress", lang, pct=f"{sheet.progress(record):.0%}"))
    return " · ".join(parts)
