"""Data shown as text, never as markup: the one way names, notes and titles reach a widget.

Textual parses plain strings given to DataTable cells, Option prompts, Static and notify as
content markup, so a subject named `紫荆[/red]学校` would crash the screen (MarkupError) and
`[link=…]` or `[@click=…]` in a name would become a link or an action. A rich `Text` is never
parsed; `plain` builds one from the data made terminal-safe (base/safe_text.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from inspect_kit.base.safe_text import safe_text


def plain(value: object, style: str = "") -> Text:
    """`value` as literal text (a Text passes through: it is never parsed as markup)."""
    if isinstance(value, Text):
        return value
    return Text(safe_text(value, multiline=True), style=style)


def plain_cells(cells: Iterable[object]) -> list[Text]:
    """One DataTable row (or rich Table row) of literal cells."""
    return [plain(c) for c in cells]
