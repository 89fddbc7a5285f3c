"""Plain-text tables for the terminal, aligned by display width (a Chinese character takes two
columns), so names like 东钱湖青少年科普教育基地 line up with Latin ids."""

from __future__ import annotations

from collections.abc import Sequence

from inspect_kit.base.textwidth import pad, truncate, width


def table_lines(rows: Sequence[Sequence[str]], header: Sequence[str] | None = None, *,
                align: str = "", max_width: dict[int, int] | None = None,
                gap: int = 2) -> list[str]:  # fmt: skip
    """`rows` (and `header` first) as lines; `align` gives each column '<' or '>' (default '<'),
    `max_width` caps a column (longer text ends with …). Trailing spaces are dropped."""
    caps = max_width or {}
    everything = [list(header)] if header else []
    everything += [[truncate(c, caps[i]) if i in caps else c for i, c in enumerate(row)]
                   for row in rows]  # fmt: skip
    if not everything:
        return []
    count = max(len(row) for row in everything)
    widths = [max((width(row[i]) for row in everything if i < len(row)), default=0)
              for i in range(count)]  # fmt: skip
    lines = []
    for row in everything:
        cells = [pad(cell, widths[i], align[i] if i < len(align) else "<")
                 for i, cell in enumerate(row)]  # fmt: skip
        lines.append((" " * gap).join(cells).rstrip())
    return lines
