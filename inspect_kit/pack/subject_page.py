"""The meeting pack's subject pages drawn with matplotlib: one page per subject, continued.

The first page: rank, name, panel score and grade; the section profile against the round's
median; every rater's total (dropped ones marked), self-assessments, vetoes with who raised them
and why. Every page: the subject's deductions (item, rater, answer, points, note) as planned by
`plan.paginate`. The median profile and the deductions are the round's `PanelView` figures.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import TICKDOWN, TICKLEFT
from matplotlib.transforms import offset_copy

from inspect_kit.base.textwidth import truncate, wrap
from inspect_kit.charts.data import grade_index
from inspect_kit.charts.style import BLUE, DARK, RED, grade_colors
from inspect_kit.domain.panel import SubjectPanel, rater_totals_text
from inspect_kit.domain.panel_view import PanelView
from inspect_kit.pack.pages import METHOD_NAMES, hline
from inspect_kit.pack.plan import COL_RATER, COL_VALUE, DeductionRow, Page

LINE = 0.0215
"""Height of one text line on subject pages, as a fraction of the page (9 pt on A4 landscape)."""


def draw_subject(fig: Figure, view: PanelView, page: Page, today: dt.date) -> None:
    s = page.subject
    assert s is not None
    cont = f"（续 {page.part + 1}/{page.parts}）" if page.part else ""
    fig.text(
        0.04, 0.955, f"第 {s.rank} 名  {truncate(s.subject_name, 44)}{cont}", fontsize=17, va="top"
    )
    score = f"{s.total:g} + 加分 {s.bonus:g} = {s.final:g}" if s.bonus else f"{s.final:g}"
    color = grade_colors(len(view.form.grades))[grade_index(view.form, s.grade)]
    fig.text(
        0.04,
        0.905,
        f"{s.subject} · 小组得分 {score} · 共 {len(view.panel.subjects)} 个对象",
        fontsize=11.5,
        va="top",
    )
    fig.text(
        0.97,
        0.955,
        s.grade + (" ✗ 一票否决" if s.vetoed else ""),
        fontsize=17,
        va="top",
        ha="right",
        color="white",
        bbox={"boxstyle": "round,pad=0.3", "fc": color, "ec": color},
    )
    y = 0.86
    if page.part == 0:
        draw_profile(fig, view, s)
        lines = [
            f"评委 {s.rater_count} 人（{METHOD_NAMES.get(s.method, s.method)}）："
            f"{rater_totals_text(s)}",
            f"分差 {s.spread:g}，标准差 {s.sd:g}" + ("  ⚠ 分差过大" if s.spread_flag else ""),
        ]
        for sheet in s.sheets:
            bonus = f" + {sheet.bonus:g}" if sheet.bonus else ""
            lines.append(
                f"  {truncate(sheet.rater, 12)}：{sheet.total:g}{bonus}  {sheet.grade}"
                + ("（去掉）" if sheet.rater in s.dropped else "")
            )
        for sheet in s.self_assessments:
            lines.append(f"  自评（不计入）：{sheet.final:g}  {sheet.grade}")
        for v in s.vetoes:
            who = "；".join(r.rater + (f"：{r.note}" if r.note else "") for r in v.raised_by)
            mark = "✗ 一票否决" if v.applies else "否决未过半（不生效）"
            lines.append(f"{mark}：{v.text}（{who}）")
        if s.grade_reason and not s.vetoed:
            lines.append(f"说明：{s.grade_reason}")
        wrapped = [w for line in lines for w in wrap(line, 62)]
        for line in wrapped[:16]:
            color = RED if line.startswith(("✗", "说明")) or "⚠" in line else DARK
            fig.text(0.52, y, line, fontsize=10, va="top", color=color)
            y -= 0.027
        y = 0.44
    draw_deductions(fig, page, y)


PROFILE_TICKS = (0, 20, 40, 60, 80, 100)


def draw_profile(fig: Figure, view: PanelView, s: SubjectPanel) -> None:
    """Section ratios as bars against the round's median (a tick on each bar).

    Drawn on an axes without its axis machinery (spines, ticks and labels are placed directly,
    where matplotlib's default axes would put them): the axis layout is the same on every
    subject page, and working it out each time was a large part of a page's drawing time.
    """
    medians = view.median_profile
    ax = fig.add_axes((0.17, 0.50, 0.29, 0.31))
    ax.set_axis_off()
    sections = [x for x in s.sections if x.id in medians]
    ys = list(range(len(sections), 0, -1))
    ax.barh(
        ys, [x.ratio * 100 for x in sections], color=BLUE, alpha=0.75, height=0.6, label="本对象"
    )
    ax.scatter(
        [medians[x.id] * 100 for x in sections],
        ys,
        marker="|",
        s=260,
        lw=2.5,
        color=DARK,
        zorder=3,
        label="本轮中位数",
    )
    for y, section in zip(ys, sections, strict=True):
        ax.text(101, y, f"{section.ratio * 100:.0f}%", va="center", fontsize=8.5)
    ax.set_xlim(0, 100)
    if sections:  # the limits autoscaling gives bars of height 0.6 (5% margins)
        low, high = 0.7, len(sections) + 0.3
        margin = 0.05 * (high - low)
        ax.set_ylim(low - margin, high + margin)
    # Spines (left, bottom), tick marks and tick labels as the default axes draws them.
    edge: dict[str, Any] = {
        "color": "black",
        "lw": 0.8,
        "clip_on": False,
        "transform": ax.transAxes,
    }
    ax.add_line(Line2D([0, 0], [0, 1], **edge))
    ax.add_line(Line2D([0, 1], [0, 0], **edge))
    ticks: dict[str, Any] = {
        "ls": "none",
        "color": "black",
        "markersize": 3.5,
        "mew": 0.8,
        "clip_on": False,
    }
    x_axis, y_axis = ax.get_xaxis_transform(), ax.get_yaxis_transform()
    ax.add_line(Line2D(PROFILE_TICKS, [0] * 6, transform=x_axis, **dict(ticks, marker=TICKDOWN)))
    ax.add_line(Line2D([0] * len(ys), ys, transform=y_axis, **dict(ticks, marker=TICKLEFT)))
    below = offset_copy(x_axis, fig=fig, y=-7, units="points")
    for tick in PROFILE_TICKS:
        ax.text(tick, 0, str(tick), transform=below, ha="center", va="top", fontsize=8.5)
    left = offset_copy(y_axis, fig=fig, x=-7, units="points")
    for y, section in zip(ys, sections, strict=True):
        ax.text(
            0, y, truncate(section.title, 20), transform=left, ha="right", va="center", fontsize=9
        )
    above = offset_copy(ax.transAxes, fig=fig, y=6, units="points")
    ax.text(0, 1, "各部分得分率（竖线：本轮中位数）", transform=above, fontsize=10.5, va="baseline")


def draw_deductions(fig: Figure, page: Page, y: float) -> None:
    rows: tuple[DeductionRow, ...] = page.rows
    columns = (
        (0.04, "扣分项目"),
        (0.37, "评委"),
        (0.45, "情况"),
        (0.60, "扣分"),
        (0.64, "扣分理由"),
    )
    count = sum(1 for _ in rows)
    title = "扣分明细" + (f"（{count} 条）" if page.part == 0 else "（续）")
    if not rows:
        fig.text(0.04, y, "扣分明细：各评委均未扣分。", fontsize=11, va="top")
        return
    fig.text(0.04, y, title, fontsize=12, va="top")
    y -= 0.035
    for x, header in columns:
        fig.text(x, y, header, fontsize=9, va="top", color="#616161")
    y -= LINE
    fig.add_artist(hline(fig, y + 0.004))
    y -= 0.004
    previous = None
    for row in rows:
        d = row.deduction
        same_item = d.item == previous
        previous = d.item
        for i, line in enumerate(() if same_item else row.item_lines):
            fig.text(0.04, y - i * LINE, line, fontsize=9, va="top")
        fig.text(0.37, y, truncate(d.rater, COL_RATER), fontsize=9, va="top")
        fig.text(0.45, y, truncate(d.value, COL_VALUE), fontsize=9, va="top")
        fig.text(0.615, y, f"−{d.lost:g}", fontsize=9, va="top", ha="right", color=RED)
        for i, line in enumerate(row.note_lines):
            fig.text(0.64, y - i * LINE, line, fontsize=9, va="top", color=DARK if d.note else RED)
        y -= LINE * row.height
