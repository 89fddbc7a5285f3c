"""`results print`: one finalized sheet as an A4 检查记录表 (`typst/sheet.typ`).

Header, every item with its answer, points and note (扣分理由 where points were lost; bonus
items read as 加分, never as a deduction), vetoes with their 情况说明, section figures, total,
grade and why, and signature lines for the inspector and the inspected unit's representative.
Figures are the sheet's stored score, only formatted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from inspect_kit.domain.answers import Answer, display_value
from inspect_kit.domain.model import Form, NoteItem, SignatureItem, TableItem
from inspect_kit.pack.engine import typeset
from inspect_kit.pack.fmt import num, when
from inspect_kit.pack.table_data import sheet_table

STATUS = {"final": "已提交", "void": "已作废"}
ROLE = {"inspector": "检查组", "self": "自评"}


def sheet_data(
    form: Form, doc: Mapping[str, Any], events: Sequence[Mapping[str, Any]] = ()
) -> dict[str, Any]:
    score = doc["score"]
    items = score.get("items", {})
    section_scores = {s["id"]: s for s in score["sections"]}
    sections = []
    signatures = []
    for section in form.sections:
        rows = []
        for item in section.items:
            if isinstance(item, NoteItem):
                continue
            raw = doc.get("answers", {}).get(item.id)
            answer = Answer.from_dict(raw) if raw else None
            value = display_value(item, answer.value) if answer else ""
            if answer and answer.na:
                value = "不适用"
            figure = items.get(item.id) or {}
            points, lost = figure.get("points"), float(figure.get("lost") or 0)
            if points is None:
                shown = ""
            elif section.bonus:
                shown = f"+{num(float(points))} / {num(float(figure.get('max') or 0))}"
            else:
                shown = f"{num(float(points))} / {num(float(figure.get('max') or 0))}"
            note = answer.note if answer else ""
            missing = bool(lost > 0 and not section.bonus and not note)
            if isinstance(item, SignatureItem) and raw and raw.get("value"):
                signatures.append(f"{raw['value']}（{when(raw.get('signed_at'))}）")
            rows.append(
                {
                    "text": item.text,
                    "answer": value,
                    "points": shown,
                    "note": "（未写理由）" if missing else note,
                    "lost": lost > 0 and not section.bonus,
                    "missing": missing,
                    # a table item's rows, listed under it (None for every other item)
                    "table": sheet_table(doc, item) if isinstance(item, TableItem) else None,
                }
            )
        figure = section_scores.get(section.id, {})
        if section.bonus:
            shown_total = f"加分 {num(float(figure.get('earned_raw') or 0))}"
        elif section.points:
            shown_total = (
                f"{num(round(float(figure.get('scaled') or 0), 2))} / {num(section.points)}"
            )
        else:
            shown_total = ""
        sections.append({"title": section.title, "score": shown_total, "rows": rows})
    fired = {v["id"]: v for v in score.get("vetoes", [])}
    answers = doc.get("vetoes", {})
    vetoes = [
        {
            "text": v.text,
            "fired": v.id in fired or bool((answers.get(v.id) or {}).get("fired")),
            "note": (fired.get(v.id) or answers.get(v.id) or {}).get("note") or "",
        }
        for v in form.vetoes
    ]
    total = num(float(score["total"]))
    if score.get("bonus"):
        total += f" + 加分 {num(float(score['bonus']))} = {num(float(score['final']))}"
    head = [
        ("对象", f"{doc['subject_name']}（{doc['subject']}）"),
        ("轮次", str(doc["round"])),
        ("评分人", f"{doc['rater']}（{ROLE.get(doc.get('role', ''), doc.get('role', ''))}）"),
        ("状态", f"{STATUS.get(doc['status'], doc['status'])}，第 {doc['revision']} 版"),
        ("提交时间", when(doc.get("finalized_at"))),
        ("编号", doc["uuid"]),
    ]
    history = [
        f"{when(e.get('at'))} {e.get('event', '')} {e.get('by', '')}"
        + (f"：{e['reason']}" if e.get("reason") else "")
        for e in sorted(events, key=lambda e: e.get("at", ""))
        if e.get("event") in ("amended", "voided", "amend_opened")
    ]
    return {
        "title": form.title,
        "form": f"{form.form} 第 {form.version} 版",
        "head": head,
        "sections": sections,
        "vetoes": vetoes,
        "total": total,
        "grade": score["grade"],
        "why": score.get("grade_reason") or "",
        "signatures": signatures,
        "history": history,
    }


def default_path(results_dir: Path, doc: Mapping[str, Any]) -> Path:
    """`<results>/prints/<form>-<subject>-<rater>-<uuid8>-检查记录表.pdf`."""
    stem = f"{doc['form']}-{doc['subject']}-{doc['rater']}-{doc['uuid'][:8]}"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in stem)
    return results_dir / "prints" / f"{safe}-检查记录表.pdf"


def print_sheet(store: Any, sheet_uuid: str, results_dir: Path, out: Path | None = None) -> Path:
    """Write a stored sheet's record (newest revision) as a PDF; returns its path."""
    from inspect_kit.pack.engine import warm_up, write_pdf
    from inspect_kit.store.rectifications import items

    warm_up()  # the fonts load while the sheet and its form are read
    doc = store.submission(sheet_uuid)
    _, events = store.history(doc["uuid"])
    path = out or default_path(results_dir, doc)
    mine = [r for r in items(store) if r.sheet == doc["uuid"]]
    write_pdf(path, render_sheet(store.stored_form(doc["form_sha256"]), doc, events, mine))
    return path


STATUS_ZH = {"open": "待整改", "reported": "已报告整改", "verified": "复查通过"}


def render_sheet(
    form: Form, doc: Mapping[str, Any], events: Sequence[Mapping[str, Any]] = (),
    rectifications: Sequence[Any] = (),
) -> bytes:  # fmt: skip
    """`rectifications`: the sheet's 整改项 (domain.rectification.Rectification), listed with
    requirement, deadline and state under the totals."""
    data = sheet_data(form, doc, events)
    data["rectify"] = [{"requirement": r.requirement, "deadline": r.deadline,
                        "status": STATUS_ZH[r.status]} for r in rectifications]  # fmt: skip
    return typeset("sheet", data)
