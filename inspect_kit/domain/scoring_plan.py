"""A form version's scoring rules compiled once into plain tuples, scoring a stored sheet's
answers straight from its dict (issue 18): `ScoringPlan(form).score_stored(doc)` is exactly
`score(form, AnswerSet.from_record(doc)).to_stored()`, field for field and float for float.

Why: an import re-scores every incoming sheet (it must not trust the scores it is given), and
the reference path builds an Answer per answer, an Item copy per level-aware item and a
pydantic record per item and section: ~1-2 ms a sheet, most of a 10k-sheet import. Here each
item is one tuple of its rule, band choices are kept per subject facts, and the record is
built as the dict the database stores. scoring.py stays the reference and the one place the
rules are written down (the TUI, finalize and reports use it); this module (with item_rules:
one item's rule) repeats its steps in the same order (the same float operations, so the same
last bits), and
tests/unit/test_scoring_plan.py compares the two on random answer sets of every built-in form
and of a form using every feature. A rule change in scoring.py must be made here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from inspect_kit.domain.conditions import Condition, parse
from inspect_kit.domain.item_rules import ByFacts, condition_value, points_rule, veto_rule
from inspect_kit.domain.model import Form, Grade, NumberItem, Section, TableItem
from inspect_kit.domain.reasons import floor_reason, veto_reason
from inspect_kit.domain.rounding import round_score
from inspect_kit.domain.scoring import EPS, capped_final, grade_basis
from inspect_kit.domain.subject import SubjectFacts, subject_env

FIGURES = ("total", "possible_so_far", "bonus_raw", "bonus", "final", "total_exact",
           "bonus_exact", "final_exact", "band", "grade", "grade_reason", "vetoes")  # fmt: skip
"""What `ScoringPlan.figures` gives: the stored record's totals, grade and fired vetoes."""
_MAX_MEMO = 4096  # combinations of the values show_if conditions read, remembered per form
_NONE_HIDDEN: frozenset[str] = frozenset()


# ---------------------------------------------------------------- the plan of a form


