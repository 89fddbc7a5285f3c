"""`radar`: one subject's section profile (% of each section's points) against the round's median,
with the same figures as a small table beside it (the chart never relies on shape alone)."""

from __future__ import annotations

import math

from matplotlib.figure import Figure

from inspect_kit.base.textwidth import truncate
from inspect_kit.charts.data import RadarData
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


def draw(data: RadarData, size: tuple[float, float] = SCREEN) -> Figure:
    fig = new_figure(size)
    left, right = fig.subfigures(1, 2, squeeze=False, width_ratios=[1.35, 1])[0]
    if len(data.labels) >= 3:
        _radar(left, data)
    else:  # a radar needs three axes; fall back to bars
        _bars(left, data)
    _table(right, data)
    chart_title(
        fig,
        f"{truncate(data.name, 40)}：得分结构",
        f"{form_line(data.title, data.round, 44)}  ·  小组得分 {data.score:g}，"
        f"{data.grade}，第 {data.rank}/{data.subjects} 名",
    )
    return fig


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
    ax = fig.add_subplot()
    ys = list(range(len(data.labels), 0, -1))
    ax.barh(ys, data.values, color=BLUE, alpha=0.8, label="本对象")
    ax.scatter(data.medians, ys, color=DARK, marker="|", s=900, lw=3, label="本轮中位数", zorder=3)
    ax.set_yticks(ys, [label(t, 16) for t in data.labels], fontsize=TICK)
    ax.set_xlim(0, 100)
    fig.legend(loc="outside lower center", ncol=2, fontsize=NOTE, frameon=False)


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
        ax.text(0.72, y, f"{value:.0f}%", ha="right", va="top", fontsize=NOTE + 1, color=color)
        ax.text(1.0, y, f"{median:.0f}%", ha="right", va="top", fontsize=NOTE + 1)
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
