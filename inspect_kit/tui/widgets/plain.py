"""A Static that shows text as typed: form text and names may contain [brackets]."""

from __future__ import annotations

from textual.widgets import Static


class Plain(Static):
    def __init__(self, content: object = "", **kwargs) -> None:
        super().__init__(content, markup=False, **kwargs)  # type: ignore[arg-type]
