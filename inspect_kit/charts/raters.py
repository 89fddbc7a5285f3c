"""`raters`: each rater's leniency: mean deviation from each subject's median of raters' totals.

|deviation| < 1 point reads 居中 (a grey band around zero): raters that close are not called
lenient or strict."""

from __future__ import annotations

from matplotlib.figure import Figure

from inspect_kit.base.textwidth import truncate
from inspect_kit.charts.chart_types import RatersData
from inspect_kit.charts.style import (
    BLUE,
    DARK,
    GREY,
    LABEL,
    NOTE,
    ORANGE,
    SCREEN,
    TICK,
    chart_title,
    form_line,
    new_figure,
)
from inspect_kit.domain.calibration import DRIFT_NOTABLE

NEUTRAL = 1.0
"""Points either side of zero that read 居中."""


def leaning(deviation: float) -> str:
    """偏宽 / 偏严 beyond the neutral band, 居中 inside it."""
    if abs(deviation) < NEUTRAL:
        return "居中"
    return "偏宽" if deviation > 0 else "偏严"


def draw(data: RatersData, size: tuple[float, float] = SCREEN) -> Figure:
    fig = new_figure(size)
    rounds = data.history[0].rounds if data.history else ()
    over_time = len(rounds) >= 2
    # With two or more rounds the right half shows each rater's leniency round by round.
    grid = fig.add_gridspec(1, 2, width_ratios=(3, 2), wspace=0.3) if over_time else None
    ax = fig.add_subplot(grid[0, 0]) if grid is not None else fig.add_subplot()
    raters = data.raters
    ys = list(range(len(raters), 0, -1))
    values = [r.deviation for r in raters]
    reach = max([abs(v) for v in values] + [NEUTRAL * 1.5])
    looks = {"偏宽": ORANGE, "偏严": BLUE, "居中": GREY}
    colors = [looks[leaning(v)] for v in values]
    ax.axvspan(-NEUTRAL, NEUTRAL, color=GREY, alpha=0.15, lw=0, zorder=0)
    ax.text(0, len(raters) + 0.55, f"居中（±{NEUTRAL:g} 分以内）", ha="center", va="bottom",
            fontsize=NOTE - 2, color="#616161", zorder=5,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 2})  # fmt: skip
    ax.barh(ys, values, color=colors, height=0.6, zorder=2)
    for y, r in zip(ys, raters, strict=True):
        word = leaning(r.deviation)
        ha = "left" if r.deviation >= 0 else "right"
        offset = reach * 0.03 * (1 if r.deviation >= 0 else -1)
        ax.text(
            r.deviation + offset,
            y,
            f"{r.deviation:+.2f} {word}" + ("" if over_time else f"（{r.subjects} 个对象）"),
            va="center",
            ha=ha,
            fontsize=NOTE,
        )
    ax.axvline(0, color=DARK, lw=1.5)
    ax.set_xlim(-reach * 1.9, reach * 1.9)
    ax.set_yticks(ys, [truncate(r.rater, 16) for r in raters], fontsize=TICK)
    ax.set_ylim(0.3, len(raters) + 1.2)
    xlabel = f"与各对象评委中位数之差的平均（分）：超过 +{NEUTRAL:g} 偏宽，低于 −{NEUTRAL:g} 偏严"
    if over_time:
        xlabel = f"本轮：与中位数之差（分），> +{NEUTRAL:g} 偏宽，< −{NEUTRAL:g} 偏严"
    ax.set_xlabel(xlabel, fontsize=LABEL)
    ax.tick_params(axis="x", labelsize=TICK)
    ax.grid(axis="x", alpha=0.3, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    chart_title(fig, f"评委宽严度（{len(raters)} 位评委）", form_line(data.title, data.round))
    if grid is not None:
        _drift(fig.add_subplot(grid[0, 1]), data)
    return fig


def _drift(ax, data: RatersData) -> None:
    """Leniency per round, one line per rater, its drift (last round − first) at the end."""
    rounds = [r.round for r in data.history[0].rounds]
    xs = list(range(len(rounds)))
    for index, rater in enumerate(data.history):
        points = [(x, r.deviation) for x, r in zip(xs, rater.rounds, strict=True)
                  if r.deviation is not None]  # fmt: skip
        if not points:
            continue
        color = ORANGE if rater.notable else (BLUE, GREY, DARK)[index % 3]
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", color=color,
                lw=2.2 if rater.notable else 1.2, zorder=3)  # fmt: skip
        drift = f"{rater.drift:+.2f}" if rater.drift is not None else "–"
        label = f"{truncate(rater.rater, 8)} 漂移 {drift}" + (" ⚠" if rater.notable else "")
        ax.annotate(label, points[-1], xytext=(6, 0), textcoords="offset points",
                    va="center", fontsize=NOTE - 2, color=color)  # fmt: skip
    ax.axhspan(-NEUTRAL, NEUTRAL, color=GREY, alpha=0.15, lw=0, zorder=0)
    ax.axhline(0, color=DARK, lw=1)
    ax.set_xticks(xs, rounds, fontsize=TICK)
    ax.set_xlim(-0.3, len(rounds) - 1 + 1.2)
    ax.set_ylabel("宽严度（分）", fontsize=LABEL)
    ax.set_xlabel(f"轮次（漂移 = 最后一轮 − 第一轮；⚠ 达 {DRIFT_NOTABLE:g} 分）", fontsize=LABEL)
    ax.tick_params(axis="y", labelsize=TICK)
    ax.grid(axis="y", alpha=0.3, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
