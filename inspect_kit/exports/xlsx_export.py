"""XLSX export for the review meeting: 汇总 (panel per subject), 明细 (one row per sheet) and
扣分明细 (one row per deduction).

xlsxwriter with `strings_to_formulas` (and `strings_to_urls`) off, and every text cell written
with `write_string`, so `=HYPERLINK(...)` typed as a subject name stays text (ecosystem.md §6).
Column widths are set by hand at about 2 units per wide (CJK) character: xlsxwriter's autofit
counts them as narrow.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from inspect_kit.domain.answers import display_value
from inspect_kit.domain.model import Form
from inspect_kit.exports.table import NA_TEXT, Cell, Labels, number, rows

SUMMARY, DETAIL, DEDUCTIONS = "汇总", "明细", "扣分明细"
MIN_WIDTH, MAX_WIDTH = 6, 40
METHOD_ZH = {"mean": "平均", "median": "中位数", "trimmed-mean": "去掉最高最低后平均"}


def text_width(text: str) -> int:
    """Display width: wide and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_width(header: str, values: Sequence[Cell]) -> float:
    widest = max([text_width(header)] + [text_width(_shown(v)) for v in values[:2000]])
    return float(min(MAX_WIDTH, max(MIN_WIDTH, widest + 2)))


def _shown(value: Cell) -> str:
    return "" if value is None else str(value)


class _Sheet:
    """Writes a header and rows to one worksheet with typed cells, widths and frozen header."""

    def __init__(self, book: Any, name: str, formats: dict[str, Any]):
        self.ws, self.formats = book.add_worksheet(name), formats

    def write(
        self,
        headers: Sequence[str],
        data: Sequence[Sequence[Cell]],
        freeze_cols: int = 0,
        widths: Mapping[int, float] | None = None,
    ) -> None:
        ws = self.ws
        for col, header in enumerate(headers):
            ws.write_string(0, col, header, self.formats["header"])
        for r, values in enumerate(data, start=1):
            for col, value in enumerate(values):
                if value is None or value == "":
                    continue
                if isinstance(value, bool):
                    ws.write_string(r, col, "是" if value else "否")
                elif isinstance(value, int | float):
                    ws.write_number(r, col, value, self.formats["number"])
                else:
                    ws.write_string(r, col, str(value))
        for col, header in enumerate(headers):
            column = [row[col] for row in data]
            width = (widths or {}).get(col) or column_width(header, column)
            ws.set_column(col, col, width)
        ws.freeze_panes(1, freeze_cols)
        if headers:
            ws.autofilter(0, 0, max(len(data), 1), len(headers) - 1)


def _summary_rows(
    records: Sequence[Mapping[str, Any]], forms: Mapping[str, Form]
) -> list[list[Cell]]:
    from inspect_kit.domain.panel import compute_panel

    by_form: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for record in records:
        by_form[record["form"]].append(record)
    out: list[list[Cell]] = []
    for form_id in sorted(by_form):
        group = by_form[form_id]
        # The newest form version among the sheets gives the panel rule and the grade bands.
        newest = max(group, key=lambda r: int(r.get("form_version") or 0))
        form = forms[newest["form_sha256"]]
        for round_ in sorted({str(r["round"]) for r in group}):
            panel = compute_panel(form, group, round_)
            for s in panel.subjects:
                totals = "；".join(f"{x.rater} {x.total:g}" for x in s.sheets)
                vetoes = "；".join(
                    f"{v.text}（{'、'.join(v.raters)}）" for v in s.vetoes if v.applies
                )
                selfs = "；".join(f"{x.final:g}" for x in s.self_assessments)
                out.append(
                    [
                        form.title,
                        round_,
                        s.rank,
                        s.subject,
                        s.subject_name,
                        s.rater_count,
                        METHOD_ZH.get(s.method, s.method),
                        totals,
                        "、".join(s.dropped) or None,
                        number(s.total),
                        number(s.bonus),
                        number(s.final),
                        number(s.spread),
                        number(s.sd),
                        "超限" if s.spread_flag else None,
                        s.grade,
                        vetoes or None,
                        s.grade_reason,
                        selfs or None,
                    ]
                )
    return out


SUMMARY_HEADERS = [
    "表单",
    "轮次",
    "名次",
    "对象编号",
    "对象名称",
    "评委数",
    "合议方法",
    "各评委总分",
    "去掉的评分",
    "合议总分",
    "加分",
    "最终得分",
    "极差",
    "标准差",
    "分差提示",
    "等级",
    "一票否决",
    "说明",
    "自评得分",
]
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
                    str(record["round"]),
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
) -> dict[str, int]:
    """Write the workbook; returns rows written per sheet name."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    counted = [r for r in records if r.get("status") != "void"]
    summary = _summary_rows(counted, forms)
    cols, detail = rows(records, forms, labels)
    deductions = _deduction_rows(records, forms)
    book = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
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
        }
        _Sheet(book, SUMMARY, formats).write(SUMMARY_HEADERS, summary, freeze_cols=5)
        detail_rows = [[row.get(c.key) for c in cols] for row in detail]
        _Sheet(book, DETAIL, formats).write(
            [c.header for c in cols], detail_rows, freeze_cols=0, widths={0: 12}
        )
        _Sheet(book, DEDUCTIONS, formats).write(DEDUCTION_HEADERS, deductions, freeze_cols=4)
    finally:
        book.close()
    return {SUMMARY: len(summary), DETAIL: len(detail), DEDUCTIONS: len(deductions)}
