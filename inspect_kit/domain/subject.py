"""A roster entry (Subject): what is inspected, as the roster, the store and every screen see it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Subject:
    """A roster entry: a base, a committee, an enterprise or a school."""

    id: str
    name: str
    kind: str
    district: str = ""
    level: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["tags"] = list(self.tags)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Subject:
        return cls(
            id=str(data["id"]),
            name=str(data["name"]),
            kind=str(data.get("kind") or ""),
            district=str(data.get("district") or ""),
            level=str(data.get("level") or ""),
            tags=tuple(data.get("tags") or ()),
        )
