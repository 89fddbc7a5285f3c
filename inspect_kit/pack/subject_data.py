"""One subject's section of the meeting pack as plain data for `typst/pack.typ`.

Everything the subject's `SubjectResult` holds, nothing left out: every rater (dropped ones marked),
self-assessments, vetoes with who raised them and their 情况说明, every deduction with its note,
bonus earned, each sheet's opinion, 整改事项, 期限 and typed signature with its time. Scores,
reasons and flags are the result's own (as shown, in its words); nothing is worked out here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from inspect_kit.charts.data import grade_index
from inspect_kit.charts.palette import grade_colors
from inspect_kit.domain.answers import Answer, display_value
from inspect_kit.domain.model import DateItem, Form, SignatureItem, TextItem
from inspect_kit.domain.panel_view import PanelView
from inspect_kit.domain.panel_words import method_name
from inspect_kit.domain.subject_result import SheetResult, SubjectResult
from inspect_kit.domain.trust_text import conflict_mark, robustness_cell
from inspect_kit.pack.fmt import num, when
from inspect_kit.pack.table_data import subject_tables

REMARK_TYPES = (TextItem, DateItem, SignatureItem)
"""Unscored items a committee reads: opinions, 整改事项 and 期限 (text, date), signatures."""


def grade_color(form: Form, grade: str) -> str:
    return grade_colors(len(form.grades))[grade_index(form, grade)]


def score_text(s: SubjectResult) -> str:
    """The panel score as the result shows it ('86.5 + 加分 2.0 = 88.5')."""
    return s.shown_total()


def subject_flags(s: SubjectResult) -> list[str]:
    """Why the grade is what it is (vetoes, floors, failing options) and what the committee
    should look at (评委不足, spread, a void that changed the result): the result's sentences."""
    return [r.text for r in s.reasons] + [f.text for f in s.flags]


def rater_row(s: SubjectResult, sheet: SheetResult, dropped: bool, signed: str) -> dict[str, Any]:
    return {
        "name": sheet.rater,
        "total": s.fmt(sheet.total),
        "bonus": s.fmt(sheet.bonus) if sheet.bonus else "",
        "final": s.fmt(sheet.final),
        "grade": sheet.grade,
        "dropped": dropped,
        "role": "自评（不计入）" if sheet.role == "self" else "计入",
        "signed": signed,
    }


def subject_data(
    view: PanelView,
    s: SubjectResult,
    docs: Sequence[Mapping[str, Any]],
    roster: Mapping[str, Any],
) -> dict[str, Any]:
    form = view.form
    by_uuid = {d["uuid"]: d for d in docs}
    dropped = set(s.dropped)
    raters = [
        rater_row(s, x, not x.kept or x.rater in dropped, _signed(form, by_uuid.get(x.uuid)))
        for x in (*s.sheets, *s.self_assessments)
    ]
    medians = view.median_profile
    sections = [
        {
            "title": x.title,
            "ratio": max(0.0, min(1.0, x.ratio)),
            "median": medians.get(x.id),
            "text": f"{s.fmt(x.value)} / {num(x.points)}（{x.ratio * 100:.0f}%）",
        }
        for x in s.sections
    ]
    vetoes = [
        {
            "text": v.text,
            "applies": v.applies,
            "status": "生效" if v.applies else "未过半，不生效",
            "rater": r.rater,
            "note": r.note,
        }
        for v in s.vetoes
        for r in v.raised_by
    ]
    bonus_sections = {x.title for x in form.bonus_sections}
    deductions = [
        {
            "item": d.text,
            "rater": d.rater,
            "value": d.value,
            "lost": f"−{num(d.lost)}",
            "note": d.note,
        }
        for d in view.subject_deductions(s.subject)
        if d.section not in bonus_sections  # an unearned bonus is not a deduction
    ]
    inspectors = [by_uuid[x.uuid] for x in s.sheets if x.uuid in by_uuid]
    self_text = "、".join(f"{s.fmt(x.final)}（{x.grade}）" for x in s.self_assessments)
    facts = [
        ("评委", f"{s.rater_count} 人，{method_name(s.method)}"),
        ("分差", f"{s.fmt(s.spread)}（标准差 {num(s.sd)}）"),
        ("自评", self_text or "无"),
    ]
    if s.bonus_possible:
        facts.insert(2, ("加分", s.bonus_text()))
    # 稳健性 and 回避 as the panel view words them (a conflicted sheet is not in `raters`).
    facts.append(("稳健性", robustness_cell(view, s.subject)))
    facts += [("回避", conflict_mark(doc)) for doc in view.subject_conflicts(s.subject)]
    district, level = _place(s, roster)
    if district or level:
        facts.insert(0, ("区域 / 级别", " / ".join(x for x in (district, level) if x)))
    return {
        "id": s.subject,
        "name": s.subject_name,
        "rank_text": f"第 {s.rank} 名（共 {len(view.panel.subjects)} 个）",
        "score": score_text(s),
        "grade": s.grade,
        "color": grade_color(form, s.grade),
        "facts": facts,
        "flags": subject_flags(s),
        "sections": sections,
        "raters": raters,
        "vetoes": vetoes,
        "deductions": deductions,
        "bonus": _bonus_rows(form, inspectors),
        "remarks": _remarks(form, inspectors),
        "tables": subject_tables(form, inspectors),
    }


def _place(s: SubjectResult, roster: Mapping[str, Any]) -> tuple[str, str]:
    """(district, level): the result's, else the roster entry's."""
    entry = roster.get(s.subject)
    district = s.district or (getattr(entry, "district", "") if entry else "")
    level = s.level or (getattr(entry, "level", "") if entry else "")
    return district or "", level or ""


def _signed(form: Form, doc: Mapping[str, Any] | None) -> str:
    if doc is None:
        return ""
    parts = [when(doc.get("finalized_at"))]
    for _, item in form.iter_items():
        answer = doc.get("answers", {}).get(item.id)
        if isinstance(item, SignatureItem) and answer and answer.get("value"):
            parts.append(f"签名：{answer['value']} {when(answer.get('signed_at'))}".rstrip())
    return "\n".join(p for p in parts if p)


def _bonus_rows(form: Form, docs: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Bonus earned, as 加分 (never a deduction): one row per item, every rater who earned it."""
    rows = []
    for section in form.bonus_sections:
        for item in section.items:
            earned = []
            for doc in docs:
                score = doc["score"]["items"].get(item.id) or {}
                points = float(score.get("points") or 0)
                if points > 0:
                    answer = Answer.from_dict(doc.get("answers", {}).get(item.id, {}))
                    value = display_value(item, answer.value)
                    earned.append(f"{doc['rater']}（{value}）+{num(points)}")
            if earned:
                rows.append(
                    {"item": item.text, "max": num(item.max_points), "raters": "；".join(earned)}
                )
    return rows


def _remarks(form: Form, docs: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Each sheet's opinion, 整改事项, 期限 (every unscored text or date item): one row per rater,
    one column per item. Signatures are in the raters' table."""
    items = [i for _, i in form.iter_items() if isinstance(i, REMARK_TYPES[:2])]
    rows = []
    for doc in docs:
        cells = [doc["rater"]]
        for item in items:
            raw = doc.get("answers", {}).get(item.id) or {}
            cells.append(display_value(item, Answer.from_dict(raw).value) if raw else "")
        rows.append(cells)
    return {"columns": [i.text for i in items], "rows": rows if items else []}
