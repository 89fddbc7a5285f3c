"""XLSX export for the review meeting: 汇总 (each subject's panel result, one column per
rater), 明细 (one row per sheet), 扣分明细 (one row per deduction) and 计分说明 (the method,
worded as the pack words it).

Numbers are numbers (scores with the form's decimals, 轮次 where numeric, 自评得分); 提交时间
is an Excel datetime in the workspace's time zone (setting `timezone`, default Asia/Shanghai);
every sheet prints A4 landscape, fit to the page width, with its header row repeated.

xlsxwriter with `strings_to_formulas` (and `strings_to_urls`) off, and every text cell written
with `write_string`, so `=HYPERLINK(...)` typed as a subject name stays text (ecosystem.md §6).
Column widths are set by hand at about 2 units per wide (CJK) character: xlsxwriter's autofit
counts them as narrow.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from inspect_kit.domain.answers import display_value
from inspect_kit.domain.conflicts import Conflict
from inspect_kit.domain.model import Form
from inspect_kit.exports.row_tables import row_tables, sheet_name
from inspect_kit.exports.table import NA_TEXT, Cell, Labels, number, rows
from inspect_kit.exports.xlsx_summary import method_rows, round_cell, views_of
from inspect_kit.exports.xlsx_summary import summary as summary_of

SUMMARY, DETAIL, DEDUCTIONS, METHOD = "汇总", "明细", "扣分明细", "计分说明"
METHOD_HEADERS = ["表单", "项目", "说明"]
DEFAULT_TIMEZONE = "Asia/Shanghai"
MIN_WIDTH, MAX_WIDTH = 6, 40


def text_width(text: str) -> int:
    """Display width: wide and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_width(header: str, values: Sequence[Cell | dt.datetime]) -> float:
    widest = max([text_width(header)] + [text_width(_shown(v)) for v in values[:2000]])
    return float(min(MAX_WIDTH, max(MIN_WIDTH, widest + 2)))


def _shown(value: Cell | dt.datetime) -> str:
    return "" if value is None else str(value)


class _Sheet:
    """Writes a header and rows to one worksheet: typed cells (numbers as numbers, datetimes
    as Excel datetimes), widths, frozen header, and the print set-up (A4 landscape, fit to
    the page width, the header row repeated on every printed page)."""

    def __init__(self, book: Any, name: str, formats: dict[str, Any]):
        self.ws, self.formats = book.add_worksheet(name), formats

    def write(
        self,
        headers: Sequence[str],
        data: Sequence[Sequence[Cell | dt.datetime]],
        freeze_cols: int = 0,
        widths: Mapping[int, float] | None = None,
        column_formats: Mapping[int, str] | None = None,
        cell_formats: Mapping[tuple[int, int], str] | None = None,
    ) -> None:
        ws = self.ws
        for col, header in enumerate(headers):
            ws.write_string(0, col, header, self.formats["header"])
        for r, values in enumerate(data, start=1):
            for col, value in enumerate(values):
                if value is None or value == "":
                    continue
                name = (cell_formats or {}).get((r - 1, col)) or (column_formats or {}).get(col)
                if isinstance(value, bool):
                    ws.write_string(r, col, "是" if value else "否")
                elif isinstance(value, dt.datetime):
                    ws.write_datetime(r, col, value, self.formats["datetime"])
                elif isinstance(value, int | float):
                    ws.write_number(r, col, value, self.formats[name or "number"])
                else:
                    ws.write_string(r, col, str(value))
        for col, header in enumerate(headers):
            column = [row[col] for row in data]
            width = (widths or {}).get(col) or column_width(header, column)
            ws.set_column(col, col, width)
        ws.freeze_panes(1, freeze_cols)
        if headers:
            ws.autofilter(0, 0, max(len(data), 1), len(headers) - 1)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)  # one page wide, as many long as needed
        ws.repeat_rows(0)
        ws.set_margins(left=0.6, right=0.6, top=0.75, bottom=0.75)
        ws.set_footer("&C第 &P 页 共 &N 页")


def local_time(value: Any, tz: str) -> dt.datetime | Any:
    """An ISO time stamp as a naive datetime in the workspace's time zone (Excel has no zones);
    anything that does not parse stays as it is."""
    if not isinstance(value, str) or not value:
        return value
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


DEDUCTION_HEADERS = [
    "表单",
    "轮次",
    "对象编号",
    "对象名称",
    "评分人",
    "角色",
    "板块",
    "项目编号",
    "项目",
    "答案",
    "满分",
    "得分",
    "扣分",
    "扣分理由",
]


