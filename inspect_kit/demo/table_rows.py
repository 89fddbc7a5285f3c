"""Demo rows for `table` items: an activity log as a base keeps it (dated before the visit,
themes a 关工委 office would recognise, head counts of a class or a school year)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from inspect_kit.domain.model import TableItem

THEMES = (  # not tied to a season, since the dates are drawn across the year
    "“红领巾讲解员”培训",
    "法治进校园讲座",
    "国防教育参观",
    "科普体验活动",
    "“五老”讲传统故事会",
    "劳动实践体验课",
    "心理健康团体辅导",
    "红色研学",
    "生态环保志愿服务",
    "爱国主义主题观影",
    "家风家训分享会",
    "非遗手工体验",
)


def demo_rows(item: TableItem, quality: float, rng: random.Random, when: dt.date) -> list[dict]:
    """Rows for a subject of this quality (0 poor .. 1 excellent), all dated before `when`."""
    top = max((b.min for b in item.bands), default=0) or ((item.max or 3) / (item.per or 1))
    count = int(max(0, round(rng.gauss(quality, 0.25) * top * 1.2)))
    count = min(count, item.max_rows)
    start = dt.date(when.year, 1, 1)
    span = max(1, (when - start).days)
    days = sorted(rng.sample(range(span), min(count, span)))
    rows = []
    for day in days:
        cells: dict[str, Any] = {}
        for column in item.columns:
            if column.type == "date":
                cells[column.id] = (start + dt.timedelta(days=day)).isoformat()
            elif column.type == "number":
                cells[column.id] = rng.randint(20, 200)
            elif column.type == "choice":
                cells[column.id] = rng.choice(column.options)
            else:
                cells[column.id] = rng.choice(THEMES)
        rows.append(cells)
    return rows
