"""The meeting pack's page plan: which pages, in what order, holding what (nothing drawn).

A cover; the ranking table, continued over pages when long; the distribution charts; then one
page per subject, continued on further pages only when its deductions do not fit. Tests count
the pages from this plan; `report.build_report` draws them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from inspect_kit.base.errors import InspectKitError
from inspect_kit.base.textwidth import wrap
from inspect_kit.charts import KIND_NAMES
from inspect_kit.domain.panel import SubjectPanel
from inspect_kit.domain.panel_figures import Deduction
from inspect_kit.domain.panel_view import PanelView

REPORT_CHARTS = ("hist", "sections", "ranking", "items", "raters")
"""Chart pages, in order."""
TABLE_ROWS = 18
"""Ranking-table rows per page."""

# Deduction table on subject pages: column widths (display columns) and line budgets.
COL_ITEM, COL_RATER, COL_VALUE, COL_NOTE = 52, 8, 20, 54
FIRST_PAGE_LINES = 14
NEXT_PAGE_LINES = 32


@dataclass(frozen=True)
class DeductionRow:
    deduction: Deduction
    item_lines: tuple[str, ...]
    note_lines: tuple[str, ...]

    @property
    def height(self) -> int:
        return max(len(self.item_lines), len(self.note_lines), 1)


def deduction_rows(items: list[Deduction] | tuple[Deduction, ...]) -> list[DeductionRow]:
    return [
        DeductionRow(
            d,
            tuple(wrap(f"{d.text}", COL_ITEM, 3)),
            tuple(wrap(d.note or "（未写理由）", COL_NOTE)),
        )
        for d in items
    ]


def paginate(
    rows: list[DeductionRow], first: int = FIRST_PAGE_LINES, rest: int = NEXT_PAGE_LINES
) -> list[list[DeductionRow]]:
    """Split rows into pages: the first page holds `first` lines, the others `rest`."""
    pages: list[list[DeductionRow]] = [[]]
    budget = first
    for row in rows:
        if row.height > budget and pages[-1]:
            pages.append([])
            budget = rest
        pages[-1].append(row)
        budget -= row.height
    return pages


@dataclass(frozen=True)
class Page:
    kind: str
    """cover | table | chart | subject"""
    title: str
    part: int = 0
    parts: int = 1
    chart: str = ""
    rows: tuple[Any, ...] = field(default_factory=tuple)
    """Ranking-table pages: SubjectPanel rows; subject pages: DeductionRow rows."""
    subject: SubjectPanel | None = None


def plan_report(view: PanelView) -> list[Page]:
    """Every page of the meeting pack, in order, without drawing anything."""
    if not view.panel.subjects:
        raise InspectKitError(f"轮次 {view.round} 没有检查组评分，无法生成会议材料")
    pages = [Page("cover", "封面")]
    subjects = view.panel.subjects
    table_pages = math.ceil(len(subjects) / TABLE_ROWS)
    for i in range(table_pages):
        pages.append(
            Page(
                "table",
                "排名表",
                i,
                table_pages,
                rows=subjects[i * TABLE_ROWS : (i + 1) * TABLE_ROWS],
            )
        )
    pages += [Page("chart", KIND_NAMES[kind], chart=kind) for kind in REPORT_CHARTS]
    for subject in subjects:
        rows = deduction_rows(view.subject_deductions(subject.subject))
        parts = paginate(rows)
        for i, part in enumerate(parts):
            pages.append(
                Page(
                    "subject",
                    subject.subject_name,
                    i,
                    len(parts),
                    rows=tuple(part),
                    subject=subject,
                )
            )
    return pages
