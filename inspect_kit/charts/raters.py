"""`raters`: each rater's leniency: mean deviation from each subject's median of raters' totals."""

from __future__ import annotations

from matplotlib.figure import Figure

from inspect_kit.base.textwidth import truncate
from inspect_kit.charts.data import RatersData
from inspect_kit.charts.style import (
    BLUE,
    DARK,
    LABEL,
    NOTE,
    ORANGE,
    SCREEN,
    TICK,
    chart_title,
    form_line,
    new_figure,
)


def draw(data: RatersData, size: tuple[float, float] = SCREEN) -> Figure:
    fig = new_figure(size)
    ax = fig.add_subplot()
    raters = data.raters
    ys = list(range(len(raters), 0, -1))
    values = [r.deviation for r in raters]
    reach = max([abs(v) for v in values] + [1.0])
    colors = [ORANGE if v > 0 else BLUE for v in values]
    ax.barh(ys, values, color=colors, height=0.6, zorder=2)
    for y, r in zip(ys, raters, strict=True):
        word = "偏宽" if r.deviation > 0 else ("偏严" if r.deviation < 0 else "居中")
        ha = "left" if r.deviation >= 0 else "right"
        offset = reach * 0.03 * (1 if r.deviation >= 0 else -1)
        ax.text(
            r.deviation + offset,
            y,
            f"{r.deviation:+.2f} {word}（{r.subjects} 个对象）",
            va="center",
            ha=ha,
            fontsize=NOTE,
        )
    ax.axvline(0, color=DARK, lw=1.5)
    ax.set_xlim(-reach * 1.9, reach * 1.9)
    ax.set_yticks(ys, [truncate(r.rater, 16) for r in raters], fontsize=TICK)
    ax.set_ylim(0.3, len(raters) + 0.7)
    ax.set_xlabel("与各对象评委中位数之差的平均（分）：正数偏宽，负数偏严", fontsize=LABEL)
    ax.tick_params(axis="x", labelsize=TICK)
    ax.grid(axis="x", alpha=0.3, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    chart_title(fig, f"评委宽严度（{len(raters)} 位评委）", form_line(data.title, data.round))
    return fig
