"""`ranking`: panel score per subject (rank order), raters' min–max whiskers, grade colours
with the grade written in a column right of every bar (clear of bars and whiskers), vetoed
subjects hatched and marked ✗ 否决, downgraded ↓, 评委不足 ⚑. Paged at about 25 rows per A4
page (`data.ranking_pages`); names are wrapped, never cut."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from inspect_kit.charts.chart_types import RankingData, ranking_pages, row_note
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
    label,
    new_figure,
)

A4_PORTRAIT = (8.27, 11.69)
NAME_COLUMNS = 24
"""A name wraps at this display width (12 CJK characters), onto as many lines as it needs."""
SCREEN_NAME_COLUMNS = 32
"""On a slide-wide figure names wrap later (16 CJK characters)."""
SCREEN_ROWS = 12
"""Up to this many rows fit a 16:9 slide; more go on A4 portrait pages."""


def size_for(rows: int, base: tuple[float, float] = SCREEN) -> tuple[float, float]:
    """A slide-wide figure for a short list (taller with more rows, so wrapped names keep
    apart), an A4 portrait page for a page of a long one."""
    if rows > SCREEN_ROWS:
        return A4_PORTRAIT
    return base[0], max(base[1], 2.6 + 0.55 * rows)


def draw_pages(data: RankingData) -> list[Figure]:
    """One figure per page of about 25 rows."""
    return [draw(page) for page in ranking_pages(data)]


def draw(data: RankingData, size: tuple[float, float] | None = None) -> Figure:
    rows = data.rows
    n = len(rows)
    fig = new_figure(size or size_for(n))
    ax = fig.add_subplot()
    colors = grade_colors(len(data.grades))
    ys = list(range(n, 0, -1))
    small = n > SCREEN_ROWS
    tick = TICK - 4 if small else TICK
    note = NOTE - 4 if small else NOTE
    # Every note starts in one column right of the axis' score range, so it never sits on a
    # bar or a whisker whatever the score.
    note_x = data.x_max * 1.03
    for y, row in zip(ys, rows, strict=True):
        color = colors[row.grade_index]
        ax.barh(
            y,
            row.score,
            height=0.62,
            color=color,
            alpha=0.85,
            hatch="//" if row.vetoed else None,
            edgecolor=VETO if row.vetoed else color,
            zorder=2,
        )
        ax.plot([row.low, row.high], [y, y], color=DARK, lw=1.6, zorder=3)
        ax.plot([row.low, row.low], [y - 0.18, y + 0.18], color=DARK, lw=1.6, zorder=3)
        ax.plot([row.high, row.high], [y - 0.18, y + 0.18], color=DARK, lw=1.6, zorder=3)
        ax.text(note_x, y, row_note(row), va="center", ha="left", fontsize=note,
                color=VETO if row.vetoed else DARK, zorder=4)  # fmt: skip
    columns = NAME_COLUMNS if small else SCREEN_NAME_COLUMNS
    names = [label(f"{r.rank}. {r.name}", columns, lines=99) for r in rows]
    ax.set_yticks(ys, names, fontsize=tick, linespacing=1.1)
    ax.set_ylim(0.4, n + 0.6)
    ax.set_xlim(0, data.x_max * (1.55 if small else 1.5))
    ax.set_xticks([t for t in ax.get_xticks() if 0 <= t <= data.x_max])
    ax.tick_params(axis="x", labelsize=tick)
    ax.set_xlabel(
        "小组得分（总分 + 加分）；黑线：各评委的最低分—最高分", fontsize=LABEL - 3 * small
    )
    ax.grid(axis="x", alpha=0.3, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    ax.axvline(data.x_max, color="#bdbdbd", lw=0.8, zorder=1)
    handles = [
        Patch(color=c, alpha=0.85, label=g) for g, c in zip(data.grades, colors, strict=True)
    ]
    handles.append(Patch(facecolor="white", edgecolor=VETO, hatch="//", label="✗ 一票否决"))
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 5),
               fontsize=NOTE - 3 * small, frameon=False)  # fmt: skip
    total = data.subjects or n
    page = f"，第 {data.page}/{data.pages} 页" if data.pages > 1 else ""
    first, last = (rows[0].rank, rows[-1].rank) if rows else (0, 0)
    what = f"排名（{total} 个对象{page}" + (f"：第 {first}–{last} 名）" if page else "）")
    columns = 44 if small else 70
    chart_title(fig, what, form_line(data.title, data.round, columns), size=18 if small else 22)
    return fig
