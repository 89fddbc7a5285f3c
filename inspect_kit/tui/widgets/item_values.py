"""How an item's answer maps to and from the fill screen's controls: the labels of a pick list,
which entries a stored value selects, the value a selection means, the text a typed box shows."""

from __future__ import annotations

from typing import Any

from inspect_kit.domain.answers import Answer
from inspect_kit.domain.model import (
    ChoiceItem,
    DeductItem,
    Item,
    MultiItem,
    NumberItem,
    PhotoItem,
    ScoreItem,
    YesNoItem,
)
from inspect_kit.i18n.catalog import fmt_points
from inspect_kit.i18n.form_text import defect_labels, label_for


def _option_label(option, lang: str) -> str:
    label = label_for(option, lang)
    unit = "" if lang == "en" else "分"
    return f"{label}（{fmt_points(option.points)}{unit}）" if lang != "en" else \
        f"{label} ({fmt_points(option.points)})"  # fmt: skip


def choice_labels(item: Item, lang: str) -> list[str] | None:
    """Labels for items answered from a list, or None for typed items."""
    if isinstance(item, YesNoItem):
        return list(item.labels)
    if isinstance(item, ChoiceItem | MultiItem):
        return [_option_label(o, lang) for o in item.options]
    if isinstance(item, DeductItem) and item.defects:
        return defect_labels(item, lang)
    return None


def selected_indexes(item: Item, value: Any) -> tuple[int, ...]:
    if value is None:
        return ()
    if isinstance(item, YesNoItem):
        return (0,) if value else (1,)
    if isinstance(item, ChoiceItem):
        return tuple(i for i, o in enumerate(item.options) if o.label == value)
    if isinstance(item, MultiItem):
        return tuple(i for i, o in enumerate(item.options) if o.label in value)
    if isinstance(item, DeductItem) and isinstance(value, list):
        return tuple(i for i, d in enumerate(item.defects) if d in value)
    return ()


def raw_from_indexes(item: Item, selected: tuple[int, ...]) -> Any:
    if isinstance(item, YesNoItem):
        return None if not selected else selected[0] == 0
    if isinstance(item, ChoiceItem):
        return item.options[selected[0]].label if selected else None
    if isinstance(item, MultiItem):
        return [item.options[i].label for i in selected]
    if isinstance(item, DeductItem):
        return [item.defects[i] for i in selected]
    return None


def input_text(item: Item, answer: Answer) -> str:
    value = answer.value
    if value is None or isinstance(item, PhotoItem):
        return ""
    if isinstance(item, ScoreItem | NumberItem | DeductItem):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return str(value)
