"""Rows of a `table` item (repeat rows): checking a typed cell, a row and a whole list of rows,
and what scores (the row count or a column's sum). Cells go through the same parsers as items
(one date parser, one whole-number check), so the TUI, the plain prompts, answer files and CSV
sheets accept and refuse the same text.

A stored value is a list of rows; a row is a dict with every column's id in column order, a
blank optional cell being None. `[]` is an answer ("no records"), None is "not answered".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from inspect_kit.base.errors import AnswerError
from inspect_kit.domain.model import Column, TableItem
from inspect_kit.domain.values import EPS, number, parse_date, whole_number
from inspect_kit.i18n.form_text import localized

MAX_CELL = 500
"""A cell is a short record (a theme, a place); longer text belongs in a note."""

Row = dict[str, Any]


class CellError(AnswerError):
    """A refused cell, worded as `第 2 行「日期」：<why>` in either language."""

    def __init__(self, row: int | None, column: Column, inner: AnswerError) -> None:
        self.row = row
        self.column = column
        self.inner = inner
        super().__init__(self.render("zh"))

    def render(self, lang: str) -> str:
        from inspect_kit.i18n.catalog import tr

        title = localized(self.column, "title", lang)
        why = self.inner.render(lang)
        if self.row is None:
            return tr("table.cell_error", lang, column=title, why=why)
        return tr("table.row_cell_error", lang, row=self.row, column=title, why=why)


def column_options(column: Column, lang: str) -> list[str]:
    """A choice column's labels as shown: `options_en` in English where it names every one."""
    if lang == "en" and column.options_en and len(column.options_en) == len(column.options):
        return list(column.options_en)
    return list(column.options)


def parse_cell(column: Column, raw: Any) -> Any:
    """The canonical cell for `raw` (None for a blank optional cell), or raise AnswerError."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if column.required:
            raise AnswerError(code="table.cell_needed")
        return None
    if column.type == "date":
        return parse_date(raw).isoformat()
    if column.type == "number":
        value = number(raw, "此格", "this cell")
        if value < column.min_value - EPS:
            raise AnswerError(code="answer.below_min", min=f"{column.min_value:g}")
        if column.max_value is not None and value > column.max_value + EPS:
            raise AnswerError(code="answer.above_max", max=f"{column.max_value:g}")
        if column.integer:
            return whole_number(raw)
        return int(value) if value == int(value) else value
    if column.type == "choice":
        text = str(raw).strip()
        for label, shown in zip(column.options, column_options(column, "en"), strict=True):
            if text in (label, shown):
                return label
        if text.isdigit() and 1 <= int(text) <= len(column.options):
            return column.options[int(text) - 1]  # a number picks an option, as in lists
        raise AnswerError(code="answer.not_an_option", raw=text,
                          choices="、".join(column.options))  # fmt: skip
    text = str(raw).strip()
    if len(text) > MAX_CELL:
        raise AnswerError(code="answer.text_too_long", max=MAX_CELL)
    return text


def parse_row(item: TableItem, raw: Any, row_number: int | None = None) -> Row:
    """One canonical row from a mapping (column ids, or titles in either language) or a list in
    column order; raise AnswerError naming the row and the cell."""
    if isinstance(raw, Mapping):
        by_key: dict[str, Column] = {}
        for column in item.columns:
            for key in (column.id, column.title, column.title_en):
                if key:
                    by_key[key] = column
        cells: dict[str, Any] = {}
        for key, cell in raw.items():
            found = by_key.get(str(key).strip())
            if found is None:
                known = "、".join(c.id for c in item.columns)
                raise AnswerError(code="table.unknown_column", column=key, columns=known)
            cells[found.id] = cell
    elif isinstance(raw, list | tuple):
        if len(raw) > len(item.columns):
            raise AnswerError(code="table.too_many_cells", n=len(item.columns))
        cells = {c.id: v for c, v in zip(item.columns, raw, strict=False)}
    else:
        raise AnswerError(code="table.row_needed")
    row: Row = {}
    for column in item.columns:
        try:
            row[column.id] = parse_cell(column, cells.get(column.id))
        except AnswerError as exc:
            raise CellError(row_number, column, exc) from None
    if all(v is None for v in row.values()):
        raise AnswerError(code="table.empty_row")
    return row


def parse_rows(item: TableItem, raw: Any) -> list[Row]:
    """The canonical list of rows; a JSON text (a CSV cell) is read as its list."""
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return []
        try:
            raw = json.loads(text)
        except ValueError:
            raise AnswerError(code="table.rows_needed") from None
    if not isinstance(raw, list | tuple):
        raise AnswerError(code="table.rows_needed")
    if len(raw) > item.max_rows:
        raise AnswerError(code="table.too_many_rows", max=item.max_rows)
    return [parse_row(item, row, n) for n, row in enumerate(raw, start=1)]


def measure(item: TableItem, rows: list[Row]) -> float:
    """What the bands or `per` apply to: the row count, or the sum of the `score_by` column."""
    if item.score_by == "rows":
        return len(rows)
    return sum(float(r.get(item.score_by) or 0) for r in rows)


def cell_text(column: Column, cell: Any, lang: str) -> str:
    """A cell as a person reads it (a choice in the interface language, whole numbers bare)."""
    if cell is None:
        return ""
    if column.type == "choice":
        shown = dict(zip(column.options, column_options(column, lang), strict=True))
        return shown.get(cell, str(cell))
    if isinstance(cell, float) and cell == int(cell):
        return str(int(cell))
    return str(cell)


def row_cells(item: TableItem, row: Mapping[str, Any], lang: str) -> list[str]:
    """One row's cells as text, in column order."""
    return [cell_text(c, row.get(c.id), lang) for c in item.columns]


def column_titles(item: TableItem, lang: str) -> list[str]:
    """The headings, with the unit of a number column: 参加人数（人）."""
    titles = []
    for column in item.columns:
        title = localized(column, "title", lang)
        if column.unit:
            title += f" ({column.unit})" if lang == "en" else f"（{column.unit}）"
        titles.append(title)
    return titles


def row_lines(item: TableItem, value: Any, lang: str, indent: str = "    ") -> list[str]:
    """One line per stored row, numbered: `    1. 2026-03-05 | 清明祭英烈 | 120`."""
    if not isinstance(value, list):
        return []
    return [f"{indent}{n}. " + " | ".join(row_cells(item, row, lang))
            for n, row in enumerate(value, start=1)]  # fmt: skip


def summary(item: TableItem, rows: list[Row], lang: str) -> str:
    """`3 条记录` (with the scored column's sum: `3 条记录，参加人数合计 340`)."""
    from inspect_kit.i18n.catalog import tr

    text = tr("table.rows_count", lang, n=len(rows))
    if item.score_by != "rows":
        column = item.column(item.score_by)
        total = measure(item, rows)
        shown = f"{total:g}" + (column.unit or "" if lang != "en" else "")
        text += tr("table.sum_of", lang, column=localized(column, "title", lang), total=shown)
    return text
