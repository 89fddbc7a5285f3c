"""Rectification items (整改项) as a table: the CSV of `rectify csv` and the 整改 sheet of the
XLSX export read the same columns from here (one source for both)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from inspect_kit.domain.rectification import Rectification
from inspect_kit.exports.csv_export import csv_cell, neutralise
from inspect_kit.i18n.catalog import tr

RECTIFY_SHEET = "整改"
"""The XLSX export's sheet of rectification items."""
Row = tuple[Rectification, bool, str]
"""(item, overdue today, the unit's district)."""

COLUMNS = (
    ("uuid", "编号", "id"), ("subject", "对象编号", "subject id"),
    ("subject_name", "对象", "subject"), ("district", "区县", "district"),
    ("form", "表单", "form"), ("round", "轮次", "round"), ("sheet", "评分表", "sheet"),
    ("item", "题目", "item"), ("requirement", "整改要求", "requirement"),
    ("deadline", "整改期限", "deadline"), ("responsible", "责任人", "responsible"),
    ("status", "状态", "status"), ("overdue", "逾期", "overdue"),
    ("opened_at", "提出时间", "opened at"), ("opened_by", "提出人", "opened by"),
    ("changed_at", "最近变更", "last change"), ("changed_by", "变更人", "changed by"),
    ("note", "最近说明", "last note"), ("photos", "照片", "photos"),
    ("revision", "版本", "revision"),
)  # fmt: skip


def headers(lang: str = "zh") -> list[str]:
    return [en if lang == "en" else zh for _, zh, en in COLUMNS]


def row_cells(row: Row, lang: str = "zh") -> list[str | int]:
    item, overdue, district = row
    notes = [e.note for e in item.log if e.note]
    values: dict[str, str | int] = {
        "uuid": item.uuid, "subject": item.subject, "subject_name": item.subject_name,
        "district": district, "form": item.form or "", "round": item.round or "",
        "sheet": item.sheet or "", "item": item.item_text or item.item or "",
        "requirement": item.requirement, "deadline": item.deadline,
        "responsible": item.responsible, "status": tr(f"rectify.status.{item.status}", lang),
        "overdue": tr("rectify.status.overdue", lang) if overdue else "",
        "opened_at": item.created.at, "opened_by": item.created.by,
        "changed_at": item.last.at, "changed_by": item.last.by,
        "note": notes[-1] if notes else "", "photos": "、".join(item.photos),
        "revision": item.revision,
    }  # fmt: skip
    return [values[key] for key, _, _ in COLUMNS]


def write_csv(path: Path, rows: Sequence[Row], lang: str = "zh") -> int:
    """UTF-8 with BOM, CRLF, formula-looking text neutralised (as the sheets' CSV)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow([neutralise(h) for h in headers(lang)])
        for row in rows:
            writer.writerow([csv_cell(c) for c in row_cells(row, lang)])
    return len(rows)
