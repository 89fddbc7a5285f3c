"""Answers: what an inspector entered for an item, checked and put in one canonical form.

Every front-end (TUI, plain prompts, answer files, typed-up paper sheets) goes through
`normalize_value`, so a value means the same thing however it was entered (DESIGN §3).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from inspect_kit.base.errors import AnswerError
from inspect_kit.domain.model import (
    ChoiceItem,
    DateItem,
    DeductItem,
    Item,
    MultiItem,
    NoteItem,
    NumberItem,
    PhotoItem,
    ScoreItem,
    SignatureItem,
    TextItem,
    YesNoItem,
)

EPS = 1e-9
_LIST_SPLIT = re.compile(r"\s*[,;，；、]\s*")
_TRUE = {"true", "yes", "y", "1", "是", "有", "符合", "√"}
_FALSE = {"false", "no", "n", "0", "否", "无", "不符合", "×"}
MAX_TEXT = 5000


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
        return self.na or _has_value(self.value)

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

    def to_dict(self) -> dict[str, Any]:
        return {
            "answers": {k: a.to_dict() for k, a in self.items.items()},
            "vetoes": {k: v.to_dict() for k, v in self.vetoes.items()},
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> AnswerSet:
        return cls(
            items={k: Answer.from_dict(v) for k, v in (record.get("answers") or {}).items()},
            vetoes={k: VetoAnswer.from_dict(v) for k, v in (record.get("vetoes") or {}).items()},
        )


def _has_value(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str | list | tuple):
        return len(value) > 0 or isinstance(value, list | tuple)
    return True


def _number(raw: Any, what: str, what_en: str) -> float:
    if isinstance(raw, bool):
        raise AnswerError(code="answer.number_needed", what=what, what_en=what_en)
    try:
        value = float(str(raw).strip()) if not isinstance(raw, int | float) else float(raw)
    except ValueError:
        raise AnswerError(code="answer.not_a_number", raw=raw, what=what, what_en=what_en) from None
    if math.isnan(value) or math.isinf(value):
        raise AnswerError(code="answer.not_finite", what=what, what_en=what_en)
    return value


def _as_list(raw: Any) -> list[str]:
    if isinstance(raw, str):
        return [p for p in _LIST_SPLIT.split(raw.strip()) if p]
    if isinstance(raw, list | tuple):
        return [str(p).strip() for p in raw]
    raise AnswerError(code="answer.list_needed")


def parse_yesno(item: YesNoItem, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip()
    if text == item.labels[0]:
        return True
    if text == item.labels[1]:
        return False
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise AnswerError(code="answer.yesno", yes=item.labels[0], no=item.labels[1], raw=raw)


def normalize_value(item: Item, raw: Any) -> Any:
    """Check a raw value for `item` and return its canonical form, or raise AnswerError."""
    if isinstance(item, NoteItem):
        raise AnswerError(code="answer.note_item")
    if isinstance(item, YesNoItem):
        return parse_yesno(item, raw)
    if isinstance(item, ChoiceItem):
        text = str(raw).strip()
        for option in item.options:
            if text in (option.label, option.label_en):
                return option.label
        if isinstance(raw, int) and not isinstance(raw, bool) and 1 <= raw <= len(item.options):
            return item.options[raw - 1].label
        choices = "、".join(o.label for o in item.options)
        raise AnswerError(code="answer.not_an_option", raw=raw, choices=choices)
    if isinstance(item, MultiItem):
        labels = {o.label: o.label for o in item.options}
        labels.update({o.label_en: o.label for o in item.options if o.label_en})
        chosen: list[str] = []
        for part in _as_list(raw):
            if part not in labels:
                choices = "、".join(o.label for o in item.options)
                raise AnswerError(code="answer.not_an_option", raw=part, choices=choices)
            chosen.append(labels[part])
        return [o.label for o in item.options if o.label in chosen]
    if isinstance(item, ScoreItem):
        value = _number(raw, "得分", "the score")
        if value < -EPS or value > item.max + EPS:
            raise AnswerError(code="answer.score_range", max=f"{item.max:g}")
        steps = value / item.step
        if abs(steps - round(steps)) > 1e-6:
            raise AnswerError(code="answer.score_step", step=f"{item.step:g}")
        return round(value, 4)
    if isinstance(item, DeductItem):
        if (
            item.defects
            and not isinstance(raw, int | float)
            and not (isinstance(raw, str) and raw.strip().isdigit())
        ):
            found = _as_list(raw)
            unknown = [d for d in found if d not in item.defects]
            if unknown:
                raise AnswerError(
                    code="answer.not_a_defect", raw=unknown[0], defects="、".join(item.defects)
                )
            return [d for d in item.defects if d in found]
        count = _number(raw, "问题数", "the number of problems")
        if count < 0 or count != int(count):
            raise AnswerError(code="answer.defect_count")
        if item.defects and count > len(item.defects):
            raise AnswerError(code="answer.too_many_defects", n=len(item.defects))
        return int(count)
    if isinstance(item, NumberItem):
        value = _number(raw, "此项", "this item")
        if value < item.min_value - EPS:
            raise AnswerError(code="answer.below_min", min=f"{item.min_value:g}")
        if item.max_value is not None and value > item.max_value + EPS:
            raise AnswerError(code="answer.above_max", max=f"{item.max_value:g}")
        if item.integer and value != int(value):
            raise AnswerError(code="answer.whole_number")
        return int(value) if value == int(value) else value
    if isinstance(item, DateItem):
        if isinstance(raw, dt.date):
            return raw.isoformat()
        try:
            return dt.date.fromisoformat(str(raw).strip()).isoformat()
        except ValueError:
            raise AnswerError(code="answer.not_a_date", raw=raw) from None
    if isinstance(item, PhotoItem):
        return _as_list(raw)
    if isinstance(item, TextItem | SignatureItem):
        text = str(raw).strip()
        if len(text) > MAX_TEXT:
            raise AnswerError(code="answer.text_too_long", max=MAX_TEXT)
        return text
    raise AnswerError(code="answer.unknown_type", type=item.type)


def item_points(item: Item, value: Any) -> float | None:
    """Points a canonical value earns, or None for an unscored item or no value."""
    if not item.scored or not _has_value(value):
        return None
    if isinstance(item, YesNoItem):
        good = value if item.good == "yes" else not value
        return item.points if good else 0.0
    if isinstance(item, ChoiceItem):
        for option in item.options:
            if option.label == value:
                return min(option.points, item.max_points)
        return None
    if isinstance(item, MultiItem):
        chosen = sum(o.points for o in item.options if o.label in value)
        return min(chosen, item.max_points)
    if isinstance(item, ScoreItem):
        return float(value)
    if isinstance(item, DeductItem):
        defects = len(value) if isinstance(value, list) else int(value)
        return max(0.0, item.max - item.per * defects)
    if isinstance(item, NumberItem):
        if item.bands:
            for band in sorted(item.bands, key=lambda b: b.min, reverse=True):
                if value >= band.min - EPS:
                    return band.points
            return 0.0
        if item.per is not None and item.max is not None:
            return min(item.max, item.per * value)
    return None


def fires_veto(item: Item, value: Any) -> tuple[bool, bool]:
    """(fires a veto, fails the sheet) for an item's value: options or yes/no marked so."""
    if isinstance(item, ChoiceItem):
        for option in item.options:
            if option.label == value:
                return option.veto, option.fail
    if isinstance(item, MultiItem) and isinstance(value, list):
        chosen = [o for o in item.options if o.label in value]
        return any(o.veto for o in chosen), any(o.fail for o in chosen)
    if isinstance(item, YesNoItem) and item.veto_on and isinstance(value, bool):
        return value == (item.veto_on == "yes"), False
    return False, False


def display_value(item: Item, value: Any, lang: str = "zh") -> str:
    """A value as a person reads it (是/否 labels, lists joined)."""
    if value is None:
        return ""
    if isinstance(item, YesNoItem):
        return item.labels[0] if value else item.labels[1]
    if isinstance(item, DeductItem):
        if isinstance(value, list):
            return "、".join(value) if value else ("none" if lang == "en" else "无")
        return f"{value} {'defects' if lang == 'en' else '处'}"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    if isinstance(item, NumberItem) and item.unit:
        return f"{value} {item.unit}"
    return str(value)
