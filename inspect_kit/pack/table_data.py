"""Rows of `table` items for the typst documents: the per-sheet record lists a sheet's rows
under its item, the pack's subject section every rater's rows, the blank form an empty ruled
table to fill by hand. Cells reach typst as JSON strings, never as markup."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from inspect_kit.domain.model import Form, TableItem
from inspect_kit.domain.table_rows import column_titles, row_cells

BLANK_ROWS = 8
"""Ruled lines on the blank form (more go on the back of the sheet)."""


def rows_of(doc: Mapping[str, Any], item: TableItem) -> list[list[str]] | None:
    """A sheet's rows of `item` as text cells (None when N/A or unanswered)."""
    answer = (doc.get("answers") or {}).get(item.id) or {}
    value = answer.get("value")
    if answer.get("na") or not isinstance(value, list):
        return None
    return [row_cells(item, row, "zh") for row in value]


def sheet_table(doc: Mapping[str, Any], item: TableItem) -> dict[str, Any] | None:
    """The record's table under `item`: headings and numbered rows."""
    rows = rows_of(doc, item)
    if not rows:
        return None
    return {"headers": ["序号", *column_titles(item, "zh")],
            "rows": [[str(n), *cells] for n, cells in enumerate(rows, start=1)]}  # fmt: skip


def subject_tables(form: Form, docs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """For the pack: each table item with every rater's rows (rater, row number, cells)."""
    out = []
    for _, item in form.iter_items():
        if not isinstance(item, TableItem):
            continue
        rows = []
        for doc in docs:
            for n, cells in enumerate(rows_of(doc, item) or [], start=1):
                rows.append([str(doc.get("rater") or ""), str(n), *cells])
        out.append({"title": item.text, "count": len(rows),
                    "headers": ["评委", "序号", *column_titles(item, "zh")],
                    "rows": rows})  # fmt: skip
    return out


def blank_table(item: TableItem) -> dict[str, Any]:
    """An empty ruled table: the headings and BLANK_ROWS numbered lines."""
    blank = [""] * len(item.columns)
    return {"headers": ["序号", *column_titles(item, "zh")],
            "rows": [[str(n), *blank] for n in range(1, BLANK_ROWS + 1)]}  # fmt: skip
