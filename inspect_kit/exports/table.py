"""One row per sheet: the columns and cells shared by the CSV and the XLSX 明细 sheet.

Columns: metadata, then each section's scaled score, then for each item its value, points (scored
items) and note. `labels="zh"` gives Chinese headers; `labels="ids"` gives machine headers that
`results import-sheets` reads back: the item id for the value, `<id>.points`, `<id>.note`,
`veto:<id>` (是/否) and `veto:<id>.note` for each 一票否决 question, `section.<id>` for a
section and the record key for metadata. Values under `ids` are written so
that `answers.normalize_value` turns them back into the stored value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from inspect_kit.domain.answers import display_value
from inspect_kit.domain.model import (
    DeductItem,
    Form,
    Item,
    NoteItem,
    NumberItem,
    PhotoItem,
    ScoreItem,
    TableItem,
    YesNoItem,
)

Labels = Literal["zh", "ids"]
Cell = str | int | float | None
NA_TEXT = "不适用"
"""What an N/A answer looks like in every export (both label styles)."""
LIST_SEP = "、"

META: tuple[tuple[str, str], ...] = (
    ("uuid", "编号"),
    ("revision", "版本"),
    ("form", "表单"),
    ("form_version", "表单版本"),
    ("round", "轮次"),
    ("subject", "对象编号"),
    ("subject_name", "对象名称"),
    ("rater", "评分人"),
    ("role", "角色"),
    ("status", "状态"),
    ("finalized_at", "提交时间"),
    ("total", "总分"),
    ("bonus", "加分"),
    ("final", "最终得分"),
    ("grade", "等级"),
    ("vetoes", "否决项"),
)
NUMERIC_META = {"revision", "form_version", "total", "bonus", "final"}
ROLE_ZH = {"inspector": "检查组", "self": "自评"}
STATUS_ZH = {"final": "已提交", "void": "作废", "draft": "草稿"}


@dataclass(frozen=True)
class Column:
    key: str
    """Stable key: a metadata key, `section.<id>`, `<item id>`, `<id>.points` or `<id>.note`."""
    header: str
    kind: Literal["meta", "section", "value", "points", "note"]


def number(value: Any, digits: int = 4) -> int | float | None:
    """A figure as int when whole (so 5.0 reads 5), else rounded; None stays None."""
    if value is None or isinstance(value, bool):
        return None
    value = round(float(value), digits)
    return int(value) if value == int(value) else value


def _forms_in_order(records: Iterable[Mapping[str, Any]], forms: Mapping[str, Form]) -> list[Form]:
    seen: dict[str, Form] = {}
    for record in sorted(records, key=lambda r: (r["form"], -int(r.get("form_version") or 0))):
        sha = record["form_sha256"]
        if sha not in seen:
            seen[sha] = forms[sha]
    return list(seen.values())


def columns(
    records: Sequence[Mapping[str, Any]], forms: Mapping[str, Form], labels: Labels = "zh"
) -> list[Column]:
    """The header row for these records (the union of their forms' sections and items)."""
    out = [Column(key, key if labels == "ids" else zh, "meta") for key, zh in META]
    keys = {c.key for c in out}
    form_list = _forms_in_order(records, forms)

    def add(key: str, zh: str, kind: Any) -> None:
        if key not in keys:
            keys.add(key)
            out.append(Column(key, key if labels == "ids" else zh, kind))

    for form in form_list:
        for section in form.sections:
            if not any(item.scored for item in section.items):
                continue
            zh = f"{section.title}·{'加分' if section.bonus else '得分'}"
            add(f"section.{section.id}", zh, "section")
    for form in form_list:
        for _section, item in form.iter_items():
            if isinstance(item, NoteItem):
                continue
            unit = f"（{item.unit}）" if isinstance(item, NumberItem) and item.unit else ""
            add(item.id, f"{item.text}{unit}", "value")
            if item.scored:
                add(f"{item.id}.points", f"{item.text}·得分", "points")
            add(f"{item.id}.note", f"{item.text}·{'扣分理由' if item.scored else '备注'}", "note")
    for form in form_list:
        for veto in form.vetoes:
            add(f"veto:{veto.id}", f"否决：{veto.text}", "value")
            add(f"veto:{veto.id}.note", f"否决：{veto.text}·说明", "note")
    if labels == "zh":  # two items with the same text must still be told apart
        counts: dict[str, int] = {}
        for c in out:
            counts[c.header] = counts.get(c.header, 0) + 1
        out = [
            Column(c.key, f"{c.header}（{c.key}）", c.kind) if counts[c.header] > 1 else c
            for c in out
        ]
    return out


def value_cell(item: Item, answer: Mapping[str, Any] | None, labels: Labels = "zh") -> Cell:
    """An answer's value as a cell: numbers stay numbers; `ids` text parses back exactly."""
    if not answer:
        return None
    if answer.get("na"):
        return NA_TEXT
    value = answer.get("value")
    if isinstance(item, PhotoItem):
        names = answer.get("attachments") or value or []
        return LIST_SEP.join(str(n) for n in names) or None
    if value is None:
        return None
    if isinstance(item, ScoreItem | NumberItem):
        return number(value)
    if isinstance(item, TableItem) and labels == "ids":
        # the rows as JSON, which import-sheets reads back; each row is also in its own table
        return json.dumps(value, ensure_ascii=False)
    if labels == "ids":
        if isinstance(item, YesNoItem):
            return item.labels[0] if value else item.labels[1]
        if isinstance(item, DeductItem):
            return (
                LIST_SEP.join(value)
                if isinstance(value, list) and value
                else (0 if isinstance(value, list) else int(value))
            )
        if isinstance(value, list):
            return LIST_SEP.join(str(v) for v in value)
        return str(value)
    return display_value(item, value)


def _vetoes_cell(record: Mapping[str, Any], labels: Labels) -> str:
    """zh: every veto that fired (questions and veto options) with its note, for people;
    ids: the ids of the 一票否决 questions answered yes (options follow from the item values)."""
    if labels == "ids":
        answered = record.get("vetoes") or {}
        return LIST_SEP.join(k for k, v in answered.items() if (v or {}).get("fired"))
    parts = []
    for veto in (record.get("score") or {}).get("vetoes") or ():
        note = veto.get("note") or ""
        parts.append(f"{veto.get('text') or veto.get('id')}" + (f"（{note}）" if note else ""))
    return "；".join(parts)


def row(record: Mapping[str, Any], form: Form, labels: Labels = "zh") -> dict[str, Cell]:
    """Cells of one sheet, keyed by Column.key (keys of other forms are simply absent)."""
    score = record.get("score") or {}
    cells: dict[str, Cell] = {key: record.get(key) for key, _ in META}
    cells.update(
        total=number(score.get("total")),
        bonus=number(score.get("bonus")),
        final=number(score.get("final")),
        grade=score.get("grade"),
        vetoes=_vetoes_cell(record, labels) or None,
        revision=number(record.get("revision")),
        form_version=number(record.get("form_version")),
    )
    if labels == "zh":
        cells["role"] = ROLE_ZH.get(str(record.get("role")), record.get("role"))
        cells["status"] = STATUS_ZH.get(str(record.get("status")), record.get("status"))
    for section in score.get("sections") or ():
        cells[f"section.{section['id']}"] = number(
            section.get("scaled"), 2
        )  # a 7-item section scales to 1/7ths
    answers = record.get("answers") or {}
    items = score.get("items") or {}
    for _, item in form.iter_items():
        if isinstance(item, NoteItem):
            continue
        answer = answers.get(item.id)
        cells[item.id] = value_cell(item, answer, labels)
        if item.scored:
            cells[f"{item.id}.points"] = number((items.get(item.id) or {}).get("points"))
        cells[f"{item.id}.note"] = (answer or {}).get("note") or None
    for veto in form.vetoes:
        answered = (record.get("vetoes") or {}).get(veto.id) or {}
        fired = answered.get("fired")
        cells[f"veto:{veto.id}"] = None if fired is None else ("是" if fired else "否")
        cells[f"veto:{veto.id}.note"] = answered.get("note") or None
    return cells


def rows(
    records: Sequence[Mapping[str, Any]], forms: Mapping[str, Form], labels: Labels = "zh"
) -> tuple[list[Column], list[dict[str, Cell]]]:
    """(columns, one cell dict per record) in the order given."""
    return columns(records, forms, labels), [
        row(r, forms[r["form_sha256"]], labels) for r in records
    ]
