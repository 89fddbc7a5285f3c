"""The XLSX 汇总 and 计分说明 sheets: each subject's one panel result, and the method.

The 汇总 rows read `panel_view` (the same computation as `inspect-kit panel`, the charts and
the pack): scores as numbers, as shown (the form's decimals); one column per rater holding
that rater's total (the ones the trimmed mean dropped named in 去掉的评分); every reason and
flag (评委不足, spread, a voided sheet that changed the result). The 计分说明 rows are
`method_text`, the wording the meeting pack prints.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from inspect_kit.domain.conflicts import Conflict, split_conflicted
from inspect_kit.domain.method_text import method_text
from inspect_kit.domain.model import Form
from inspect_kit.domain.panel_view import PanelView, panel_view
from inspect_kit.domain.sheet_review import NOT_REQUIRED, approved_only
from inspect_kit.domain.trust_text import conflict_mark
from inspect_kit.exports.table import Cell, number

METHOD_ZH = {"mean": "平均", "median": "中位数", "trimmed-mean": "去掉最高最低后平均"}
BEFORE_RATERS = ["表单", "轮次", "名次", "对象编号", "对象名称", "地区", "级别", "评委数",
                 "评委不足", "合议方法"]  # fmt: skip
AFTER_RATERS = ["去掉的评分", "合议总分", "加分", "可得加分", "最终得分", "极差", "标准差",
                "分差提示", "等级", "降等", "一票否决", "说明", "提示", "自评得分"]  # fmt: skip
SCORE_HEADERS = {"合议总分", "加分", "最终得分", "极差", "自评得分"}
"""Columns shown with the form's decimals (the rater columns too)."""
RATER_PREFIX = "评委："


@dataclass(frozen=True)
class Summary:
    headers: list[str]
    rows: list[list[Cell]]
    score_columns: set[int]
    """Indexes of the columns holding scores (shown with the form's decimals)."""
    dropped: set[tuple[int, int]]
    """(row, column) of rater cells the trimmed mean dropped."""
    views: list[PanelView]


def views_of(
    records: Sequence[Mapping[str, Any]],
    forms: Mapping[str, Form],
    roster: Mapping[str, Mapping[str, Any]] | None = None,
    conflicts: Sequence[Conflict] = (),
    review_states: Mapping[Any, Any] | None = None,
) -> list[PanelView]:
    """One PanelView per form and round among the records (voided ones included, so a void
    that changed a result is named); sheets under a declared conflict (回避) are left out of
    their subject's panel, as `PanelsService.panel` does, and named in its 提示 column; a
    `review: required` form counts only approved sheets (services.panels.sheets_that_count)."""
    by_form: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for record in records:
        by_form[record["form"]].append(record)
    out = []
    for form_id in sorted(by_form):
        group, left_out = split_conflicted(by_form[form_id], conflicts)
        reasons = {c.key: c.reason for c in conflicts}
        named = [{**d, "conflict_reason": reasons[(d["form"], d["subject"], d["rater"])]}
                 for d in left_out]  # fmt: skip
        # The newest form version among the sheets gives the panel rule and the grade bands.
        newest = max(group, key=lambda r: int(r.get("form_version") or 0))
        form = forms[newest["form_sha256"]]
        rounds = {str(r["round"]) for r in group if r.get("status") != "void"}
        for round_ in sorted(rounds):
            counted, review = group, NOT_REQUIRED
            if form.review == "required":
                counted, review = approved_only(group, review_states or {}, form.form, round_)
            view = panel_view(form, counted, round_, roster, review=review, conflicted=named)
            if view.panel.subjects:
                out.append(view)
    return out


def round_cell(value: Any) -> Cell:
    """A round as a number where it is one ('2026' -> 2026), else as written."""
    text = str(value)
    return int(text) if text.isdigit() else text


def summary(views: Sequence[PanelView]) -> Summary:
    raters = sorted({s.rater for v in views for subject in v.subjects for s in subject.sheets})
    headers = BEFORE_RATERS + [RATER_PREFIX + r for r in raters] + AFTER_RATERS
    first_rater = len(BEFORE_RATERS)
    rows: list[list[Cell]] = []
    dropped: set[tuple[int, int]] = set()
    for view in views:
        for s in view.subjects:
            by_rater: list[Cell] = [None] * len(raters)
            for sheet in s.sheets:
                column = raters.index(sheet.rater)
                by_rater[column] = number(sheet.total)
                if not sheet.kept:
                    dropped.add((len(rows), first_rater + column))
            vetoes = "；".join(r.text for r in s.reasons if r.kind in ("veto", "fail"))
            notes = "；".join(r.text for r in s.reasons if r.kind in ("section_min", "veto_short"))
            recused = [conflict_mark(d) for d in view.subject_conflicts(s.subject)]
            flags = "；".join([f.text for f in s.flags] + recused)
            selfs = [number(x.final) for x in s.self_assessments]
            self_cell: Cell = selfs[0] if len(selfs) == 1 else (
                "；".join(s.fmt(x.final) for x in s.self_assessments) or None)  # fmt: skip
            rows.append(
                [
                    view.form.title,
                    round_cell(view.round),
                    s.rank,
                    s.subject,
                    s.subject_name,
                    s.district or None,
                    s.level or None,
                    s.rater_count,
                    "评委不足" if s.short_panel else None,
                    METHOD_ZH.get(s.method, s.method),
                    *by_rater,
                    "、".join(s.dropped) or None,
                    number(s.total),
                    number(s.bonus) if s.bonus_possible else None,
                    number(s.bonus_possible) if s.bonus_possible else None,
                    number(s.final),
                    number(s.spread),
                    number(s.sd),
                    "超限" if s.spread_flag else None,
                    s.grade,
                    "是" if s.downgraded else None,
                    vetoes or None,
                    notes or None,
                    flags or None,
                    self_cell,
                ]
            )
    scores = {i for i, h in enumerate(headers) if h in SCORE_HEADERS or h.startswith(RATER_PREFIX)}
    return Summary(headers, rows, scores, dropped, list(views))


def method_rows(views: Sequence[PanelView]) -> list[list[Cell]]:
    """表单, 标题, 说明: the method text of each form (once per form), as the pack prints it."""
    out: list[list[Cell]] = []
    seen = set()
    for view in views:
        if view.form.form in seen:
            continue
        seen.add(view.form.form)
        for part in method_text(view.form, "zh"):
            for index, line in enumerate(part.lines):
                out.append([view.form.title, part.title if index == 0 else None, line])
    return out
