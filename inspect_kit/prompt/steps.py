"""The steps of a plain fill (items and vetoes in form order) and its outcome."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from inspect_kit.domain.model import Item, Section, Veto
from inspect_kit.domain.sheet import Sheet

NA = "__na__"
SKIP = "__skip__"
NA_WORDS = ("不适用", "na", "n/a")
TODAY_WORDS = ("今天", "today")


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
