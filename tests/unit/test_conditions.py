"""Tests for inspect_kit.domain.conditions: the show_if expression language."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_kit.domain.conditions import Condition, ConditionError, YesNoValue, parse

YES = YesNoValue(True, "有")
NO = YesNoValue(False, "无")


def ev(source: str, **values: object) -> bool:
    """Evaluate with keyword values; '_' in a keyword stands for '-' in the item id."""
    return parse(source).evaluate({k.replace("_", "-"): v for k, v in values.items()})


# --- parsing basics ---------------------------------------------------------------------------


def test_parse_returns_condition_with_names():
    cond = parse("has-site == '有' and (rooms >= 2 or not open-daily)")
    assert isinstance(cond, Condition)
    assert cond.source == "has-site == '有' and (rooms >= 2 or not open-daily)"
    assert cond.names == frozenset({"has-site", "rooms", "open-daily"})


def test_name_with_dash_is_one_name_greedily():
    assert parse("a-b").names == {"a-b"}
    assert parse("a-b-c == 1").names == {"a-b-c"}
    assert parse("2nd-visit").names == {"2nd-visit"}
    assert parse("1e5 or 1-2").names == {"1e5", "1-2"}  # not numbers: ids may start with digits


def test_literals():
    assert ev("1 == 1")
    assert ev("-3 < 0")
    assert ev("1.5 > 1")
    assert ev("x == -2.5", x=-2.5)
    assert ev("'中文' == \"中文\"")
    assert ev("x == 'it\\'s'", x="it's")
    assert ev("true")
    assert not ev("false")
    assert not ev("none")
    assert ev("x == none")
    assert ev("x == []", x=[])


def test_whitespace_is_free():
    assert ev("  x==1\n and\ty  ", x=1, y=True)
    assert ev("(x)==(1)", x=1)


# --- precedence and parentheses --------------------------------------------------------------


def test_not_binds_tighter_than_and_tighter_than_or():
    # or is lowest: a or (b and c)
    assert ev("a or b and c", a=True, b=False, c=False)
    assert not ev("(a or b) and c", a=True, b=False, c=False)
    # not binds tighter than and: (not a) and b
    assert ev("not a and b", a=False, b=True)
    assert not ev("not a and b", a=True, b=True)
    assert ev("not (a and b)", a=True, b=False)
    # not binds looser than comparisons: not (x == 1)
    assert ev("not x == 1", x=2)
    assert not ev("not x == 1", x=1)


def test_double_not_and_nested_parens():
    assert ev("not not a", a=1)
    assert ev("((((a))))", a="x")
    assert ev("(a or b) and (c or d)", a=0, b=1, c=0, d=1)
    assert not ev("(a or b) and (c or d)", a=0, b=1, c=0, d=0)


def test_long_or_and_chains():
    assert ev(" or ".join(f"x == {i}" for i in range(30)), x=29)
    assert not ev(" and ".join(["a"] * 40), a=0)


# --- operators -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "x", "expected"),
    [
        ("x == 3", 3, True),
        ("x == 3", 3.0, True),
        ("x == 3", 4, False),
        ("x != 3", 4, True),
        ("x != 3", 3, False),
        ("x < 3", 2, True),
        ("x < 3", 3, False),
        ("x <= 3", 3, True),
        ("x <= 3", 4, False),
        ("x > 3", 4, True),
        ("x > 3", 3, False),
        ("x >= 3", 3, True),
        ("x >= 3", 2.9, False),
        ("x == '优秀'", "优秀", True),
        ("x != '优秀'", "良好", True),
        ("x < 'b'", "a", True),
        ("3 > x", 2, True),
    ],
)
def test_each_comparison_operator(source, x, expected):
    assert ev(source, x=x) is expected


def test_bare_name_truthiness():
    assert ev("x", x=1)
    assert ev("x", x="text")
    assert ev("x", x=["a"])
    assert not ev("x", x=0)
    assert not ev("x", x="")
    assert not ev("x", x=[])
    assert not ev("x", x=None)
    assert not ev("x")  # missing -> None
    assert ev("not x")


def test_in_list_for_scalars():
    assert ev("x in ['a', 'b']", x="a")
    assert not ev("x in ['a', 'b']", x="c")
    assert ev("x in [1, 2, 3]", x=2)
    assert ev("x not in ['a', 'b']", x="c")
    assert not ev("x not in ['a', 'b']", x="b")
    assert not ev("x in []", x="a")
    assert ev("x in ['a', 'b',]", x="b")  # trailing comma


def test_in_with_multi_answer():
    picked = ["图书室", "活动室"]
    assert ev("'图书室' in rooms", rooms=picked)
    assert not ev("'操场' in rooms", rooms=picked)
    assert ev("'操场' not in rooms", rooms=picked)
    assert not ev("'图书室' not in rooms", rooms=picked)
    assert not ev("'图书室' in rooms", rooms=[])
    assert ev("rooms == ['图书室', '活动室']", rooms=picked)
    assert ev("rooms", rooms=picked)
    assert not ev("rooms", rooms=[])


def test_in_with_text_answer_is_substring():
    assert ev("'消防' in note", note="消防通道畅通")
    assert not ev("'电' in note", note="消防通道畅通")


def test_in_with_incompatible_types_is_false_both_ways():
    assert not ev("'a' in x", x=5)
    assert not ev("'a' not in x", x=5)
    assert not ev("1 in x", x="123")
    assert not ev("1 not in x", x="123")


# --- None / missing --------------------------------------------------------------------------


def test_missing_and_none_values():
    for values in ({}, {"x": None}):
        cond = parse("x == none")
        assert cond.evaluate(values)
        assert not parse("x != none").evaluate(values)
        for source in (
            "x == 1",
            "x != 1",
            "x < 1",
            "x >= 1",
            "x == 'a'",
            "x != 'a'",
            "x in ['a']",
            "x not in ['a']",
            "'a' in x",
            "'a' not in x",
        ):
            assert not parse(source).evaluate(values), source
        assert parse("not x").evaluate(values)
    assert parse("x != none").evaluate({"x": 0})
    assert not parse("x == none").evaluate({"x": ""})
    assert parse("none == x").evaluate({})
    assert parse("none == none").evaluate({})


def test_two_missing_names_are_not_equal():
    assert not ev("a == b")
    assert not ev("a != b")


# --- incompatible types ------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["x < 3", "x <= 3", "x > 3", "x >= 3", "x == 3"])
def test_numbers_compared_with_strings_are_false_not_errors(source):
    assert ev(source, x="3") is False
    assert ev(source, x="abc") is False


def test_ordering_with_odd_values_is_false():
    assert not ev("x < 3", x=[1])
    assert not ev("x > 'a'", x=YES)
    assert not ev("x > 0", x=True)
    assert not ev("x < y", x=1, y="b")


def test_bool_is_not_a_number():
    assert not ev("x == 1", x=True)
    assert not ev("x == true", x=1)
    assert ev("x == true", x=True)


def test_evaluate_never_raises_on_odd_values():
    class Weird:
        def __eq__(self, other):
            raise RuntimeError("boom")

        def __bool__(self):
            raise RuntimeError("boom")

        __hash__ = object.__hash__

    for source in ("x", "x == 1", "x in [1]", "1 in x", "x < 1", "not x", "x == none"):
        assert parse(source).evaluate({"x": Weird()}) in (True, False)
    assert parse("x == 1").evaluate(None) is False  # type: ignore[arg-type]


# --- YesNoValue --------------------------------------------------------------------------------


def test_yesno_value_equality_and_truth():
    assert YES == True  # noqa: E712
    assert YES == "有"
    assert YES != "无"
    assert YES != False  # noqa: E712
    assert NO == False  # noqa: E712
    assert NO == "无"
    assert YesNoValue(True, "是") == YES
    assert YES != NO
    assert bool(YES) and not bool(NO)
    assert YES != 1
    assert hash(YES) == hash(YesNoValue(True, "是")) == hash(True)
    assert len({YES, YesNoValue(True, "是"), NO}) == 2


def test_yesno_in_conditions():
    assert ev("has-site == '有'", has_site=YES)
    assert ev("has-site == true", has_site=YES)
    assert ev("has-site", has_site=YES)
    assert not ev("has-site", has_site=NO)
    assert ev("not has-site", has_site=NO)
    assert ev("has-site == '无'", has_site=NO)
    assert ev("has-site != '有'", has_site=NO)
    assert ev("has-site == false", has_site=NO)
    assert not ev("has-site == '是'", has_site=YES)  # labels come from the item
    assert ev("'有' == has-site", has_site=YES)
    assert ev("has-site in ['有', '是']", has_site=YES)
    assert ev("has-site not in ['有']", has_site=NO)
    assert ev("has-site == '是'", has_site=YesNoValue(True, "是"))
    assert not ev("has-site == 1", has_site=YES)
    assert not ev("has-site == none", has_site=NO)


# --- unknown names -----------------------------------------------------------------------------


def test_unknown_name_with_known_raises_naming_the_item():
    known = {"has-site", "rooms"}
    assert parse("has-site and rooms > 1", known=known).names == {"has-site", "rooms"}
    with pytest.raises(ConditionError) as info:
        parse("rooms > 1 and has-sit == '有'", known=known)
    assert "unknown item 'has-sit'" in str(info.value)
    assert "has-site" in str(info.value)  # did-you-mean
    assert info.value.position == 14


def test_unknown_names_allowed_without_known():
    assert parse("whatever == 1").names == {"whatever"}
    with pytest.raises(ConditionError, match="unknown item 'x'"):
        parse("x", known=[])


def test_condition_error_is_value_error_with_position():
    with pytest.raises(ValueError):
        parse("x ==")
    with pytest.raises(ConditionError) as info:
        parse("x == ")
    assert "expected a value after '=='" in str(info.value)
    assert info.value.position == 5


# --- hostile and broken inputs ------------------------------------------------------------------


HOSTILE = [
    "__import__('os')",
    "__import__('os').system('rm -rf /')",
    "a.b",
    "a.__class__",
    "f(x)",
    "x()",
    "1+1",
    "a * 2",
    "x - 1",
    "x[0]",
    "x['a']",
    "lambda: 1",
    "lambda x: x",
    "().__class__.__bases__[0]",
    "[x for x in y]",
    "x if y else z",
    "x = 1",
    "x := 1",
    "a < b < c",
    "a == == b",
    "x ==",
    "== 1",
    "and",
    "not",
    "x and",
    "(x",
    "x)",
    "[1, 2",
    "x in [y]",
    "x in [[1]]",
    "'unterminated",
    '"unterminated',
    "x == 'abc",
    "",
    "   ",
    "a" * 501,
    "x == " + "1" * 600,
    "(" * 100 + "x" + ")" * 100,
    "not " * 60 + "x",
    "True",
    "None",
    "hasSite",
    "has_site",
    "x == 有",
    "x == ‘有’",
    "x && y",
    "x || y",
    "!x",
    "a b",
    "1 2",
    "x not y",
    "{}",
    "-x",
    "\x00",
]


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_and_broken_inputs_raise_condition_error(source):
    with pytest.raises(ConditionError) as info:
        parse(source)
    err = info.value
    assert isinstance(err.position, int) and 0 <= err.position <= max(len(source), 500)
    assert str(err)


def test_specific_error_messages_and_positions():
    cases = {
        "": ("empty", 0),
        "x == 'abc": ("unterminated string", 5),
        "(x": ("missing ')'", 2),
        "a < b < c": ("chained", 6),
        "x = 1": ("'=='", 2),
        "a.b": ("'.'", 1),
        "True": ("lower case", 0),
        "a" * 501: ("too long", 500),
    }
    for source, (fragment, position) in cases.items():
        with pytest.raises(ConditionError) as info:
            parse(source)
        assert fragment in str(info.value), (source, str(info.value))
        assert info.value.position == position, (source, info.value.position)


def test_nesting_limit_is_50():
    parse("(" * 50 + "x" + ")" * 50)
    with pytest.raises(ConditionError, match="nests"):
        parse("(" * 51 + "x" + ")" * 51)
    parse("not " * 50 + "x")
    with pytest.raises(ConditionError, match="nests"):
        parse("not " * 51 + "x")


def test_length_limit_is_500():
    parse("x == '" + "a" * 493 + "'")  # exactly 500 characters
    with pytest.raises(ConditionError, match="too long"):
        parse("x == '" + "a" * 494 + "'")


def test_non_string_source_raises_condition_error():
    with pytest.raises(ConditionError):
        parse(None)  # type: ignore[arg-type]


# --- properties --------------------------------------------------------------------------------

TOKENS = [
    "x",
    "has-site",
    "a-b",
    "1",
    "-2",
    "3.5",
    "'有'",
    '"s"',
    "'",
    '"',
    "true",
    "false",
    "none",
    "and",
    "or",
    "not",
    "in",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "(",
    ")",
    "[",
    "]",
    ",",
    ".",
    "+",
    "-",
    "=",
    "_",
    "__import__",
    "lambda",
    ":",
    "\\",
    " ",
]


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=600))
def test_parse_on_arbitrary_text_only_raises_condition_error(source):
    try:
        cond = parse(source)
    except ConditionError as err:
        assert isinstance(err.position, int)
        return
    assert cond.evaluate({}) in (True, False)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join),
    st.dictionaries(
        st.sampled_from(["x", "has-site", "a-b"]),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.floats(),
            st.text(max_size=3),
            st.lists(st.text(max_size=2), max_size=3),
            st.builds(YesNoValue, st.booleans(), st.sampled_from(["有", "无"])),
        ),
    ),
)
def test_token_soup_parses_or_raises_and_evaluates_to_bool(source, values):
    try:
        cond = parse(source, known=["x", "has-site", "a-b"])
    except ConditionError:
        return
    assert cond.names <= {"x", "has-site", "a-b"}
    assert cond.evaluate(values) in (True, False)
    assert parse(cond.source) == cond  # deterministic
