"""The scoring engine: a pure function from (form, answers) to a score record (DESIGN §3).

Order: item points → section earned / possible (after N/A) × section points → total (1 decimal)
→ bonus (capped, reported apart, added) → grade (first band whose min and section_min hold)
→ vetoes and failing options override. Every intermediate figure is kept so a report can show
how a grade came about. Works on partial answers: unanswered items earn nothing yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from inspect_kit.domain.answers import Answer, AnswerSet, fires_veto, item_points
from inspect_kit.domain.conditions import Condition, parse
from inspect_kit.domain.item_types import behaviour
from inspect_kit.domain.model import Form, Grade, Section
from inspect_kit.domain.reasons import section_min_reason, veto_reason
from inspect_kit.domain.rounding import round_score

EPS = 1e-9


class Record(BaseModel):
    model_config = ConfigDict(frozen=True)


class ItemScore(Record):
    id: str = ""
    section: str = ""
    max: float
    points: float | None
    """None: unscored item, unanswered, N/A or hidden."""
    answered: bool
    na: bool = False
    hidden: bool = False
    lost: float = 0.0
    """Points deducted (max − points); always 0 on a bonus (加分) item."""
    note_missing: bool = False


class SectionScore(Record):
    id: str
    title: str
    bonus: bool
    points: float
    """The section's weight in the total."""
    max_raw: float
    possible_raw: float
    """Full marks of the items that apply (visible, not N/A)."""
    earned_raw: float
    answered_raw: float
    """Full marks of the items answered so far."""
    scaled: float
    """earned_raw / possible_raw × points: the section's contribution."""
    possible_so_far: float
    ratio: float | None
    """scaled / points; None when every item is N/A (the section is left out)."""
    answered: int
    applicable: int


class VetoFired(Record):
    id: str
    text: str
    note: str = ""
    source: str = "veto"
    """'veto' (a 一票否决 question), 'option' (an item's veto option), 'fail' (failing option)."""


class ScoreRecord(Record):
    sections: tuple[SectionScore, ...]
    items: dict[str, ItemScore]
    total: float
    """Sum of the scored sections, rescaled to the form's total when a section is all N/A."""
    possible_so_far: float
    bonus_raw: float
    bonus: float
    final: float
    """total + bonus, rounded once from the unrounded figures: the score that grades."""
    total_exact: float | None = None
    """The total before rounding (None on sheets stored before it was kept)."""
    bonus_exact: float | None = None
    """The capped bonus before rounding."""
    final_exact: float | None = None
    """total_exact + bonus_exact; `final` is this rounded to the form's decimals."""
    band: str
    """The grade the score alone reaches."""
    grade: str
    grade_reason: str | None
    vetoes: tuple[VetoFired, ...]
    missing_notes: tuple[str, ...]
    unanswered: tuple[str, ...]
    """Required items and veto questions not answered yet."""
    complete: bool

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)

    def to_stored(self) -> dict:
        """JSON for the database. Item entries are keyed by id and leave out what is implied
        (their id and section, false flags), which halves a sheet's size on disk."""
        data = self.model_dump(mode="json", exclude={"items"})
        data["items"] = {
            item_id: item.model_dump(
                mode="json", exclude={"id", "section"} | {
                    flag for flag in ("na", "hidden", "note_missing") if not getattr(item, flag)
                },
            )
            for item_id, item in self.items.items()
        }  # fmt: skip
        return data

    @classmethod
    def from_stored(cls, data: dict) -> ScoreRecord:
        items = {k: {**v, "id": k} for k, v in data.get("items", {}).items()}
        return cls.model_validate({**data, "items": items})

    def shown_total(self) -> str:
        """e.g. '86.5 + 2'; the bonus apart as the sheets write it."""
        return f"{self.total:g} + {self.bonus:g}" if self.bonus else f"{self.total:g}"


@lru_cache(maxsize=256)
def _conditions(form: Form) -> dict[str, Condition]:
    return {item.id: parse(item.show_if) for _, item in form.iter_items() if item.show_if}


def _condition_value(form: Form, item_id: str, answer: Answer | None):
    if answer is None or answer.na:
        return None
    item = form.item(item_id)
    return behaviour(item).condition_value(item, answer.value)


def visible_items(form: Form, answers: Mapping[str, Answer]) -> set[str]:
    """Ids of items shown under these answers; hidden answers count as unanswered for others."""
    conditions = _conditions(form)
    all_ids = [item.id for _, item in form.iter_items()]
    visible = set(all_ids)
    for _ in range(len(conditions) + 1):  # settles in at most one pass per condition
        env = {i: _condition_value(form, i, answers.get(i)) for i in all_ids if i in visible}
        now = {i for i in all_ids if i not in conditions or conditions[i].evaluate(env)}
        if now == visible:
            break
        visible = now
    return visible


def grade_for(form: Form, final: float, ratios: list[float]) -> tuple[Grade, Grade]:
    """(band by `min` alone, grade: the first whose `min` and `section_min` both hold)."""
    band = next(g for g in form.grades if final >= g.min - EPS)
    for grade in form.grades:
        if final < grade.min - EPS:
            continue
        if grade.section_min is None or all(r >= grade.section_min - EPS for r in ratios):
            return band, grade
    return band, form.grades[-1]


def grade_with_reason(
    form: Form, final: float, ratios: list[tuple[str, float]]
) -> tuple[Grade, Grade, str | None]:
    """grade_for over (section title, ratio) pairs, plus the sentence saying which sections
    kept the score's band from being the grade (None when the band stands)."""
    band, grade = grade_for(form, final, [ratio for _, ratio in ratios])
    if grade.grade == band.grade or band.section_min is None:
        return band, grade, None
    low = [title for title, ratio in ratios if ratio < band.section_min - EPS]
    return band, grade, section_min_reason(band.grade, grade.grade, low, band.section_min)


