"""A finalized sheet as plain text lines (for `results show` and the plain mode)."""

from __future__ import annotations

from typing import Any

from inspect_kit.answers import Answer, display_value
from inspect_kit.model import Form

EVENT_NAMES = {"finalized": "提交", "amended": "修订", "voided": "作废", "imported": "导入",
               "created": "创建", "amend_opened": "开始修订"}  # fmt: skip


def sheet_lines(form: Form, doc: dict[str, Any], events: list[dict[str, Any]],
                lang: str = "zh") -> list[str]:  # fmt: skip
    if lang == "en":
        return sheet_lines_en(form, doc, events)
    score = doc["score"]
    status = {"final": "已提交", "void": "已作废", "draft": "草稿"}.get(doc["status"], doc["status"])
    lines = [
        f"{form.title_for(lang)}  [{doc['form']} v{doc['form_version']}]",
        f"对象：{doc['subject_name']}（{doc['subject']}）  轮次：{doc['round']}  "
        f"评分人：{doc['rater']}  状态：{status}  第 {doc['revision']} 版",
        f"编号：{doc['uuid']}",
        "",
        f"总分：{score['total']:g}" + (f" + 加分 {score['bonus']:g} = {score['final']:g}"
                                      if score["bonus"] else "") + f"   等次：{score['grade']}",
    ]  # fmt: skip
    if score.get("grade_reason"):
        lines.append(f"说明：{score['grade_reason']}")
    lines.append("")
    for section in score["sections"]:
        if section["bonus"]:
            lines.append(f"  {section['title']:<12} 加分 {section['earned_raw']:g}")
        elif section["points"]:
            lines.append(f"  {section['title']:<12} {section['scaled']:6.2f} / {section['points']:g}")
    deductions = []
    for _, item in form.iter_items():
        item_score = score["items"].get(item.id)
        if item_score and item_score["lost"] > 0:
            answer = Answer.from_dict(doc["answers"].get(item.id, {}))
            deductions.append(f"  - {item.text}：{display_value(item, answer.value)}，"
                              f"扣 {item_score['lost']:g} 分。理由：{answer.note or '（无）'}")  # fmt: skip
    if deductions:
        lines += ["", "扣分明细："] + deductions
    if score["vetoes"]:
        lines += ["", "一票否决："] + [f"  ! {v['text']}" + (f"：{v['note']}" if v["note"] else "")
                                  for v in score["vetoes"]]  # fmt: skip
    if events:
        lines += ["", "记录："]
        for event in sorted(events, key=lambda e: e.get("at", "")):
            name = EVENT_NAMES.get(event["event"], event["event"])
            reason = f"，理由：{event['reason']}" if event.get("reason") else ""
            revision = f"第 {event['revision']} 版  " if event.get("revision") else ""
            lines.append(f"  {event.get('at', '')}  {name}  {revision}{event.get('by', '')}"
                         f"（{event.get('device', '')}）{reason}")  # fmt: skip
    return lines


EVENT_NAMES_EN = {
    "finalized": "finalized", "amended": "amended", "voided": "voided", "imported": "imported",
    "created": "created", "amend_opened": "amendment opened",
}  # fmt: skip


def sheet_lines_en(form: Form, doc: dict[str, Any], events: list[dict[str, Any]]) -> list[str]:
    """`sheet_lines` in English (labels, item and section texts where the form has them)."""
    score = doc["score"]
    titles = {s.id: s.title_en or s.title for s in form.sections}
    lines = [
        f"{form.title_for('en')}  [{doc['form']} v{doc['form_version']}]",
        f"Subject: {doc['subject_name']} ({doc['subject']})  Round: {doc['round']}  "
        f"Rater: {doc['rater']}  Status: {doc['status']}  Revision {doc['revision']}",
        f"Id: {doc['uuid']}",
        "",
        f"Total: {score['total']:g}" + (f" + bonus {score['bonus']:g} = {score['final']:g}"
                                       if score["bonus"] else "") + f"   Grade: {score['grade']}",
    ]  # fmt: skip
    if score.get("grade_reason"):
        lines.append(f"Why: {score['grade_reason']}")
    lines.append("")
    for section in score["sections"]:
        title = titles.get(section["id"], section["title"])
        if section["bonus"]:
            lines.append(f"  {title:<24} bonus {section['earned_raw']:g}")
        elif section["points"]:
            lines.append(f"  {title:<24} {section['scaled']:6.2f} / {section['points']:g}")
    deductions = []
    for _, item in form.iter_items():
        item_score = score["items"].get(item.id)
        if item_score and item_score["lost"] > 0:
            answer = Answer.from_dict(doc["answers"].get(item.id, {}))
            value = display_value(item, answer.value)
            note = answer.note or "(none)"
            deductions.append(f"  - {item.text_en or item.text}: {value}, "
                              f"-{item_score['lost']:g}. Reason: {note}")  # fmt: skip
    if deductions:
        lines += ["", "Deductions:"] + deductions
    if score["vetoes"]:
        lines += ["", "Vetoes:"] + [f"  ! {v['text']}" + (f": {v['note']}" if v["note"] else "")
                                   for v in score["vetoes"]]  # fmt: skip
    if events:
        lines += ["", "History:"]
        for event in sorted(events, key=lambda e: e.get("at", "")):
            name = EVENT_NAMES_EN.get(event["event"], event["event"])
            reason = f", reason: {event['reason']}" if event.get("reason") else ""
            revision = f"revision {event['revision']}  " if event.get("revision") else ""
            lines.append(f"  {event.get('at', '')}  {name}  {revision}{event.get('by', '')}"
                         f" ({event.get('device', '')}){reason}")  # fmt: skip
    return lines
