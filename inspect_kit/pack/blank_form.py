"""`forms print`: a form as a blank paper sheet for use on site (`typst/form.typ`).

Tick boxes for yes/no, choices, checklists and vetoes; blanks for numbers, scores, texts and
dates. Every answer carries its column name in brackets (`[sign-posted]`, `[sign-posted.note]`,
`[veto:veto-safety]`), the header the metadata columns (`subject`, `rater`, `round`, `role`), so
a typed-up copy is one CSV row per sheet for `inspect-kit results import-sheets`.
"""

from __future__ import annotations

from typing import Any

from inspect_kit.domain.model import (
    ChoiceItem,
    DateItem,
    DeductItem,
    Form,
    Item,
    MultiItem,
    NoteItem,
    NumberItem,
    PhotoItem,
    ScoreItem,
    SignatureItem,
    TableItem,
    TextItem,
    YesNoItem,
)
from inspect_kit.pack.engine import typeset
from inspect_kit.pack.fmt import num
from inspect_kit.pack.table_data import blank_table


def _answer(item: Item) -> dict[str, Any]:
    """How the item is answered on paper: boxes to tick, or a blank with a hint."""
    if isinstance(item, YesNoItem):
        good = 0 if item.good == "yes" else 1
        boxes = [
            f"{label}（{num(item.points if i == good else 0)} 分）" if item.points else label
            for i, label in enumerate(item.labels)
        ]
        return {"kind": "boxes", "boxes": boxes, "hint": ""}
    if isinstance(item, ChoiceItem | MultiItem):
        boxes = [
            f"{o.label}（{num(o.points)} 分）" if item.scored else o.label for o in item.options
        ]
        hint = (
            "可多选" + (f"，最多 {num(item.max)} 分" if item.max else "")
            if isinstance(item, MultiItem)
            else "单选"
        )
        return {"kind": "boxes", "boxes": boxes, "hint": hint}
    if isinstance(item, DeductItem):
        hint = f"满分 {num(item.max)}，每处扣 {num(item.per)} 分，扣完为止"
        if item.defects:
            return {
                "kind": "boxes",
                "boxes": list(item.defects),
                "hint": "勾选缺少或不合格的：" + hint,
            }
        return {"kind": "blank", "before": "问题数", "after": "处", "hint": hint}
    if isinstance(item, ScoreItem):
        return {
            "kind": "blank",
            "before": "得分",
            "after": f"/ {num(item.max)}",
            "hint": f"以 {num(item.step)} 分为单位",
        }
    if isinstance(item, NumberItem):
        if item.bands:
            hint = "；".join(
                f"≥{num(b.min)}：{num(b.points)} 分"
                for b in sorted(item.default_bands, key=lambda b: b.min)
            )
            if len(item.default_bands) < len(item.bands):  # level-aware bands: see guidance
                hint += "（其他级别见检查要点）"
        elif item.per is not None and item.max is not None:
            hint = f"每{item.unit or '个'} {num(item.per)} 分，最多 {num(item.max)} 分"
        else:
            hint = ""
        return {"kind": "blank", "before": "", "after": item.unit or "", "hint": hint}
    if isinstance(item, DateItem):
        return {"kind": "blank", "before": "", "after": "（年-月-日）", "hint": ""}
    if isinstance(item, TableItem):
        what = "行数" if item.score_by == "rows" else item.column(item.score_by).title + "合计"
        scoring = "；".join(f"{what}≥{num(b.min)}：{num(b.points)} 分"
                            for b in sorted(item.bands, key=lambda b: b.min))  # fmt: skip
        if item.per is not None and item.max is not None:
            scoring = f"{what}每 1 计 {num(item.per)} 分，最多 {num(item.max)} 分"
        order = "、".join(c.title for c in item.columns)
        entry = f"录入时此列为 JSON 行列表，每行按列序（{order}）"
        hint = "；".join(x for x in ("每条记录一行", scoring, entry) if x)
        return {"kind": "table", "table": blank_table(item), "hint": hint}
    if isinstance(item, PhotoItem):
        return {"kind": "blank", "before": "照片文件名", "after": "", "hint": ""}
    if isinstance(item, SignatureItem):
        return {"kind": "blank", "before": "签名", "after": "", "hint": ""}
    if isinstance(item, TextItem):
        return {"kind": "lines", "lines": 3 if item.multiline else 1, "hint": ""}
    return {"kind": "none", "hint": ""}


def form_data(form: Form) -> dict[str, Any]:
    sections = []
    for section in form.sections:
        rows = []
        for item in section.items:
            answer = _answer(item)
            guidance = "；".join(x for x in (item.guidance, "、".join(item.methods)) if x)
            rows.append(
                {
                    "id": item.id,
                    "text": item.text,
                    "guidance": guidance,
                    "points": num(item.max_points) if item.scored else "",
                    "answer": answer,
                    "na": item.allow_na,
                    "note": item.scored and not section.bonus and not isinstance(item, NoteItem),
                    "condition": item.show_if or "",
                }
            )
        points = (
            f"加分，最多 {num(form.bonus_cap)} 分" if section.bonus else f"{num(section.points)} 分"
        )
        sections.append({"title": section.title, "points": points, "rows": rows})
    return {
        "title": form.title,
        "form": f"{form.form} 第 {form.version} 版，满分 {num(form.total)} 分",
        "sections": sections,
        "vetoes": [{"id": v.id, "text": v.text, "guidance": v.guidance or ""} for v in form.vetoes],
        "note": (
            "录入：每张表录为 CSV 的一行，列名是方括号中的编号（对象编号 subject、评分人 rater、"
            "轮次 round、身份 role，各指标编号，扣分理由列为“编号.note”，否决项为“veto:编号”和"
            "“veto:编号.note”），然后运行 inspect-kit results import-sheets 文件.csv "
            f"--form {form.form}。"
            "勾选项录入所勾选项的文字；不适用录入“不适用”。"
        ),
    }


def render_form(form: Form) -> bytes:
    return typeset("form", form_data(form))
