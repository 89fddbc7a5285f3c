"""`hist`: panel scores of the round with grade bands shaded and labelled, mean and median."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from inspect_kit.charts.data import HistData, bin_counts
from inspect_kit.charts.style import (
    DARK,
    LABEL,
    NOTE,
    SCREEN,
    TICK,
    chart_title,
    form_line,
    grade_colors,
    new_figure,
)


def draw(data: HistData, size: tuple[float, float] = SCREEN) -> Figure:
    fig = new_figure(size)
    ax = fig.add_subplot()
    colors = grade_colors(len(data.bands))
    counts = bin_counts(data)
    peak = max(counts or [0]) or 1
    y_top = peak * 1.45 + 0.5
    for band, color in zip(data.bands, colors, strict=True):
        low, high = max(band.low, data.x_min), band.high
        if high <= data.x_min:
            continue
        ax.axvspan(low, high, color=color, alpha=0.13, lw=0)
        ax.text(
            (low + high) / 2,
            y_top * 0.97,
            f"{band.grade}\n≥{band.low:g} 分\n{band.count} 个",
            ha="center",
            va="top",
            fontsize=NOTE,
            color=color,
            linespacing=1.3,
        )
    widths = [b - a for a, b in zip(data.bins, data.bins[1:], strict=False)]
    ax.bar(
        data.bins[:-1],
        counts,
        width=widths,
        align="edge",
        color="#546e7a",
        edgecolor="white",
        linewidth=1.5,
        zorder=3,
    )
    for x, w, c in zip(data.bins, widths, counts, strict=False):
        if c:
            ax.text(
                x + w / 2,
                c + peak * 0.02,
                str(c),
                ha="center",
                va="bottom",
                fontsize=NOTE,
                zorder=4,
            )
    ax.axvline(data.mean, color=DARK, lw=2.5, ls="--", zorder=5, label=f"平均 {data.mean:.1f}")
    ax.axvline(
        data.median, color="#6a1b9a", lw=2.5, ls=":", zorder=5, label=f"中位数 {data.median:.1f}"
    )
    ax.set_xlim(data.x_min, data.x_max)
    ax.set_ylim(0, y_top)
    ax.set_xlabel("小组得分（总分 + 加分）", fontsize=LABEL)
    ax.set_ylabel("对象数", fontsize=LABEL)
    locator = ax.yaxis.get_major_locator()
    if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
        locator.set_params(integer=True)
    ax.tick_params(labelsize=TICK)
    ax.grid(axis="y", alpha=0.3, zorder=0)
    ax.legend(fontsize=NOTE, loc="center left", framealpha=0.9)
    chart_title(fig, f"总分分布（{len(data.scores)} 个对象）", form_line(data.title, data.round))
    return fig
