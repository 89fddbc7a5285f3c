"""item_types: every item type has its one behaviour (normalise, points, veto, describe), and
the answers functions are that behaviour, so adding a type means one class in one module."""

from __future__ import annotations

import typing

import pytest

from inspect_kit.base.errors import AnswerError
from inspect_kit.domain import item_types
from inspect_kit.domain.answers import display_value, fires_veto, item_points, normalize_value
from inspect_kit.domain.item_types import BEHAVIOURS, ItemBehaviour, behaviour
from inspect_kit.domain.model import ITEM_TYPES, Item, NoteItem, SignatureItem, YesNoItem

MODEL_CLASSES = typing.get_args(typing.get_args(Item)[0])


def type_name(cls: type) -> str:
    return typing.get_args(cls.model_fields["type"].annotation)[0]


def test_every_item_type_of_the_model_has_its_own_behaviour():
    declared = {type_name(cls) for cls in MODEL_CLASSES}
    assert declared == set(ITEM_TYPES)
    assert set(MODEL_CLASSES) == set(BEHAVIOURS)
    for cls in MODEL_CLASSES:
        assert type(BEHAVIOURS[cls]) is not ItemBehaviour, cls


def test_a_subclass_of_an_item_model_shares_its_behaviour():
    class MyYesNo(YesNoItem):
        pass

    item = MyYesNo(type="yesno", id="x", text="有吗", points=2)
    assert behaviour(item) is BEHAVIOURS[YesNoItem]
    assert normalize_value(item, "是") is True


def test_the_answers_functions_dispatch_to_the_item_behaviour(edu_form):
    seen = set()
    for _, item in edu_form.form.iter_items():
        kind = behaviour(item)
        seen.add(type(item))
        if not kind.answerable:
            with pytest.raises(AnswerError):
                normalize_value(item, "x")
            continue
        for raw in ("1", "是", "2024-05-01", ["a"], 3):
            try:
                value = kind.normalize(item, raw)
            except AnswerError:
                continue
            assert normalize_value(item, raw) == value
            points = kind.points(item, value) if item.scored else None
            assert item_points(item, value) == points
            assert fires_veto(item, value) == kind.veto(item, value)
            assert display_value(item, value, "en") == kind.describe(item, value, "en")
    assert len(seen) >= 5, seen


def test_the_sheet_flags_come_from_the_type():
    assert not BEHAVIOURS[NoteItem].answerable
    assert BEHAVIOURS[SignatureItem].signed
    empty_list = {type_name(cls) for cls, b in BEHAVIOURS.items()
                  if b.empty_list_is_answer}  # fmt: skip
    assert empty_list == {"multi", "deduct", "table"}  # a table's [] is "no records"


def test_an_unknown_type_is_refused_in_plain_words():
    class Odd:
        type = "odd"

    with pytest.raises(AnswerError) as caught:
        item_types.behaviour(Odd()).normalize(Odd(), "x")  # type: ignore[arg-type]
    assert caught.value.code == "answer.unknown_type"
