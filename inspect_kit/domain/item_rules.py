"""One item's scoring rule compiled into plain functions of a stored value, for
domain.scoring_plan: each repeats what item_types' `points`, `veto` and `condition_value` and
scoring.for_subject do for that item, with the lookups done once per form version (tested
against the reference in tests/unit/test_scoring_plan.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from inspect_kit.domain import table_rows
from inspect_kit.domain.conditions import YesNoValue
from inspect_kit.domain.model import (
    ChoiceItem,
    DeductItem,
    Item,
    MultiItem,
    NumberItem,
    ScoreItem,
    TableItem,
    YesNoItem,
)
from inspect_kit.domain.scoring import EPS, for_subject
from inspect_kit.domain.subject import SubjectFacts

Points = Callable[[Any], Any]
"""A value that has a value (scoring's `has_value`) -> the points it earns (None: none)."""
Veto = Callable[[Any], tuple[bool, bool]]
"""A value -> (fires a veto, fails the sheet), as item_types' `veto`."""
NO_VETO = (False, False)
_MAX_FACTS = 256  # distinct subject facts remembered per level-aware item


def _band_points(bands: tuple[Any, ...], per: float | None, cap: float | None) -> Points | None:
    """NumberBehaviour.points for these bands (highest `min` first, those without `when`)."""
    if bands:
        ordered = tuple((b.min - EPS, b.points) for b in
                        sorted((b for b in bands if not b.when), key=lambda b: b.min,
                               reverse=True))  # fmt: skip

        def by_band(value: Any) -> Any:
            for low, points in ordered:
                if value >= low:
                    return points
            return 0.0

        return by_band
    if per is not None and cap is not None:
        return lambda value: min(cap, per * value)
    return None


def _measured(item: TableItem, rule: Points | None) -> Points | None:
    if rule is None:
        return None
    return lambda rows: rule(table_rows.measure(item, rows))


def _subject_rule(item: Item) -> tuple[bool, Points | None]:
    """(scored, points) of `item` once scoring.for_subject has chosen its bands."""
    if isinstance(item, TableItem):
        return item.scored, _measured(item, _band_points(item.bands, item.per, item.max))
    if isinstance(item, NumberItem):
        return item.scored, _band_points(item.bands, item.per, item.max)
    return item.scored, points_rule(item)


def points_rule(item: Item) -> Points | None:
    """item_types' `points` for an item whose rule does not depend on the subject."""
    if isinstance(item, YesNoItem):
        full, good_is_yes = item.points, item.good == "yes"
        return lambda value: full if (value if good_is_yes else not value) else 0.0
    if isinstance(item, ChoiceItem):
        cap = item.max_points
        earned: dict[str, float] = {}
        for option in item.options:
            earned.setdefault(option.label, min(option.points, cap))  # the first label wins

        def by_option(value: Any) -> Any:
            try:
                return earned.get(value)
            except TypeError:  # a list or a dict: no option equals it
                return None

        return by_option
    if isinstance(item, MultiItem):
        cap, options = item.max_points, tuple((o.label, o.points) for o in item.options)
        return lambda value: min(sum(p for label, p in options if label in value), cap)
    if isinstance(item, ScoreItem):
        return float
    if isinstance(item, DeductItem):
        full, per = item.max, item.per
        return lambda value: max(0.0, full - per * (len(value) if isinstance(value, list)
                                                    else int(value)))  # fmt: skip
    if isinstance(item, NumberItem):
        return _band_points(item.bands, item.per, item.max)
    if isinstance(item, TableItem):
        return _measured(item, _band_points(item.bands, item.per, item.max))
    return None


def veto_rule(item: Item) -> Veto | None:
    """item_types' `veto`, or None where the item can fire nothing."""
    if isinstance(item, YesNoItem) and item.veto_on:
        on_yes = item.veto_on == "yes"
        return lambda value: (value == on_yes, False) if isinstance(value, bool) else NO_VETO
    if isinstance(item, ChoiceItem):
        flags: dict[str, tuple[bool, bool]] = {}
        for option in item.options:
            flags.setdefault(option.label, (option.veto, option.fail))
        if not any(v or f for v, f in flags.values()):
            return None

        def by_option(value: Any) -> tuple[bool, bool]:
            try:
                return flags.get(value, NO_VETO)
            except TypeError:
                return NO_VETO

        return by_option
    if isinstance(item, MultiItem) and any(o.veto or o.fail for o in item.options):
        vetoes = tuple(o.label for o in item.options if o.veto)
        fails = tuple(o.label for o in item.options if o.fail)

        def by_options(value: Any) -> tuple[bool, bool]:
            if not isinstance(value, list):
                return NO_VETO
            return any(x in value for x in vetoes), any(x in value for x in fails)

        return by_options
    return None


class ByFacts:
    """A level-aware item's (scored, points) per subject facts: the bands whose `when` holds,
    chosen once per distinct facts by scoring.for_subject itself."""

    def __init__(self, item: Item):
        self.item = item
        self.rules: dict[SubjectFacts | None, tuple[bool, Points | None]] = {}

    def __call__(self, facts: SubjectFacts | None) -> tuple[bool, Points | None]:
        rule = self.rules.get(facts)
        if rule is None:
            if len(self.rules) >= _MAX_FACTS:
                self.rules.clear()
            rule = self.rules[facts] = _subject_rule(for_subject(self.item, facts))
        return rule


def condition_value(item: Item) -> Callable[[Any], Any]:
    """item_types' `condition_value`: what a `show_if` sees of a value."""
    if isinstance(item, YesNoItem):
        yes, no = item.labels
        return lambda v: YesNoValue(v, yes if v else no) if isinstance(v, bool) else v
    if isinstance(item, TableItem):
        return lambda v: len(v) if isinstance(v, list) else v
    return lambda v: v
