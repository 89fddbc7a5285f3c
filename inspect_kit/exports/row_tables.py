"""Rows of `table` items for export: one table per table item (a CSV file beside the main one,
an XLSX sheet), one line per record, linked to its sheet by uuid and revision, with its row
number. Cells keep their type: numbers as numbers, dates as ISO text, choices as labels.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_kit.domain.model import Form, TableItem
from inspect_kit.exports.table import Cell, Labels, number

LINK = (("uuid", "编号"), ("revision", "版本"), ("subject", "对象编号"),
        ("subject_name", "对象名称"), ("rater", "评分人"), ("row", "行号"))  # fmt: skip
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class RowTable:
    item_id: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]


def table_items(records: Sequence[Mapping[str, Any]], forms: Mapping[str, Form]) -> list[TableItem]:
    """The table items of these records' forms, one per id (the newest form's first)."""
    found: dict[str, TableItem] = {}
    for record in sorted(records, key=lambda r: -int(r.get("form_version") or 0)):
        for _, item in forms[record["form_sha256"]].iter_items():
            if isinstance(item, TableItem) and item.id not in found:
                found[item.id] = item
    return list(found.values())


def _cell(value: Any) -> Cell:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(value)
    return None if value is None else str(value)


def row_table(records: Sequence[Mapping[str, Any]], item: TableItem,
              labels: Labels = "zh") -> RowTable:  # fmt: skip
    """Every record of `item` over these sheets (N/A and unanswered sheets have none)."""
    headers = [key if labels == "ids" else zh for key, zh in LINK]
    headers += [c.id if labels == "ids" else c.title for c in item.columns]
    out: list[list[Cell]] = []
    for record in records:
        answer = (record.get("answers") or {}).get(item.id) or {}
        value = answer.get("value")
        if answer.get("na") or not isinstance(value, list):
            continue
        for n, cells in enumerate(value, start=1):
            link: list[Cell] = [record.get("uuid"), number(record.get("revision")),
                                record.get("subject"), record.get("subject_name"),
                                record.get("rater"), n]  # fmt: skip
            out.append(link + [_cell((cells or {}).get(c.id)) for c in item.columns])
    return RowTable(item.id, item.text, headers, out)


def row_tables(records: Sequence[Mapping[str, Any]], forms: Mapping[str, Form],
               labels: Labels = "zh") -> list[RowTable]:  # fmt: skip
    return [row_table(records, item, labels) for item in table_items(records, forms)]


def csv_path(main: Path, item_id: str) -> Path:
    """`sheets.csv` → `sheets.act-log.csv`."""
    return main.with_name(f"{main.stem}.{item_id}{main.suffix}")


def write_row_csvs(main: Path, records: Sequence[Mapping[str, Any]], forms: Mapping[str, Form],
                   labels: Labels = "zh") -> list[tuple[Path, int]]:  # fmt: skip
    """One CSV per table item beside `main` (same encoding and safety); (path, rows) each."""
    from inspect_kit.exports.csv_export import csv_cell, neutralise

    written = []
    for table in row_tables(records, forms, labels):
        path = csv_path(main, table.item_id)
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, lineterminator="\r\n")
            writer.writerow([neutralise(h) for h in table.headers])
            for cells in table.rows:
                writer.writerow([csv_cell(c) for c in cells])
        written.append((path, len(table.rows)))
    return written


def sheet_name(table: RowTable, labels: Labels, taken: set[str]) -> str:
    """An Excel sheet name (≤ 31 characters, none of []:*?/\\), unique in the workbook."""
    base = _SHEET_BAD.sub("", table.item_id if labels == "ids" else table.title)[:28] or "table"
    name, n = base, 2
    while name.lower() in taken:
        name, n = f"{base[:26]}-{n}", n + 1
    taken.add(name.lower())
    return name