def _deduction_rows(
    records: Sequence[Mapping[str, Any]], forms: Mapping[str, Form]
) -> list[list[Cell]]:
    out: list[list[Cell]] = []
    for record in records:
        if record.get("status") == "void":
            continue
        form = forms[record["form_sha256"]]
        items = (record.get("score") or {}).get("items") or {}
        answers = record.get("answers") or {}
        for section, item in form.iter_items():
            if section.bonus:  # bonus points not earned are not deductions
                continue
            scored = items.get(item.id) or {}
            lost = float(scored.get("lost") or 0)
            if lost <= 1e-9:
                continue
            answer = answers.get(item.id) or {}
            shown = NA_TEXT if answer.get("na") else display_value(item, answer.get("value"))
            out.append(
                [
                    form.title,
                    round_cell(record["round"]),
                    record["subject"],
                    record.get("subject_name"),
                    record.get("rater"),
                    "自评" if record.get("role") == "self" else "检查组",
                    section.title,
                    item.id,
                    item.text,
                    shown or None,
                    number(scored.get("max")),
                    number(scored.get("points")),
                    number(lost),
                    answer.get("note") or None,
                ]
            )
    return out


def write_xlsx(
    path: Path,
    records: Sequence[Mapping[str, Any]],
    forms: Mapping[str, Form],
    labels: Labels = "zh",
    *,
    roster: Mapping[str, Mapping[str, Any]] | None = None,
    timezone: str = DEFAULT_TIMEZONE,
    conflicts: Sequence[Conflict] = (),
    review_states: Mapping[Any, Any] | None = None,
    rectifications: Sequence[Any] | None = None,
) -> dict[str, int]:
    """Write the workbook; returns rows written per sheet name.

    汇总 and 计分说明 read the panel views of the records (`xlsx_summary`); `roster` gives
    district and level; times are shown in `timezone`; `conflicts` (回避) leave sheets out of
    the 汇总 as in every panel view; `review_states` (Store.review_states) narrow a
    `review: required` form's 汇总 to approved sheets, as every panel view does.
    `rectifications` (rows of exports.rectify_table) add a 整改 sheet: the same columns as
    `rectify csv`."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    views = views_of(records, forms, roster, conflicts, review_states)
    summary = summary_of(views)
    cols, detail = rows(records, forms, labels)
    deductions = _deduction_rows(records, forms)
    method = method_rows(views)
    book = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    decimals = max([v.form.decimals for v in views] or [1])
    score_format = "0" if decimals == 0 else "0." + "0" * decimals
    try:
        formats = {
            "header": book.add_format(
                {
                    "bold": True,
                    "bg_color": "#DDEBF7",
                    "border": 1,
                    "text_wrap": True,
                    "valign": "vcenter",
                }
            ),
            "number": book.add_format(),
            "score": book.add_format({"num_format": score_format}),
            "dropped": book.add_format(
                {"num_format": score_format, "font_strikeout": True, "font_color": "#808080"}
            ),  # fmt: skip
            "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        }
        _Sheet(book, SUMMARY, formats).write(
            summary.headers, summary.rows, freeze_cols=5,
            column_formats=dict.fromkeys(summary.score_columns, "score"),
            cell_formats=dict.fromkeys(summary.dropped, "dropped"),
        )  # fmt: skip
        keys = [c.key for c in cols]
        detail_rows: list[list[Cell | dt.datetime]] = []
        for row in detail:
            cells: list[Cell | dt.datetime] = [row.get(k) for k in keys]
            if "round" in keys:
                cells[keys.index("round")] = round_cell(row.get("round"))
            if "finalized_at" in keys:
                cells[keys.index("finalized_at")] = local_time(row.get("finalized_at"), timezone)
            detail_rows.append(cells)
        _Sheet(book, DETAIL, formats).write(
            [c.header for c in cols], detail_rows, freeze_cols=0,
            widths={0: 12, **({keys.index("finalized_at"): 17} if "finalized_at" in keys else {})},
        )  # fmt: skip
        _Sheet(book, DEDUCTIONS, formats).write(DEDUCTION_HEADERS, deductions, freeze_cols=4)
        _Sheet(book, METHOD, formats).write(METHOD_HEADERS, method, widths={0: 24, 1: 12, 2: 100})
        if rectifications is not None:
            from inspect_kit.exports.rectify_table import RECTIFY_SHEET, headers, row_cells

            items: list[list[Cell | dt.datetime]] = [list(row_cells(r)) for r in rectifications]
            sheet = _Sheet(book, RECTIFY_SHEET, formats)
            sheet.write(headers(), items, freeze_cols=3, widths={0: 12, 8: 48})
        taken = {n.lower() for n in (SUMMARY, DETAIL, DEDUCTIONS, METHOD, "整改")}
        tables = {}
        for table in row_tables(records, forms, labels):  # a sheet per table item
            name = sheet_name(table, labels, taken)
            _Sheet(book, name, formats).write(table.headers, table.rows, freeze_cols=0)
            tables[name] = len(table.rows)
    finally:
        book.close()
    counts = {SUMMARY: len(summary.rows), DETAIL: len(detail), DEDUCTIONS: len(deductions),
              METHOD: len(method), **tables}  # fmt: skip
    if rectifications is not None:
        counts["整改"] = len(rectifications)
    return counts
