"""The meeting pack's round-wide pages drawn with matplotlib: cover, ranking table, charts.

Each `draw_*` draws one planned page on an A4-landscape figure; `report.draw_page` picks the
drawer and adds the page footer. Every number comes from the round's `PanelView`: the cover's
grade counts are the view's, the chart pages draw `charts.data` of the same view.
"""

from __future__ import annotations

import datetime as dt
import importlib

from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from inspect_kit.base.textwidth import truncate, wrap
from inspect_kit.charts.data import ItemsData, RankingData, chart_data, grade_index
from inspect_kit.charts.style import A4_LANDSCAPE, DARK, GREY, RED, grade_colors
from inspect_kit.domain.panel import rater_totals_text
from inspect_kit.domain.panel_view import PanelView
from inspect_kit.pack.plan import Page

METHOD_NAMES = {"mean": "算术平均", "median": "中位数", "trimmed-mean": "去掉最高最低后平均"}


def draw_chart_page(view: PanelView, kind: str) -> Figure:
    module = importlib.import_module(f"inspect_kit.charts.{kind}")
    data = chart_data(kind, view)
    size = A4_LANDSCAPE
    if isinstance(data, RankingData | ItemsData) and hasattr(module, "size_for"):
        rows = len(data.rows) if isinstance(data, RankingData) else len(data.items)
        size = module.size_for(rows, A4_LANDSCAPE)
    fig: Figure = module.draw(data, size=size)
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(rect=(0, 0.035, 1, 0.965))  # room for the page footer
    return fig


def draw_cover(fig: Figure, view: PanelView, page: Page, today: dt.date) -> None:
    panel, form = view.panel, view.form
    fig.text(
        0.5,
        0.80,
        "\n".join(wrap(form.title, 44, 2)),
        ha="center",
        va="center",
        fontsize=26,
        linespacing=1.4,
    )
    fig.text(0.5, 0.66, f"{view.round} 年度评审会议材料", ha="center", fontsize=20, color=DARK)
    selfs = sum(len(s.self_assessments) for s in panel.subjects) + len(panel.self_only)
    lines = [
        ("表单", f"{form.form}（第 {form.version} 版）"),
        ("轮次", view.round),
        ("参评对象", f"{len(panel.subjects)} 个"),
        (
            "检查组评分表",
            f"{panel.sheets} 张" + (f"（另有自评 {selfs} 张，不计入）" if selfs else ""),
        ),
        ("评委", f"{len(panel.raters)} 人：" + truncate("、".join(panel.raters), 60)),
        ("计分规则", rule_text(view)),
        ("生成日期", today.isoformat()),
    ]
    y = 0.54
    for key, value in lines:
        fig.text(0.25, y, key, ha="right", fontsize=13, color="#616161")
        for line in wrap(value, 76, 2):
            fig.text(0.27, y, line, ha="left", fontsize=13)
            y -= 0.04
        y -= 0.012
    colors = grade_colors(len(form.grades))
    x = 0.27
    fig.text(0.25, y - 0.01, "等次", ha="right", fontsize=13, color="#616161")
    for grade, count in view.grade_counts.items():
        color = colors[grade_index(form, grade)]
        text = fig.text(
            x,
            y - 0.01,
            f"{grade} {count} 个",
            fontsize=13,
            color="white",
            bbox={"boxstyle": "round,pad=0.35", "fc": color, "ec": color},
        )
        x += 0.03 + 0.0125 * len(text.get_text())


def rule_text(view: PanelView) -> str:
    rule = view.form.panel
    text = METHOD_NAMES.get(rule.method, rule.method)
    if rule.method == "trimmed-mean":
        text = f"去掉 {rule.trim} 个最高分和最低分后平均（不足 {rule.min_raters} 人时算术平均）"
    veto = "任一评委提出即一票否决" if rule.veto == "any" else "过半数评委提出才一票否决"
    return f"{text}；加分同样汇总后另加；分差超过 {rule.max_spread:g} 分标记 ⚠；{veto}"


TABLE_COLUMNS = (  # (header, x, align, width in display columns)
    ("名次", 0.045, "right", 4),
    ("对象", 0.06, "left", 30),
    ("人数", 0.33, "right", 4),
    ("各评委总分（括号内为去掉的分数）", 0.35, "left", 40),
    ("小组得分", 0.70, "right", 24),
    ("等次", 0.72, "left", 10),
    ("分差", 0.83, "right", 8),
    ("否决（提出人）", 0.85, "left", 16),
)


def draw_table(fig: Figure, view: PanelView, page: Page, today: dt.date) -> None:
    cont = f"（续 {page.part + 1}/{page.parts}）" if page.part else ""
    fig.text(0.04, 0.94, f"排名表{cont}", fontsize=18, va="top")
    info = f"{truncate(view.form.title, 60)} · 轮次 {view.round} · {rule_text(view)}"
    fig.text(
        0.04,
        0.895,
        "\n".join(wrap(info, 150, 2)),
        fontsize=9.5,
        va="top",
        color="#616161",
        linespacing=1.4,
    )
    top, step = 0.83, 0.041
    for header, x, align, _ in TABLE_COLUMNS:
        fig.text(x, top, header, ha=align, fontsize=10.5, color="#616161")
    fig.add_artist(hline(fig, top - 0.012))
    colors = grade_colors(len(view.form.grades))
    for i, s in enumerate(page.rows):
        y = top - step * (i + 1)
        if i % 2 == 0:
            fig.patches.append(band(fig, y - 0.012, step))
        score = f"{s.total:g} + {s.bonus:g} = {s.final:g}" if s.bonus else f"{s.final:g}"
        vetoes = "、".join(dict.fromkeys(r for v in s.vetoes if v.applies for r in v.raters))
        cells = [
            str(s.rank),
            s.subject_name,
            str(s.rater_count),
            rater_totals_text(s),
            score,
            s.grade,
            f"{s.spread:g}" + (" ⚠" if s.spread_flag else ""),
            f"✗ {vetoes}" if vetoes else "",
        ]
        for (_, x, align, width), cell in zip(TABLE_COLUMNS, cells, strict=True):
            color = DARK
            if cell == s.grade:
                color = colors[grade_index(view.form, s.grade)]
            elif cell.startswith("✗") or cell.endswith("⚠"):
                color = RED
            fig.text(x, y, truncate(cell, width), ha=align, fontsize=10.5, color=color)


def hline(fig: Figure, y: float) -> Line2D:
    """A thin rule across the page under a table's header."""
    return Line2D([0.04, 0.97], [y, y], transform=fig.transFigure, color=GREY, lw=0.8)


def band(fig: Figure, y: float, height: float) -> Rectangle:
    """The light background of every other table row."""
    return Rectangle(
        (0.035, y), 0.94, height, transform=fig.transFigure, color="#f5f5f5", zorder=-1
    )
