"""`sections`: each section's panel score as % of its points, one box per section."""

from __future__ import annotations

from matplotlib.figure import Figure

from inspect_kit.charts.chart_types import SectionsData
from inspect_kit.charts.style import (
    LABEL,
    NOTE,
    RED,
    SCREEN,
    TICK,
    chart_title,
    form_line,
    label,
    new_figure,
)


def draw(data: SectionsData, size: tuple[float, float] = SCREEN) -> Figure:
    fig = new_figure(size)
    ax = fig.add_subplot()
    n = len(data.sections)
    positions = list(range(n, 0, -1))  # first section at the top
    ax.boxplot(
        [s.percents for s in data.sections],
        positions=positions,
        orientation="horizontal",
        widths=0.55,
        patch_artist=True,
        showfliers=True,
        boxprops={"facecolor": "#bbdefb", "edgecolor": "#0d47a1", "linewidth": 1.5},
        medianprops={"color": "#0d47a1", "linewidth": 3},
        whiskerprops={"linewidth": 1.5},
        capprops={"linewidth": 1.5},
        flierprops={"marker": "o", "markersize": 7, "markerfacecolor": "#90a4ae"},
    )
    for pos, section in zip(positions, data.sections, strict=True):
        ax.text(101.5, pos, f"中位 {section.median:.0f}%", va="center", ha="left", fontsize=NOTE)
    for _grade, percent in data.thresholds:
        ax.axvline(percent, color=RED, ls="--", lw=1.8, zorder=0)
    shown = sorted({p for _, p in data.thresholds})
    for percent in shown:
        names = "、".join(g for g, p in data.thresholds if p == percent)
        ax.text(
            percent,
            n + 0.55,
            f"{names}要求 ≥{percent:g}%",
            color=RED,
            fontsize=NOTE,
            ha="center",
            va="bottom",
        )
    ax.set_yticks(positions, [label(f"{s.title}（{s.points:g} 分）", 22) for s in data.sections])
    ax.set_xlim(0, 100)
    ax.set_ylim(0.4, n + 1.1)
    ax.set_xlabel("得分率（%，各对象小组得分 ÷ 该部分分值）", fontsize=LABEL)
    ax.tick_params(labelsize=TICK)
    ax.grid(axis="x", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlim(0, 100)
    ax.set_clip_on(False)
    chart_title(fig, "各部分得分率", form_line(data.title, data.round))
    return fig
