"""`ranking`: panel score per subject (rank order), raters' min–max whiskers, grade colours
with the grade written beside every bar, vetoed subjects hatched and marked ✗ 否决."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from inspect_kit.base.textwidth import truncate
from inspect_kit.charts.data import RankingData
from inspect_kit.charts.style import (
    DARK,
    LABEL,
    NOTE,
    SCREEN,
    TICK,
    VETO,
    chart_title,
    form_line,
    grade_colors,
    new_figure,
)

NAME_COLUMNS = 28


def size_for(rows: int, base: tuple[float, float] = SCREEN) -> tuple[float, float]:
    """Taller figures for long lists, so every row keeps a readable height."""
    return base[0], max(base[1], 2.6 + 0.42 * rows)


def draw(data: RankingData, size: tuple[float, float] | None = None) -> Figure:
    rows = data.rows
    fig = new_figure(size or size_for(len(rows)))
    ax = fig.add_subplot()
    colors = grade_colors(len(data.grades))
    n = len(rows)
    ys = list(range(n, 0, -1))
    small = n > 24
    tick = TICK - 3 if small else TICK
    note = NOTE - 3 if small else NOTE
    for y, row in zip(ys, rows, strict=True):
        color = colors[row.grade_index]
        ax.barh(
            y,
            row.score,
            height=0.68,
            color=color,
            alpha=0.85,
            hatch="//" if row.vetoed else None,
            edgecolor=VETO if row.vetoed else color,
            zorder=2,
        )
        ax.plot([row.low, row.high], [y, y], color=DARK, lw=1.8, zorder=3)
        ax.plot([row.low, row.low], [y - 0.2, y + 0.2], color=DARK, lw=1.8, zorder=3)
        ax.plot([row.high, row.high], [y - 0.2, y + 0.2], color=DARK, lw=1.8, zorder=3)
        text = f"{row.score:.1f}  {row.grade}"
        if row.vetoed:
            text += "  ✗ 否决"
        if row.spread_flag:
            text += "  ⚠ 分差大"
        ax.text(
            max(row.high, row.score) + data.x_max * 0.012,
            y,
            text,
            va="center",
            ha="left",
            fontsize=note,
            color=VETO if row.vetoed else DARK,
            zorder=4,
        )
    ax.set_yticks(ys, [f"{r.rank}. {truncate(r.name, NAME_COLUMNS)}" for r in rows], fontsize=tick)
    ax.set_ylim(0.3, n + 0.7)
    ax.set_xlim(0, data.x_max * 1.42)
    ax.set_xticks([t for t in ax.get_xticks() if 0 <= t <= data.x_max])
    ax.tick_params(axis="x", labelsize=TICK)
    ax.set_xlabel("小组得分（总分 + 加分）；黑线：各评委的最低分—最高分", fontsize=LABEL)
    ax.grid(axis="x", alpha=0.3, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    handles = [
        Patch(color=c, alpha=0.85, label=g) for g, c in zip(data.grades, colors, strict=True)
    ]
    handles.append(Patch(facecolor="white", edgecolor=VETO, hatch="//", label="✗ 一票否决"))
    fig.legend(
        handles=handles, loc="outside lower center", ncol=len(handles), fontsize=NOTE, frameon=False
    )
    chart_title(fig, f"排名（{n} 个对象）", form_line(data.title, data.round))
    return fig