class ScoringPlan:
    """Every rule scoring needs, read from the form once."""

    def __init__(self, form: Form):
        self.form = form
        self.need_notes = form.deduction_note == "required"
        self.sections = tuple(self._section(s) for s in form.sections)
        self.figure_sections = tuple(
            (*section[:5], tuple(r for r in section[5] if r[2] or r[7] is not None))
            for section in self.sections
        )
        """The sections with only the items that can move a figure (scored, or able to fire a
        veto): an unscored item adds nothing to earned or possible (figures mode)."""
        self.vetoes = tuple((v.id, v.text) for v in form.vetoes)
        items = {item.id: item for _, item in form.iter_items()}
        self.ids = tuple(items)
        self.conditions: dict[str, Condition] = {
            i: parse(item.show_if) for i, item in items.items() if item.show_if
        }
        names = {n for c in self.conditions.values() for n in c.names}
        self.seen = tuple((n, condition_value(items[n])) for n in self.ids if n in names)
        """The items a condition names, with what it sees of their values."""
        self.hidden_ids = tuple(i for i in self.ids if i in self.conditions)
        self._hidden_memo: dict[tuple[Any, ...], frozenset[str]] = {}
        self.uses_facts = bool(self.conditions) or any(
            r[6] is not None for section in self.sections for r in section[5]
        )
        """Whether a condition or a level-aware item reads the subject's facts."""
        self.grades = tuple(
            (g, g.min - EPS, None if g.section_min is None else g.section_min - EPS,
             frozenset(g.section_min_of) or None)
            for g in form.grades
        )  # fmt: skip
        """(grade, its min, its section floor, the sections it floors (None: all))"""

    @staticmethod
    def _section(section: Section) -> tuple[Any, ...]:
        rules = []
        for item in section.items:
            level_aware = isinstance(item, NumberItem | TableItem) and any(
                b.when for b in item.bands
            )
            rules.append((
                item.id, float(item.max_points), item.scored, item.is_required, item.text,
                None if level_aware else points_rule(item), ByFacts(item) if level_aware else None,
                veto_rule(item), item.min_rows if isinstance(item, TableItem) else 0,
            ))  # fmt: skip
        return (section.id, section.title, section.bonus, float(section.points),
                float(section.max_raw),
                tuple(rules))  # fmt: skip

    def hidden(self, answers: Mapping[str, Any], facts: SubjectFacts | None) -> frozenset[str]:
        """scoring.visible_items, as the ids it leaves out: the conditions evaluated until
        they settle (at most one pass per condition), a hidden answer counting as none.
        Remembered per facts and values the conditions read (a few yes/no and choice
        answers: few combinations), each value with its type (True is not 1 to a condition)."""
        if not self.conditions:
            return _NONE_HIDDEN
        raw: dict[str, Any] = {}
        key: list[Any] = [facts]
        for item_id, _ in self.seen:
            answer = answers.get(item_id)
            if answer is not None and not answer.get("na", False):
                value = raw[item_id] = answer.get("value")
                key.append((item_id, type(value), value))
        memo_key: tuple[Any, ...] | None = tuple(key)
        try:
            found = self._hidden_memo.get(memo_key)  # type: ignore[arg-type]
        except TypeError:  # a list or an object among the values: not remembered
            found = memo_key = None
        if found is not None:
            return found
        hidden = frozenset(self._settle(raw, facts))
        if memo_key is not None:
            if len(self._hidden_memo) >= _MAX_MEMO:
                self._hidden_memo.clear()
            self._hidden_memo[memo_key] = hidden
        return hidden

    def _settle(self, raw: Mapping[str, Any], facts: SubjectFacts | None) -> set[str]:
        conditions = self.conditions
        values = {item_id: seen(raw[item_id]) for item_id, seen in self.seen if item_id in raw}
        subject = subject_env(facts)
        hidden: set[str] = set()
        for _ in range(len(conditions) + 1):
            env = {k: v for k, v in values.items() if k not in hidden}
            env.update(subject)
            now = {i for i in self.hidden_ids if not conditions[i].evaluate(env)}
            if now == hidden:
                break
            hidden = now
        return hidden

    def score_stored(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """The stored score record (ScoreRecord.to_stored) of a sheet record's answers,
        vetoes and subject facts. Raises where the reference raises on answers of the wrong
        shape (an answer or veto entry that is not an object): callers refuse the sheet."""
        return self._score(record, True)

    def figures(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """score_stored's figures without the per-item and per-section parts (what an import
        compares): the FIGURES of score_stored, at a fraction of its cost."""
        return self._score(record, False)

    def _score(self, record: Mapping[str, Any], full: bool) -> dict[str, Any]:
        answers: Mapping[str, Any] = record.get("answers") or {}
        for answer in answers.values():  # AnswerSet.from_record reads every entry
            if attachments := answer.get("attachments"):
                tuple(attachments)
        veto_answers: Mapping[str, Any] = record.get("vetoes") or {}
        fired_vetoes = {k: v.get("fired") for k, v in veto_answers.items()}
        facts = SubjectFacts.from_dict(record.get("subject_facts")) if self.uses_facts else None
        hidden = self.hidden(answers, facts)
        need_notes = self.need_notes and full
        items: dict[str, dict[str, Any]] = {}
        sections: list[dict[str, Any]] = []
        included: list[tuple[str, str, float, float, float, float]] = []
        """(id, title, ratio, points, scaled, possible so far) of the scored sections counted"""
        bonus_earned: list[float] = []
        fired: list[dict[str, Any]] = []
        missing_notes: list[str] = []
        unanswered: list[str] = []
        for sid, title, bonus, weight, max_raw, rules in (
            self.sections if full else self.figure_sections
        ):
            possible = earned = answered_max = 0.0
            answered_count = applicable = 0
            for iid, top, scored, required, text, points_of, by_facts, veto, min_rows in rules:
                if iid in hidden:  # neither scores nor counts as answered
                    if full:
                        items[iid] = {"max": top, "points": None, "answered": False,
                                      "hidden": True, "lost": 0.0}  # fmt: skip
                    continue
                answer = answers.get(iid)
                if answer is None:
                    value = None
                elif answer.get("na", False):  # N/A: answered, left out of earned and possible
                    if full:
                        answered_count += scored
                        items[iid] = {"max": top, "points": None, "answered": True, "na": True,
                                      "lost": 0.0}  # fmt: skip
                    continue
                else:
                    value = answer.get("value")
                has_value = value is not None and value != ""  # values.has_value
                points = None
                if scored:
                    applicable += 1
                    if has_value:
                        scored_here = scored
                        if by_facts is not None:
                            scored_here, points_of = by_facts(facts)
                        if scored_here and points_of is not None:
                            earns = points_of(value)
                            if earns is not None:
                                points = float(earns)
                possible += top
                if veto is not None:
                    fires, fails = veto(value)
                    if fires or fails:
                        fired.append({"id": iid, "text": text, "note": _note(answer),
                                      "source": "option" if fires else "fail"})  # fmt: skip
                if points is not None:
                    earned += points
                    answered_max += top
                if not full:
                    continue
                if has_value and scored:
                    answered_count += 1
                if required and not has_value:
                    unanswered.append(iid)
                elif min_rows and isinstance(value, list) and len(value) < min_rows:
                    unanswered.append(iid)  # a table with fewer rows than min_rows stays open
                lost = 0.0
                note_missing = False
                if points is not None and not bonus:  # nothing is lost on a 加分 item
                    lost = round(top - points, 4)
                    if need_notes and lost > EPS:
                        note_missing = not _note(answer).strip()
                        if note_missing:
                            missing_notes.append(iid)
                entry: dict[str, Any] = {"max": top, "points": points, "answered": has_value,
                                         "lost": lost}  # fmt: skip
                if note_missing:
                    entry["note_missing"] = True
                items[iid] = entry
            if bonus:
                bonus_earned.append(earned)
                if full:
                    sections.append({
                        "id": sid, "title": title, "bonus": True, "points": weight,
                        "max_raw": max_raw, "possible_raw": possible, "earned_raw": earned,
                        "answered_raw": answered_max, "scaled": earned,
                        "possible_so_far": answered_max, "ratio": None,
                        "answered": answered_count, "applicable": applicable,
                    })  # fmt: skip
                continue
            factor = weight / possible if possible > EPS else 0.0
            ratio = (
                None
                if possible <= EPS and max_raw > EPS
                else (earned / possible if possible > EPS else 1.0)
            )
            scaled = round(earned * factor, 9)
            so_far = round(answered_max * factor, 4)
            if ratio is not None:  # every item N/A: the section is left out
                included.append((sid, title, ratio, weight, scaled, so_far))
            if full:
                sections.append({
                    "id": sid, "title": title, "bonus": False, "points": weight,
                    "max_raw": max_raw, "possible_raw": possible, "earned_raw": round(earned, 9),
                    "answered_raw": answered_max, "scaled": scaled, "possible_so_far": so_far,
                    "ratio": ratio, "answered": answered_count, "applicable": applicable,
                })  # fmt: skip
        out = self._totals(included, bonus_earned, fired, veto_answers, fired_vetoes,
                           unanswered)  # fmt: skip
        if not full:
            return out
        out = {"sections": sections, **out}
        out["missing_notes"] = missing_notes
        out["unanswered"] = unanswered
        out["complete"] = not unanswered
        out["items"] = items
        return out

    def _totals(self, included: list[tuple[str, str, float, float, float, float]],
                bonus_earned: list[float], fired: list[dict[str, Any]],
                veto_answers: Mapping[str, Any], fired_vetoes: Mapping[str, Any],
                unanswered: list[str]) -> dict[str, Any]:  # fmt: skip
        """scoring.score after its sections: total, bonus, final, grade, vetoes."""
        form = self.form
        raw_total = sum(s[4] for s in included)
        included_points = sum(s[3] for s in included)
        scale = form.total / included_points if included_points > EPS else 0.0
        decimals = form.decimals
        total_exact = raw_total * scale
        total = round_score(total_exact, decimals)
        possible_so_far = round_score(sum(s[5] for s in included) * scale, decimals)
        bonus_raw = round(sum(bonus_earned), 4)
        bonus_exact = min(bonus_raw, form.bonus_cap)
        bonus = round_score(bonus_exact, decimals)
        final_exact = capped_final(form, total_exact, bonus_exact)
        final = round_score(final_exact, decimals)
        band, grade = self._grade(grade_basis(form, total, final), included)
        reason = None
        if grade.grade != band.grade:
            reason = floor_reason(form, band, grade, [(s[0], s[1], s[2]) for s in included])
        for veto_id, text in self.vetoes:
            if veto_id not in veto_answers or fired_vetoes[veto_id] is None:
                unanswered.append(veto_id)
            elif bool(fired_vetoes[veto_id]):
                note = str(veto_answers[veto_id].get("note") or "")
                fired.insert(0, {"id": veto_id, "text": text, "note": note, "source": "veto"})
        final_grade = grade.grade
        if fired:
            final_grade = form.veto_grade or form.grades[-1].grade
            reason = veto_reason([v["text"] for v in fired if v["source"] != "fail"],
                                 [v["text"] for v in fired if v["source"] == "fail"])  # fmt: skip
        return {
            "total": total,
            "possible_so_far": possible_so_far,
            "bonus_raw": float(bonus_raw),
            "bonus": bonus,
            "final": final,
            "total_exact": float(round(total_exact, 6)),
            "bonus_exact": float(round(bonus_exact, 6)),
            "final_exact": float(round(final_exact, 6)),
            "band": band.grade,
            "grade": final_grade,
            "grade_reason": reason,
            "vetoes": fired,
        }

    def _grade(self, basis: float, included: list[tuple[str, str, float, float, float, float]]
               ) -> tuple[Grade, Grade]:  # fmt: skip
        """scoring.grade_for: (the band `basis` reaches by `min` alone, the first grade whose
        `min` and section floor both hold)."""
        grades = self.grades
        band = next(g for g, low, _, _ in grades if basis >= low)  # none: raises, as scoring
        for grade, low, floor, of in grades:
            if basis < low:
                continue
            if floor is None or all(
                s[2] >= floor for s in included if not s[0] or of is None or s[0] in of
            ):
                return band, grade
        return band, grades[-1][0]


def _note(answer: Mapping[str, Any] | None) -> str:
    return "" if answer is None else str(answer.get("note") or "")


_PLANS: dict[int, ScoringPlan] = {}
_MAX_PLANS = 64


def plan_for(form: Form) -> ScoringPlan:
    """The plan of this form object, built once (the plan keeps the form, so its id stays its
    own while the entry lives). For callers holding parsed forms, e.g. finalize or doctor."""
    plan = _PLANS.get(id(form))
    if plan is None or plan.form is not form:
        if len(_PLANS) >= _MAX_PLANS:
            _PLANS.clear()
        plan = _PLANS[id(form)] = ScoringPlan(form)
    return plan
