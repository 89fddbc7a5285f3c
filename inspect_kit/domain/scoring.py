"""The scoring engine: a pure function from (form, answers) to a score record (DESIGN §3).

Order: item points → section earned / possible (after N/A) × section points → total (1 decimal)
→ bonus (capped, reported apart, added) → grade (first band whose min and section_min hold)
→ vetoes and failing options override. Every intermediate figure is kept so a report can show
how a grade came about. Works on partial answers: unanswered items earn nothing yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from inspect_kit.domain.answers import Answer, AnswerSet, fires_veto, item_points
from inspect_kit.domain.conditions import Condition, parse
from inspect_kit.domain.item_types import behaviour
from inspect_kit.domain.model import Form, Grade, Item, NumberItem, Section, TableItem
from inspect_kit.domain.reasons import floor_reason, veto_reason
from inspect_kit.domain.rounding import round_score
from inspect_kit.domain.subject import SubjectFacts, subject_env

EPS = 1e-9
_NO_ANSWER = Answer()


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


@dataclass(frozen=True)
class _Plan:
    """What scoring looks up per item of one form, computed once per form object. Why: a
    pydantic Form hashes and compares field by field (an lru_cache keyed on it cost 40% of a
    score), `Form.item` is a linear scan and `max_points` sums options on every call; an
    import re-scores every incoming sheet (10k sheets: 1 ms each before)."""

    conditions: dict[str, Condition]
    ids: list[str]
    items: dict[str, Item]
    max_points: dict[str, float]
    required: dict[str, bool]
    max_raw: dict[str, float]


_PLANS: dict[int, tuple[Form, _Plan]] = {}
_MAX_PLANS = 256


def _plan(form: Form) -> _Plan:
    hit = _PLANS.get(id(form))
    if hit is not None and hit[0] is form:  # the form is kept in the entry: its id stays its own
        return hit[1]
    pairs = list(form.iter_items())
    plan = _Plan(
        conditions={item.id: parse(item.show_if) for _, item in pairs if item.show_if},
        ids=[item.id for _, item in pairs],
        items={item.id: item for _, item in pairs},
        max_points={item.id: item.max_points for _, item in pairs},
        required={item.id: item.is_required for _, item in pairs},
        max_raw={section.id: section.max_raw for section in form.sections},
    )
    if len(_PLANS) >= _MAX_PLANS:
        _PLANS.clear()
    _PLANS[id(form)] = (form, plan)
    return plan


def _condition_value(plan: _Plan, item_id: str, answer: Answer | None):
    if answer is None or answer.na:
        return None
    item = plan.items[item_id]
    return behaviour(item).condition_value(item, answer.value)


def visible_items(form: Form, answers: Mapping[str, Answer],
                  facts: SubjectFacts | None = None) -> set[str]:  # fmt: skip
    """Ids of items shown under these answers (and the subject's facts, for `subject.*`);
    hidden answers count as unanswered for others."""
    plan = _plan(form)
    conditions, all_ids = plan.conditions, plan.ids
    visible = set(all_ids)
    if not conditions:
        return visible
    subject = subject_env(facts)
    for _ in range(len(conditions) + 1):  # settles in at most one pass per condition
        env = {i: _condition_value(plan, i, answers.get(i)) for i in all_ids if i in visible}
        env.update(subject)
        now = {i for i in all_ids if i not in conditions or conditions[i].evaluate(env)}
        if now == visible:
            break
        visible = now
    return visible


@lru_cache(maxsize=1024)
def _band_conditions(source: str) -> Condition:
    return parse(source)


def for_subject(item: Item, facts: SubjectFacts | None) -> Item:
    """The item as it scores for this subject. A `number` (or `table`) item's bands whose
    `when` holds replace its bands without one (level-aware thresholds); when no `when` holds
    (or the sheet has no subject facts), the bands without `when` apply. Every other item as
    it is."""
    if not isinstance(item, NumberItem | TableItem) or not any(b.when for b in item.bands):
        return item
    env = subject_env(facts)
    chosen = tuple(b for b in item.bands if b.when and _band_conditions(b.when).evaluate(env))
    bands = tuple(b.model_copy(update={"when": None}) for b in chosen) or item.default_bands
    return item.model_copy(update={"bands": bands})


def capped_final(form: Form, total: float, bonus: float) -> float:
    """total + bonus, capped at the form's `score_cap` when it has one."""
    final = total + bonus
    return min(final, form.score_cap) if form.score_cap is not None else final


def grade_basis(form: Form, total: float, final: float) -> float:
    """The score the grade is decided on: the final score, or the total alone when the form's
    bonus does not count toward the grade (`bonus_counts: false`)."""
    return final if form.bonus_counts else total


def grade_for(form: Form, final: float, ratios: list[float] | list[tuple[str, float]]
              ) -> tuple[Grade, Grade]:  # fmt: skip
    """(band by `min` alone, grade: the first whose `min` and `section_min` both hold).

    `ratios` are (section id, share) pairs; plain shares (older callers) apply to every grade's
    floor alike."""
    pairs = [r if isinstance(r, tuple) else ("", r) for r in ratios]
    band = next(g for g in form.grades if final >= g.min - EPS)
    for grade in form.grades:
        if final < grade.min - EPS:
            continue
        if grade.section_min is None or all(
            r >= grade.section_min - EPS for sid, r in pairs if not sid or grade.floors(sid)
        ):
            return band, grade
    return band, form.grades[-1]


def grade_with_reason(
    form: Form, final: float, ratios: list[tuple[str, str, float]]
) -> tuple[Grade, Grade, str | None]:
    """grade_for over (section id, title, ratio), plus the sentence saying which sections
    kept the score's band from being the grade (None when the band stands)."""
    band, grade = grade_for(form, final, [(sid, ratio) for sid, _, ratio in ratios])
    return band, grade, floor_reason(form, band, grade, ratios)


def score(form: Form, answers: AnswerSet) -> ScoreRecord:
    visible = visible_items(form, answers.items, answers.subject)
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
    final_exact = capped_final(form, total_exact, bonus_exact)
    final = round_score(final_exact, decimals)

    band, grade, reason = grade_with_reason(
        form,
        grade_basis(form, total, final),
        [(s.id, s.title, s.ratio) for s in included if s.ratio is not None],
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
    plan = _plan(form)
    possible = earned = answered_max = 0.0
    answered_count = applicable = 0
    for item in section.items:
        item = for_subject(item, answers.subject)
        answer = answers.items.get(item.id)
        hidden = item.id not in visible
        if hidden or answer is None:
            answer = _NO_ANSWER
        max_points = plan.max_points[item.id]
        scored = max_points > 0  # ItemBase.scored
        if not hidden and not answer.na:
            applicable += 1 if scored else 0
            possible += max_points
        points = None if hidden or answer.na or not scored else item_points(item, answer.value)
        has_answer = not hidden and answer.answered
        if has_answer and scored:
            answered_count += 1
        if not hidden and plan.required[item.id] and not answer.answered:
            unanswered.append(item.id)
        elif not hidden and not answer.na and behaviour(item).short(item, answer.value):
            unanswered.append(item.id)  # a table with fewer rows than min_rows stays open
        lost = 0.0
        note_missing = False
        if points is not None:
            earned += points
            answered_max += max_points
            # A bonus not earned is not a deduction: nothing is lost on a 加分 item.
            lost = 0.0 if section.bonus else round(max_points - points, 4)
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
            id=item.id, section=section.id, max=max_points, points=points,
            answered=has_answer, na=answer.na and not hidden, hidden=hidden, lost=lost,
            note_missing=note_missing,
        )  # fmt: skip
    if section.bonus:
        return SectionScore(
            id=section.id, title=section.title, bonus=True, points=section.points,
            max_raw=plan.max_raw[section.id], possible_raw=possible, earned_raw=earned,
            answered_raw=answered_max, scaled=earned, possible_so_far=answered_max,
            ratio=None, answered=answered_count, applicable=applicable,
        )  # fmt: skip
    factor = section.points / possible if possible > EPS else 0.0
    ratio = (
        None
        if possible <= EPS and plan.max_raw[section.id] > EPS
        else (earned / possible if possible > EPS else 1.0)
    )
    return SectionScore(
        id=section.id, title=section.title, bonus=False, points=section.points,
        max_raw=plan.max_raw[section.id], possible_raw=possible, earned_raw=round(earned, 9),
        answered_raw=answered_max, scaled=round(earned * factor, 9),
        possible_so_far=round(answered_max * factor, 4), ratio=ratio,
        answered=answered_count, applicable=applicable,
    )  # fmt: skip