def score(form: Form, answers: AnswerSet) -> ScoreRecord:
    visible = visible_items(form, answers.items)
    items: dict[str, ItemScore] = {}
    sections: list[SectionScore] = []
    fired: list[VetoFired] = []
    missing_notes: list[str] = []
    unanswered: list[str] = []
    need_notes = form.deduction_note == "required"

    for section in form.sections:
        sections.append(
            _score_section(
                form, section, answers, visible, items, fired, missing_notes, unanswered, need_notes
            )  # fmt: skip
        )

    scored = [s for s in sections if not s.bonus]
    included = [s for s in scored if s.ratio is not None]
    raw_total = sum(s.scaled for s in included)
    included_points = sum(s.points for s in included)
    scale = form.total / included_points if included_points > EPS else 0.0
    # Unrounded throughout; each shown figure is rounded once (never a sum of rounded parts).
    decimals = form.decimals
    total_exact = raw_total * scale
    total = round_score(total_exact, decimals)
    possible_so_far = round_score(sum(s.possible_so_far for s in included) * scale, decimals)
    bonus_raw = round(sum(s.earned_raw for s in sections if s.bonus), 4)
    bonus_exact = min(bonus_raw, form.bonus_cap)
    bonus = round_score(bonus_exact, decimals)
    final_exact = total_exact + bonus_exact
    final = round_score(final_exact, decimals)

    band, grade, reason = grade_with_reason(
        form, final, [(s.title, s.ratio) for s in included if s.ratio is not None]
    )
    for veto, answer in ((v, answers.vetoes.get(v.id)) for v in form.vetoes):
        if answer is None or answer.fired is None:
            unanswered.append(veto.id)
        elif answer.fired:
            fired.insert(0, VetoFired(id=veto.id, text=veto.text, note=answer.note))
    final_grade = grade.grade
    if fired:
        final_grade = form.veto_grade or form.grades[-1].grade
        reason = veto_reason([v.text for v in fired if v.source != "fail"],
                             [v.text for v in fired if v.source == "fail"])  # fmt: skip

    return ScoreRecord(
        sections=tuple(sections),
        items=items,
        total=total,
        possible_so_far=possible_so_far,
        bonus_raw=bonus_raw,
        bonus=bonus,
        final=final,
        total_exact=round(total_exact, 6),
        bonus_exact=round(bonus_exact, 6),
        final_exact=round(final_exact, 6),
        band=band.grade,
        grade=final_grade,
        grade_reason=reason,
        vetoes=tuple(fired),
        missing_notes=tuple(missing_notes),
        unanswered=tuple(unanswered),
        complete=not unanswered,
    )


def _score_section(form, section: Section, answers: AnswerSet, visible, items, fired,
                   missing_notes, unanswered, need_notes) -> SectionScore:  # fmt: skip
    possible = earned = answered_max = 0.0
    answered_count = applicable = 0
    for item in section.items:
        answer = answers.items.get(item.id)
        hidden = item.id not in visible
        if hidden or answer is None:
            answer = Answer()
        if not hidden and not answer.na:
            applicable += 1 if item.scored else 0
            possible += item.max_points
        points = None if hidden or answer.na else item_points(item, answer.value)
        has_answer = not hidden and answer.answered
        if has_answer and item.scored:
            answered_count += 1
        if not hidden and item.is_required and not answer.answered:
            unanswered.append(item.id)
        elif not hidden and not answer.na and behaviour(item).short(item, answer.value):
            unanswered.append(item.id)  # a table with fewer rows than min_rows stays open
        lost = 0.0
        note_missing = False
        if points is not None:
            earned += points
            answered_max += item.max_points
            # A bonus not earned is not a deduction: nothing is lost on a 加分 item.
            lost = 0.0 if section.bonus else round(item.max_points - points, 4)
            # a bonus not earned is not a deduction: no 扣分理由 needed
            note_missing = (need_notes and not section.bonus and lost > EPS
                            and not answer.note.strip())  # fmt: skip
            if note_missing:
                missing_notes.append(item.id)
        if not hidden and not answer.na:
            veto, fail = fires_veto(item, answer.value)
            if veto or fail:
                fired.append(VetoFired(id=item.id, text=item.text, note=answer.note,
                                       source="option" if veto else "fail"))  # fmt: skip
        items[item.id] = ItemScore(
            id=item.id, section=section.id, max=item.max_points, points=points,
            answered=has_answer, na=answer.na and not hidden, hidden=hidden, lost=lost,
            note_missing=note_missing,
        )  # fmt: skip
    if section.bonus:
        return SectionScore(
            id=section.id, title=section.title, bonus=True, points=section.points,
            max_raw=section.max_raw, possible_raw=possible, earned_raw=earned,
            answered_raw=answered_max, scaled=earned, possible_so_far=answered_max,
            ratio=None, answered=answered_count, applicable=applicable,
        )  # fmt: skip
    factor = section.points / possible if possible > EPS else 0.0
    ratio = (
        None
        if possible <= EPS and section.max_raw > EPS
        else (earned / possible if possible > EPS else 1.0)
    )
    return SectionScore(
        id=section.id, title=section.title, bonus=False, points=section.points,
        max_raw=section.max_raw, possible_raw=possible, earned_raw=round(earned, 9),
        answered_raw=answered_max, scaled=round(earned * factor, 9),
        possible_so_far=round(answered_max * factor, 4), ratio=ratio,
        answered=answered_count, applicable=applicable,
    )  # fmt: skip
