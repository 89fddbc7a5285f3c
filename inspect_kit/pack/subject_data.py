"""One subject's section of the meeting pack as plain data for `typst/pack.typ`.

Everything the panel holds for the subject, nothing left out: every rater (dropped ones marked),
self-assessments, vetoes with who raised them and their 情况说明, every deduction with its note,
bonus earned, each sheet's opinion, 整改事项, 期限 and typed signature with its time. Numbers are
the panel's, only formatted here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from inspect_kit.charts.data import grade_index
from inspect_kit.charts.style import grade_colors
from inspect_kit.domain.answers import Answer, display_value
from inspect_kit.domain.model import DateItem, Form, SignatureItem, TextItem
from inspect_kit.domain.panel import RaterSheet, SubjectPanel
from inspect_kit.domain.panel_view import PanelView

METHOD_NAMES = {"mean": "算术平均", "median": "中位数", "trimmed-mean": "去掉最高最低后平均"}
REMARK_TYPES = (TextItem, DateItem, SignatureItem)
"""Unscored items a committee reads: opinions, 整改事项 and 期限, signatures."""


def num(value: float) -> str:
    return f"{value:g}"


def when(iso: str | None) -> str:
    """An ISO timestamp as `2026-09-08 14:03` (the stored text, shortened, never converted)."""
    return (iso or "")[:16].replace("T", " ")


def grade_color(form: Form, grade: str) -> str:
    return grade_colors(len(form.grades))[grade_index(form, grade)]


def score_text(s: SubjectPanel) -> str:
    return f"{num(s.total)} + {num(s.bonus)} = {num(s.final)}" if s.bonus else num(s.final)


def quorum_short(view: PanelView, s: SubjectPanel) -> str:
    rule = view.form.panel
    if rule.method == "trimmed-mean" and s.rater_count < rule.min_raters:
        return f"评委不足（{s.rater_count} 人，少于 {rule.min_raters} 人，按算术平均）"
    return ""


def subject_flags(view: PanelView, s: SubjectPanel) -> list[str]:
    """Why the grade is what it is, and what the committee should know: vetoes, floors, quorum."""
    flags = []
    for v in s.vetoes:
        who = "、".join(v.raters)
        flags.append(("一票否决：" if v.applies else "否决未生效：") + f"{v.text}（{who}）")
    if s.grade_reason and not s.vetoed:
        flags.append(s.grade_reason)
    quorum = quorum_short(view, s)
    if quorum:
        flags.append(quorum)
    if s.spread_flag:
        flags.append(f"分差 {num(s.spread)} 分，超过 {num(view.form.panel.max_spread)} 分")
    return flags


def rater_row(sheet: RaterSheet, dropped: bool, signed: str) -> dict[str, Any]:
    return {
        "name": sheet.rater,
        "total": num(sheet.total),
        "bonus": num(sheet.bonus) if sheet.bonus else "",
        "final": num(sheet.final),
        "grade": sheet.grade,
        "dropped": dropped,
        "role": "自评（不计入）" if sheet.role == "self" else "计入",
        "signed": signed,
    }


def subject_data(
    view: PanelView,
    s: SubjectPanel,
    docs: Sequence[Mapping[str, Any]],
    roster: Mapping[str, Any],
) -> dict[str, Any]:
    form = view.form
    by_uuid = {d["uuid"]: d for d in docs}
    dropped = set(s.dropped)
    raters = [
        rater_row(x, x.rater in dropped, _signed(form, by_uuid.get(x.uuid)))
        for x in (*s.sheets, *s.self_assessments)
    ]
    medians = view.median_profile
    sections = [
        {
            "title": x.title,
            "ratio": max(0.0, min(1.0, x.ratio)),
            "median": medians.get(x.id),
            "text": f"{num(x.value)} / {num(x.points)}（{x.ratio * 100:.0f}%）",
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
    self_text = "、".join(f"{num(x.final)}（{x.grade}）" for x in s.self_assessments)
    subject = roster.get(s.subject)
    facts = [
        ("评委", f"{s.rater_count} 人，{METHOD_NAMES.get(s.method, s.method)}"),
        ("分差", f"{num(s.spread)}（标准差 {num(s.sd)}）"),
        ("自评", self_text or "无"),
    ]
    if subject is not None and (subject.district or subject.level):
        facts.insert(
            0, ("区域 / 级别", " / ".join(x for x in (subject.district, subject.level) if x))
        )
    return {
        "id": s.subject,
        "name": s.subject_name,
        "rank_text": f"第 {s.rank} 名（共 {len(view.panel.subjects)} 个）",
        "score": score_text(s),
        "grade": s.grade,
        "color": grade_color(form, s.grade),
        "facts": facts,
        "flags": subject_flags(view, s),
        "sections": sections,
        "raters": raters,
        "vetoes": vetoes,
        "deductions": deductions,
        "bonus": _bonus_rows(form, inspectors),
        "remarks": _remarks(form, inspectors),
    }


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
    """Bonus earned, as 加分 (never a deduction), per rater and item."""
    rows = []
    for section in form.bonus_sections:
        for item in section.items:
            for doc in docs:
                score = doc["score"]["items"].get(item.id) or {}
                points = float(score.get("points") or 0)
                if points > 0:
                    answer = Answer.from_dict(doc.get("answers", {}).get(item.id, {}))
                    rows.append(
                        {
                            "item": item.text,
                            "rater": doc["rater"],
                            "value": display_value(item, answer.value),
                            "points": f"+{num(points)} / {num(float(score.get('max') or 0))}",
                        }
                    )
    return rows


def _remarks(form: Form, docs: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    rows = []
    for doc in docs:
        for _, item in form.iter_items():
            if not isinstance(item, REMARK_TYPES):
                continue
            raw = doc.get("answers", {}).get(item.id) or {}
            value = display_value(item, Answer.from_dict(raw).value) if raw else ""
            if isinstance(item, SignatureItem) and raw.get("signed_at"):
                value = f"{value}（{when(raw['signed_at'])}）"
            rows.append({"rater": doc["rater"], "label": item.text, "value": value})
    return rows
