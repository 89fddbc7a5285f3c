"""The ranking chart drawn by typst itself (vector, real text, every subject): the same rows,
whiskers, marks and ~25-row pages as `charts/ranking.py` (`charts.data` computes both), laid
out by `typst/pack.typ` (`rank-page`). matplotlib took ~0.9 s per page of it; typst, a few ms.
"""

from __future__ import annotations

from typing import Any

from inspect_kit.charts.data import ranking_data, ranking_pages, row_note
from inspect_kit.charts.palette import grade_colors
from inspect_kit.domain.panel_view import PanelView


def ranking_chart(view: PanelView) -> dict[str, Any]:
    """Pages of rows (label, score, raters' low–high, colour, note) and the axis and legend."""
    data = ranking_data(view)
    colors = grade_colors(len(data.grades))
    step = 20 if data.x_max > 60 else 10
    pages = []
    for page in ranking_pages(data):
        rows = [
            {
                "label": f"{r.rank}. {r.name}",
                "score": r.score,
                "low": r.low,
                "high": r.high,
                "color": colors[r.grade_index],
                "vetoed": r.vetoed,
                "note": row_note(r),
            }
            for r in page.rows
        ]
        first, last = (page.rows[0].rank, page.rows[-1].rank) if page.rows else (0, 0)
        where = f"第 {page.page}/{page.pages} 页：第 {first}–{last} 名" if page.pages > 1 else ""
        pages.append({"rows": rows, "where": where})
    return {
        "pages": pages,
        "subjects": data.subjects,
        "x_max": data.x_max,
        "ticks": list(range(0, int(data.x_max) + 1, step)),
        "legend": [{"grade": g, "color": c} for g, c in zip(data.grades, colors, strict=True)],
    }
