"""A Static that shows text as typed: form text and names may contain [brackets]."""

from __future__ import annotations

from textual.widgets import Static

from inspect_kit.base.safe_text import safe_lines


class Plain(Static):
    """Never parses markup, and strips terminal control sequences from the strings it shows."""

    def __init__(self, content: object = "", **kwargs) -> None:
        if isinstance(content, str):
            content = safe_lines(content)
        super().__init__(content, markup=False, **kwargs)  # type: ignore[arg-type]

    def update(self, content: object = "", *, layout: bool = True) -> None:
        super().update(safe_lines(content) if isinstance(content, str) else content,  # type: ignore[arg-type]
                       layout=layout)  # fmt: skip
