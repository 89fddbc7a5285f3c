"""A finalized sheet as plain text lines (for `results show` and the plain mode)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inspect_kit.domain.answers import Answer, display_value
from inspect_kit.domain.model import Form, TableItem
from inspect_kit.domain.rounding import fmt_score
from inspect_kit.domain.table_rows import row_lines
from inspect_kit.i18n.form_text import grade_for, text_for, title_for

EVENT_NAMES = {"finalized": "提交", "amended": "修订", "voided": "作废", "imported": "导入",
               "created": "创建", "amend_opened": "开始修订",
               "review_approved": "审核通过", "review_returned": "退回"}  # fmt: skip

EVENT_NAMES_EN = {
    "finalized": "finalized", "amended": "amended", "voided": "voided", "imported": "imported",
    "created": "created", "amend_opened": "amendment opened",
    "review_approved": "approved by the office", "review_returned": "returned by the office",
}  # fmt: skip


@dataclass(frozen=True)
class _Labels:
    """The words and templates of one language's sheet text (str.format templates)."""

    english: bool  # item and section texts in English where the form has them
    statuses: dict[str, str]
    events: dict[str, str]
    head: str
    id: str
    total: str
    bonus: str
    grade: str
    why: str
    bonus_section: str
    section: str
    deduction: str
    bonus_item: str
    bonuses: str
    no_note: str
    deductions: str
    vetoes: str
    veto_note: str
    history: str
    reason: str
    revision: str
    device: str


LABELS = {
    "zh": _Labels(
        english=False,
        statuses={"final": "已提交", "void": "已作废", "draft": "草稿"},
        events=EVENT_NAMES,
        head="对象：{subject_name}（{subject}）  轮次：{round}  评分人：{rater}  状态：{status}  "
             "第 {revision} 版",
        id="编号：{}",
        total="总分：{}",
        bonus=" + 加分 {} = {}",
        grade="   等次：{}",
        why="说明：{}",
        bonus_section="  {:<12} 加分 {} / {:g}",
        section="  {:<12} {:6.2f} / {:g}",
        deduction="  - {}：{}，扣 {:g} 分。理由：{}",
        bonus_item="  + {}：{}，加 {:g} 分（最多 {:g} 分）",
        bonuses="加分明细：",
        no_note="（无）",
        deductions="扣分明细：",
        vetoes="一票否决：",
        veto_note="：{}",
        history="记录：",
        reason="，理由：{}",
        revision="第 {} 版  ",
        device="（{}）",
    ),
    "en": _Labels(
        english=True,
        statuses={},
        events=EVENT_NAMES_EN,
        head="Subject: {subject_name} ({subject})  Round: {round}  Rater: {rater}  "
             "Status: {status}  Revision {revision}",
        id="Id: {}",
        total="Total: {}",
        bonus=" + bonus {} = {}",
        grade="   Grade: {}",
        why="Why: {}",
        bonus_section="  {:<24} bonus {} / {:g}",
        section="  {:<24} {:6.2f} / {:g}",
        deduction="  - {}: {}, -{:g}. Reason: {}",
        bonus_item="  + {}: {}, +{:g} (at most {:g})",
        bonuses="Bonus:",
        no_note="(none)",
        deductions="Deductions:",
        vetoes="Vetoes:",
        veto_note=": {}",
        history="History:",
        reason=", reason: {}",
        revision="revision {}  ",
        device=" ({})",
    ),
}  # fmt: skip


def sheet_lines(form: Form, doc: dict[str, Any], events: list[dict[str, Any]],
                lang: str = "zh") -> list[str]:  # fmt: skip
    """The sheet as text: head, total and grade, sections, deductions with notes, vetoes, history.

    English labels (and item and section texts where the form has them) for lang 'en', else
    Chinese.
    """
    words = LABELS["en" if lang == "en" else "zh"]
    score = doc["score"]

    def shown(value: float) -> str:  # the form's decimals, rounded once
        return fmt_score(float(value), form.decimals)

    titles = {s.id: title_for(s, "en") for s in form.sections} if words.english else {}
    status = words.statuses.get(doc["status"], doc["status"])
    lines = [
        f"{form.title_for(lang)}  [{doc['form']} v{doc['form_version']}]",
        words.head.format(subject_name=doc["subject_name"], subject=doc["subject"],
                          round=doc["round"], rater=doc["rater"], status=status,
                          revision=doc["revision"]),
        words.id.format(doc["uuid"]),
        "",
        words.total.format(shown(score["total"]))
        + (words.bonus.format(shown(score["bonus"]), shown(score["final"]))
           if form.bonus_sections and form.bonus_cap else "")
        + words.grade.format(grade_for(form, score["grade"], lang)),
    ]  # fmt: skip
    if score.get("grade_reason"):
        lines.append(words.why.format(score["grade_reason"]))
    lines.append("")
    for section in score["sections"]:
        title = titles.get(section["id"], section["title"])
        if section["bonus"]:  # 加分 earned of possible, never a deduction
            possible = min(form.bonus_cap, section["max_raw"]) if form.bonus_cap else 0
            lines.append(words.bonus_section.format(title, shown(section["earned_raw"]), possible))
        elif section["points"]:
            lines.append(words.section.format(title, section["scaled"], section["points"]))
    deductions, bonuses = [], []
    for section, item in form.iter_items():
        item_score = score["items"].get(item.id)
        if section.bonus:  # a bonus not earned is not a deduction; list what was earned
            if item_score and (item_score.get("points") or 0) > 0:
                answer = Answer.from_dict(doc["answers"].get(item.id, {}))
                text = text_for(item, "en" if words.english else "zh")
                bonuses.append(words.bonus_item.format(
                    text, display_value(item, answer.value, lang), item_score["points"],
                    item_score["max"]))  # fmt: skip
            continue
        if item_score and item_score["lost"] > 0:
            answer = Answer.from_dict(doc["answers"].get(item.id, {}))
            text = text_for(item, "en" if words.english else "zh")
            deductions.append(words.deduction.format(text, display_value(item, answer.value, lang),
                                                     item_score["lost"],
                                                     answer.note or words.no_note))  # fmt: skip
    tables = []
    for _, item in form.iter_items():
        answer = Answer.from_dict(doc["answers"].get(item.id, {}))
        if isinstance(item, TableItem) and isinstance(answer.value, list) and not answer.na:
            text = text_for(item, "en" if words.english else "zh")
            colon = ": " if words.english else "："
            tables.append(f"  {text}{colon}{display_value(item, answer.value, lang)}")
            tables += row_lines(item, answer.value, lang)
    if tables:
        lines += [""] + tables
    if deductions:
        lines += ["", words.deductions] + deductions
    if bonuses:
        lines += ["", words.bonuses] + bonuses
    if score["vetoes"]:
        veto_texts = {v.id: text_for(v, lang) for v in form.vetoes}
        lines += ["", words.vetoes] + [
            f"  ! {veto_texts.get(v.get('id', ''), v['text'])}"
            + (words.veto_note.format(v["note"]) if v["note"] else "")
            for v in score["vetoes"]
        ]
    if events:
        lines += ["", words.history]
        for event in sorted(events, key=lambda e: e.get("at", "")):
            name = words.events.get(event["event"], event["event"])
            reason = words.reason.format(event["reason"]) if event.get("reason") else ""
            revision = words.revision.format(event["revision"]) if event.get("revision") else ""
            lines.append(f"  {event.get('at', '')}  {name}  {revision}{event.get('by', '')}"
                         + words.device.format(event.get("device", "")) + reason)  # fmt: skip
    return lines
