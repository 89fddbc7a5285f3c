"""`hist`: panel scores of the round with grade bands shaded and labelled, mean and median.

Above each band: how many subjects got that FINAL grade (the panel's count, so it matches the
ranking and the cover), the vetoed and downgraded among them said apart; the bars stack by
score, vetoed and downgraded subjects hatched, so a vetoed 98 is seen where it scored. The
range below the lowest grade's floor is always drawn and labelled with it ('<60 分' when 合格
starts at 60)."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from inspect_kit.charts.chart_types import HistData, band_label, bin_counts
from inspect_kit.charts.style import (
    DARK,
    LABEL,
    NOTE,
    ORANGE,
    SCREEN,
    TICK,
    VETO,
    chart_title,
    fixed_figure,
    form_line,
    grade_colors,
)
from inspect_kit.domain.rounding import fmt_score

KIND_LOOK = {
    # kind: (colour, hatch, legend)
    "score": ("#546e7a", None, "按得分定等"),
    "downgraded": (ORANGE, "..", "↓ 降等（有部分低于要求）"),
    "vetoed": (VETO, "//", "✗ 一票否决"),
}


def band_text(data: HistData, index: int) -> str:
    """The band's grade, its score range, and how many subjects got that FINAL grade."""
    band = data.bands[index]
    apart = [f"否决 {band.vetoed}"] if band.vetoed else []
    apart += [f"降等 {band.downgraded}"] if band.downgraded else []
    extra = f"\n（其中{'、'.join(apart)}）" if apart else ""
    return f"{band.grade}\n{band_label(data, index)}\n{band.count} 个{extra}"


PAD = 0.2
"""Inches of white around the chart's texts."""


def draw(data: HistData, size: tuple[float, float] = SCREEN) -> Figure:
    colors = grade_colors(len(data.bands))
    counts = bin_counts(data)
    peak = max(counts or [0]) or 1
    y_top = peak * 1.7 + 0.8
    # Fixed margins, from what the texts around the axes take at these font sizes: the two
    # title lines (top), tick labels, axis title and the one-row legend (bottom), the y axis
    # title and its tick labels (left; ~0.12 in a digit of the highest count).
    digits = len(str(int(y_top)))
    fig = fixed_figure(size, left=PAD + 0.62 + 0.12 * max(digits - 2, 0), right=PAD + 0.1,
                       top=PAD + 1.17, bottom=PAD + 1.2)  # fmt: skip
    ax = fig.add_subplot()
    for index, (band, color) in enumerate(zip(data.bands, colors, strict=True)):
        low, high = max(band.low, data.x_min), band.high
        if high <= data.x_min:
            continue
        ax.axvspan(low, high, color=color, alpha=0.13, lw=0)
        ax.text(
            (low + high) / 2,
            y_top * 0.97,
            band_text(data, index),
            ha="center",
            va="top",
            fontsize=NOTE,
            color=color,
            linespacing=1.3,
        )
    widths = [b - a for a, b in zip(data.bins, data.bins[1:], strict=False)]
    bottom = [0] * len(widths)
    for kind, (color, hatch, legend) in KIND_LOOK.items():
        part = bin_counts(data, kind) if data.kinds else (counts if kind == "score" else [])
        if not any(part):
            continue
        ax.bar(
            data.bins[:-1],
            part,
            width=widths,
            bottom=bottom,
            align="edge",
            color=color,
            hatch=hatch,
            edgecolor="white",
            linewidth=1.5,
            zorder=3,
            label=legend,
        )
        bottom = [b + c for b, c in zip(bottom, part, strict=True)]
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
    mean, median = fmt_score(data.mean, data.decimals), fmt_score(data.median, data.decimals)
    ax.axvline(data.mean, color=DARK, lw=2.5, ls="--", zorder=5, label=f"平均 {mean}")
    ax.axvline(data.median, color="#6a1b9a", lw=2.5, ls=":", zorder=5, label=f"中位数 {median}")
    ax.set_xlim(data.x_min, data.x_max)
    ax.set_ylim(0, y_top)
    ax.set_xlabel("小组得分（总分 + 加分）；区间上方为最终等次的对象数", fontsize=LABEL)
    ax.set_ylabel("对象数", fontsize=LABEL)
    locator = ax.yaxis.get_major_locator()
    if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
        locator.set_params(integer=True)
    ax.tick_params(labelsize=TICK)
    ax.grid(axis="y", alpha=0.3, zorder=0)
    # Below the plot, so it never covers bars or band labels.
    fig.legend(loc="lower center", bbox_to_anchor=(0.5, PAD / size[1]), ncol=5, fontsize=NOTE,
               frameon=False, borderaxespad=0)  # fmt: skip
    chart_title(fig, f"总分分布（{len(data.scores)} 个对象）", form_line(data.title, data.round),
                y=1 - PAD / size[1])  # fmt: skip
    return fig
