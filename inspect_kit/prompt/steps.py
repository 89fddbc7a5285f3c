"""The steps of a plain fill (items and vetoes in form order), the answers' markers, the outcome."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from inspect_kit.domain.model import Item, Section, Veto
from inspect_kit.domain.sheet import Sheet

NA = "__na__"
SKIP = "__skip__"
"""Clear the answer: the inspector asked for it explicitly (an entry picked, a field emptied)."""
KEEP = "__keep__"
"""Leave the item as it is: what Enter alone gives on a list, so it never answers or changes."""
NONE = "__none__"
"""Ticked "none of these": an explicit empty answer of a checklist, never Enter on no ticks."""
NA_WORDS = ("不适用", "na", "n/a")


@dataclass
class FillResult:
    """How a plain fill ended: finalized, saved as a draft, or interrupted (draft saved)."""

    status: Literal["final", "saved", "interrupted"]
    sheet: Sheet
    record: dict[str, Any] | None = None


@dataclass(frozen=True)
class Step:
    """One question: an item of a section, or a veto (一票否决) at the end."""

    section: Section | None
    item: Item | None = None
    veto: Veto | None = None

    @property
    def key(self) -> str:
        return self.item.id if self.item else self.veto.id  # type: ignore[union-attr]
