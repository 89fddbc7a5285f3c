"""Answers: what an inspector entered for an item, checked and put in one canonical form.

Every front-end (TUI, plain prompts, answer files, typed-up paper sheets) goes through
`normalize_value`, so a value means the same thing however it was entered (DESIGN §3).
What each item type does with a value lives in item_types.py; the functions here dispatch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from inspect_kit.domain.item_types import behaviour
from inspect_kit.domain.model import Item
from inspect_kit.domain.subject import SubjectFacts
from inspect_kit.domain.values import EPS, MAX_TEXT, has_value, parse_yesno

__all__ = [
    "EPS",
    "MAX_TEXT",
    "Answer",
    "AnswerSet",
    "VetoAnswer",
    "display_value",
    "fires_veto",
    "item_points",
    "normalize_value",
    "parse_yesno",
]


@dataclass(frozen=True)
class Answer:
    """One item's answer as stored: `value` is canonical (see normalize_value)."""

    value: Any = None
    na: bool = False
    note: str = ""
    """扣分理由 or any remark."""
    attachments: tuple[str, ...] = ()
    """Paths relative to results/attachments/<sheet uuid>/."""
    signed_at: str | None = None

    @property
    def answered(self) -> bool:
        return self.na or has_value(self.value)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"value": self.value, "na": self.na, "note": self.note}
        if self.attachments:
            data["attachments"] = list(self.attachments)
        if self.signed_at:
            data["signed_at"] = self.signed_at
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Answer:
        return cls(
            value=data.get("value"),
            na=bool(data.get("na", False)),
            note=str(data.get("note") or ""),
            attachments=tuple(data.get("attachments") or ()),
            signed_at=data.get("signed_at"),
        )

    def with_value(self, value: Any) -> Answer:
        return replace(self, value=value, na=False)


@dataclass(frozen=True)
class VetoAnswer:
    """A 一票否决 question: `fired` True means the veto applies; None means not yet asked."""

    fired: bool | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"fired": self.fired, "note": self.note}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VetoAnswer:
        fired = data.get("fired")
        return cls(fired=None if fired is None else bool(fired), note=str(data.get("note") or ""))


@dataclass
class AnswerSet:
    """All answers of one sheet: items and vetoes, keyed by id."""

    items: dict[str, Answer] = field(default_factory=dict)
    vetoes: dict[str, VetoAnswer] = field(default_factory=dict)
    subject: SubjectFacts | None = None
    """The subject's roster facts the answers were given under (level-aware bands, `show_if`
    on `subject.*`); stored with the sheet as `subject_facts`. None on sheets from before."""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "answers": {k: a.to_dict() for k, a in self.items.items()},
            "vetoes": {k: v.to_dict() for k, v in self.vetoes.items()},
        }
        if self.subject is not None:
            data["subject_facts"] = self.subject.to_dict()
        return data

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> AnswerSet:
        return cls(
            items={k: Answer.from_dict(v) for k, v in (record.get("answers") or {}).items()},
            vetoes={k: VetoAnswer.from_dict(v) for k, v in (record.get("vetoes") or {}).items()},
            subject=SubjectFacts.from_dict(record.get("subject_facts")),
        )


def normalize_value(item: Item, raw: Any) -> Any:
    """Check a raw value for `item` and return its canonical form, or raise AnswerError."""
    return behaviour(item).normalize(item, raw)


def item_points(item: Item, value: Any) -> float | None:
    """Points a canonical value earns, or None for an unscored item or no value."""
    if not item.scored or not has_value(value):
        return None
    return behaviour(item).points(item, value)


def fires_veto(item: Item, value: Any) -> tuple[bool, bool]:
    """(fires a veto, fails the sheet) for an item's value: options or yes/no marked so."""
    return behaviour(item).veto(item, value)


def display_value(item: Item, value: Any, lang: str = "zh") -> str:
    """A value as a person reads it (是/否 labels, lists joined)."""
    if value is None:
        return ""
    return behaviour(item).describe(item, value, lang)
