"""A roster entry (Subject): what is inspected, as the roster, the store and every screen see it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from inspect_kit.domain.conditions import SUBJECT_FIELDS


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


@dataclass(frozen=True)
class SubjectFacts:
    """The facts about a subject that a sheet is scored under (level-aware bands, `show_if`
    on `subject.tags`). Kept with the sheet, so re-scoring it later gives the same result even
    after the roster changes."""

    kind: str = ""
    level: str = ""
    tags: tuple[str, ...] = ()
    district: str = ""

    @classmethod
    def of(cls, subject: Subject | None) -> SubjectFacts | None:
        if subject is None:
            return None
        return cls(kind=subject.kind, level=subject.level, tags=tuple(subject.tags),
                   district=subject.district)  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "level": self.level, "tags": list(self.tags),
                "district": self.district}  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> SubjectFacts | None:
        if not isinstance(data, Mapping):
            return None
        tags = data.get("tags") or ()
        return cls(
            kind=str(data.get("kind") or ""),
            level=str(data.get("level") or ""),
            tags=tuple(str(t) for t in tags) if isinstance(tags, (list, tuple)) else (),
            district=str(data.get("district") or ""),
        )


def subject_env(facts: SubjectFacts | None) -> dict[str, object]:
    """The condition names `subject.*` and their values (None when the sheet has no facts)."""
    if facts is None:
        return {f"subject.{name}": None for name in SUBJECT_FIELDS}
    return {f"subject.{name}": getattr(facts, name) for name in SUBJECT_FIELDS}
