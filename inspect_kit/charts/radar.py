"""`radar`: one subject's section profile (% of each section's points) against the round's median,
with the same figures as a small table beside it (the chart never relies on shape alone)."""

from __future__ import annotations

import math

from matplotlib.figure import Figure

from inspect_kit.base.textwidth import truncate
from inspect_kit.charts.chart_types import RadarData
from inspect_kit.charts.style import (
    BLUE,
    DARK,
    NOTE,
    RED,
    SCREEN,
    TICK,
    chart_title,
    form_line,
    label,
    new_figure,
)
from inspect_kit.domain.rounding import fmt_score


def draw(data: RadarData, size: tuple[float, float] = SCREEN) -> Figure:
    fig = new_figure(size)
    left, right = fig.subfigures(1, 2, squeeze=False, width_ratios=[1.35, 1])[0]
    if len(data.labels) >= RADAR_MIN:
        _radar(left, data)
    else:  # with few sections a radar's shape misleads: a bar per section reads better
        _bars(left, data)
    _table(right, data)
    score = data.score_text or f"{data.score:g}"
    marks = "（一票否决）" if data.vetoed else ""
    marks += "（评委不足）" if data.short_panel else ""
    chart_title(
        fig,
        f"{truncate(data.name, 40)}：得分结构{marks}",
        f"{form_line(data.title, data.round, 44)}  ·  小组得分 {score}，"
        f"{data.grade}，第 {data.rank}/{data.subjects} 名",
    )
    return fig


RADAR_MIN = 5
"""Fewer sections than this: a bar profile instead of a radar."""


def _radar(fig, data: RadarData) -> None:
    n = len(data.labels)
    ax = fig.add_subplot(projection="polar")
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    angles = [2 * math.pi * i / n for i in range(n)]
    closed = angles + angles[:1]
    ax.plot(
        closed,
        list(data.medians) + [data.medians[0]],
        color=DARK,
        ls="--",
        lw=2.2,
        label="本轮中位数",
    )
    ax.plot(closed, list(data.values) + [data.values[0]], color=BLUE, lw=3, label="本对象")
    ax.fill(closed, list(data.values) + [data.values[0]], color=BLUE, alpha=0.18)
    ax.set_ylim(0, 100)
    ax.set_yticks(
        [20, 40, 60, 80, 100],
        ["20%", "40%", "60%", "80%", "100%"],
        fontsize=NOTE - 3,
        color="#757575",
    )
    ax.set_rlabel_position(180 / n)
    ax.set_xticks(angles, [label(t, 12) for t in data.labels])
    ax.tick_params(axis="x", labelsize=TICK - 1, pad=10)
    # Anchor each section label on the side away from the circle, so long names on the left
    # and right never run into the outer ring or the percentage labels.
    for angle, text in zip(angles, ax.get_xticklabels(), strict=True):
        side = math.sin(angle)
        text.set_horizontalalignment("left" if side > 0.1 else "right" if side < -0.1 else "center")
    fig.legend(loc="outside lower center", ncol=2, fontsize=NOTE, frameon=False)


def _bars(fig, data: RadarData) -> None:
    """The profile as one bar per section (% of its points), the round's median as a mark."""
    ax = fig.add_subplot()
    ys = list(range(len(data.labels), 0, -1))
    ax.barh(ys, data.values, height=0.55, color=BLUE, alpha=0.8, label="本对象", zorder=2)
    ax.scatter(data.medians, ys, color=DARK, marker="|", s=1400, lw=3, label="本轮中位数",
               zorder=3)  # fmt: skip
    for y, value in zip(ys, data.values, strict=True):
        ax.text(102, y, f"{fmt_score(value, 0)}%", va="center", ha="left", fontsize=NOTE, zorder=4)
    ax.set_yticks(ys, [label(t, 16) for t in data.labels], fontsize=TICK)
    ax.set_ylim(0.4, len(ys) + 0.6)
    ax.set_xlim(0, 115)
    ax.set_xticks([0, 20, 40, 60, 80, 100], ["0", "20%", "40%", "60%", "80%", "100%"])
    ax.tick_params(axis="x", labelsize=TICK - 2)
    ax.grid(axis="x", alpha=0.3, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    fig.legend(loc="outside lower center", ncol=2, fontsize=NOTE, frameon=False, markerscale=0.4)


def _table(fig, data: RadarData) -> None:
    ax = fig.add_subplot()
    ax.axis("off")
    rows = len(data.labels) + 1
    step = min(0.1, 0.9 / rows)
    y = 0.95
    for x, text, ha in ((0.0, "部分", "left"), (0.72, "本对象", "right"), (1.0, "中位数", "right")):
        ax.text(x, y, text, ha=ha, va="top", fontsize=NOTE, color="#616161")
    for title, value, median in zip(data.labels, data.values, data.medians, strict=True):
        y -= step
        color = RED if value < median - 5 else (BLUE if value > median + 5 else DARK)
        ax.text(0.0, y, truncate(title, 20), ha="left", va="top", fontsize=NOTE + 1)
        ax.text(
            0.72, y, f"{fmt_score(value, 0)}%", ha="right", va="top", fontsize=NOTE + 1, color=color
        )
        ax.text(1.0, y, f"{fmt_score(median, 0)}%", ha="right", va="top", fontsize=NOTE + 1)
    ax.text(
        0.0,
        y - step,
        "红色：低于中位数 5 个百分点以上\n蓝色：高于中位数 5 个百分点以上",
        ha="left",
        va="top",
        fontsize=NOTE - 2,
        color="#616161",
        linespacing=1.4,
    )
