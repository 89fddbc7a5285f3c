"""`items`: where subjects lose points: items ranked by the average points lost per sheet."""

from __future__ import annotations

from matplotlib.figure import Figure

from inspect_kit.charts.chart_types import ItemsData
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


def size_for(rows: int, base: tuple[float, float] = SCREEN) -> tuple[float, float]:
    return base[0], max(base[1], 1.8 + 0.5 * rows)


def draw(data: ItemsData, size: tuple[float, float] | None = None) -> Figure:
    items = data.items
    fig = new_figure(size or size_for(len(items)))
    ax = fig.add_subplot()
    if not items:
        ax.axis("off")
        ax.text(0.5, 0.5, "本轮没有扣分", ha="center", va="center", fontsize=LABEL)
        chart_title(fig, "失分最多的指标", form_line(data.title, data.round))
        return fig
    ys = list(range(len(items), 0, -1))
    peak = max(i.mean_lost for i in items)
    ax.barh(ys, [i.mean_lost for i in items], height=0.66, color=RED, alpha=0.8, zorder=2)
    for y, item in zip(ys, items, strict=True):
        ax.text(
            item.mean_lost + peak * 0.015,
            y,
            f"{item.mean_lost:.2f} / {item.max:g} 分（{item.sheets_losing}/{item.sheets} 张扣分）",
            va="center",
            ha="left",
            fontsize=NOTE - 1,
        )
    ax.set_yticks(ys, [label(i.text, 34, 2) for i in items], fontsize=TICK - 2)
    ax.set_xlim(0, peak * 1.55)
    ax.set_ylim(0.4, len(items) + 0.6)
    ax.set_xlabel("平均每张评分表扣分（分）", fontsize=LABEL)
    ax.tick_params(axis="x", labelsize=TICK)
    ax.grid(axis="x", alpha=0.3, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    chart_title(fig, f"失分最多的 {len(items)} 项指标", form_line(data.title, data.round))
    return fig
