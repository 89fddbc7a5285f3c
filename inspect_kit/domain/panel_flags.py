"""The reasons and flags of a subject's panel result, worded once (Chinese) for every view.

Reasons say why the grade is what it is: a veto (who raised it, with their 情况说明), a failing
option, a section below the band's floor (the grade lowered: a downgrade), and a veto raised
that did not apply (short of a majority). Flags say what the committee should look at: fewer
sheets than `min_raters` (评委不足, with the rule that applied), raters far apart, and a voided
sheet that changed the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from inspect_kit.domain.reasons import floor_of, floor_reason
from inspect_kit.domain.rounding import fmt_score, round_score
from inspect_kit.domain.subject_result import (
    PanelVeto,
    Quorum,
    Reason,
    ReasonKind,
    SectionResult,
    SubjectResult,
    VoidedSheet,
)
from inspect_kit.i18n.catalog import tr
from inspect_kit.i18n.form_text import localized, text_for

if TYPE_CHECKING:
    from inspect_kit.domain.model import Form, Grade

EPS = 1e-9
METHOD_ZH = {"mean": "算术平均", "median": "中位数", "trimmed-mean": "去掉最高分和最低分后平均"}


def _who(veto: PanelVeto) -> str:
    return "；".join(r.rater + (f"：{r.note}" if r.note else "") for r in veto.raised_by)


def reasons_of(
    form: Form,
    band: Grade,
    grade: Grade,
    sections: Sequence[SectionResult],
    vetoes: Sequence[PanelVeto],
) -> tuple[Reason, ...]:
    """Every reason for the grade, the deciding ones first (vetoes, failing options, floors)."""
    out = []
    for veto in vetoes:
        if not veto.applies:
            continue
        kind: ReasonKind = "fail" if veto.source == "fail" else "veto"
        head = "否决性不合格项" if kind == "fail" else "一票否决"
        out.append(Reason(kind, f"{head}：{veto.text}（{_who(veto)}）", veto.raised_by))
    ratios = [(s.id, s.title, s.ratio) for s in sections]
    found = floor_of(form, band, grade, ratios)
    text = floor_reason(form, band, grade, ratios)
    if found is not None and text is not None:
        out.append(Reason("section_min", text, sections=tuple(t for _, t in found[1])))
    for veto in vetoes:
        if not veto.applies:
            text = f"否决未过半（不生效）：{veto.text}（{_who(veto)}）"
            out.append(Reason("veto_short", text, veto.raised_by))
    return tuple(out)


def quorum_of(form: Form, sheets: int, applied: str) -> Quorum:
    """The subject's sheets against min_raters, and the rule that applied because of it."""
    rule = form.panel
    text = ""
    if sheets < rule.min_raters:
        how = METHOD_ZH.get(applied, applied)
        if rule.method == "trimmed-mean" and applied == "mean":
            how += "，未去掉最高分和最低分"
        text = f"评委不足：{sheets} 张评分表，少于 {rule.min_raters} 张；按{how}"
    return Quorum(sheets, rule.min_raters, rule.method, applied, text)


def spread_flag(result: SubjectResult, max_spread: float) -> str:
    return f"评委分差 {result.fmt(result.spread)} 分，超过 {max_spread:g} 分"


def voided_effect(
    result: SubjectResult, void_doc: Mapping[str, Any], counted: SubjectResult
) -> VoidedSheet:
    """A voided sheet named on its subject; `counted` is the result had it still counted."""
    decimals = result.decimals
    score = void_doc.get("score") or {}
    final = float(score.get("final_exact", score.get("final") or 0))
    reason = str(void_doc.get("amend_reason") or "")
    changes = []
    if counted.final != result.final:
        changes.append(f"小组得分 {fmt_score(counted.final, decimals)}")
    if counted.grade != result.grade:
        changes.append(f"等次 {counted.grade}")
    if counted.method != result.method:
        changes.append(f"按{METHOD_ZH.get(counted.method, counted.method)}")
    head = f"作废评分表 {void_doc['uuid'][:8]}（{void_doc['rater']}，理由：{reason or '未写'}）"
    text = head + ("：计入时" + "、".join(changes) if changes else "：不影响结果")
    return VoidedSheet(
        uuid=str(void_doc["uuid"]),
        rater=str(void_doc["rater"]),
        reason=reason,
        final=round_score(final, decimals),
        changed=bool(changes),
        text=text,
    )


def reason_text(form: Form, subject: SubjectResult, reason: Reason, lang: str = "zh") -> str:
    """A panel reason in `lang`: the stored Chinese sentence, or the same reason worded from
    the subject's own figures (floors) and the form's English texts (vetoes)."""
    if lang != "en":
        return reason.text
    if reason.kind == "section_min":
        from inspect_kit.domain.scoring import grade_basis, grade_for

        ratios = [(s.id, s.ratio) for s in subject.sections]
        basis = grade_basis(form, subject.total, subject.final)
        band, grade = grade_for(form, basis, ratios)
        titles = {s.id: localized(s, "title", lang) for s in form.sections}
        named = [(s.id, titles.get(s.id, s.title), s.ratio) for s in subject.sections]
        return floor_reason(form, band, grade, named, lang) or reason.text
    texts = {v.id: text_for(v, lang) for v in form.vetoes}
    for _, item in form.iter_items():
        texts.setdefault(item.id, text_for(item, lang))
    veto = next((v for v in subject.vetoes if reason.raised_by and v.raised_by ==
                 reason.raised_by and v.text in reason.text), None)  # fmt: skip
    text = texts.get(veto.id, veto.text) if veto is not None else reason.text
    who = "; ".join(r.rater + (f": {r.note}" if r.note else "") for r in reason.raised_by)
    key = {"veto": "reason.veto", "fail": "reason.fail"}.get(reason.kind, "reason.veto_short")
    return tr(key, lang, texts=f"{text} ({who})" if who else text)
