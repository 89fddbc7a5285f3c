"""The 失分最多的指标 chart drawn by typst itself (`typst/pack.typ`, `items-page`): the same
items, bars and notes as `charts/items.py` (both read `charts.data.items_data`), with labels
wrapped rather than cut. matplotlib took ~0.5 s to save it as SVG; typst, a few ms.
"""

from __future__ import annotations

import math
from typing import Any

from inspect_kit.charts.data import items_data
from inspect_kit.domain.panel_view import PanelView


def nice_step(peak: float, ticks: int = 6) -> float:
    """A 1/2/5 × 10^n axis step giving about `ticks` gridlines up to `peak`."""
    if peak <= 0:
        return 1.0
    raw = peak / ticks
    base = 10 ** math.floor(math.log10(raw))
    return next(m * base for m in (1, 2, 5, 10) if m * base >= raw)


def items_chart(view: PanelView) -> dict[str, Any]:
    """Rows (label, value, note) most points lost first, the axis end and its ticks."""
    data = items_data(view)
    peak = max((i.mean_lost for i in data.items), default=0.0)
    x_max = peak * 1.55 if peak > 0 else 1.0
    step = nice_step(x_max)
    ticks = [round(k * step, 6) for k in range(int(x_max / step + 1e-9) + 1)]
    rows = [
        {
            "label": i.text,
            "value": i.mean_lost,
            "note": f"{i.mean_lost:.2f} / {i.max:g} 分（{i.sheets_losing}/{i.sheets} 张扣分）",
        }
        for i in data.items
    ]
    return {
        "title": f"失分最多的 {len(rows)} 项指标" if rows else "失分最多的指标",
        "rows": rows,
        "x_max": x_max,
        "ticks": [{"at": t, "text": f"{t:g}"} for t in ticks],
        "axis": "平均每张评分表扣分（分）",
    }
