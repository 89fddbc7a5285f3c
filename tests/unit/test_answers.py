"""normalize_value: every way an inspector may type a value becomes one canonical value,
and every wrong value is refused with a Chinese message (AnswerError)."""

from __future__ import annotations

import datetime as dt

import pytest

from inspect_kit.base.errors import AnswerError
from inspect_kit.domain.answers import (
    Answer,
    AnswerSet,
    VetoAnswer,
    display_value,
    fires_veto,
    item_points,
    normalize_value,
)
from inspect_kit.domain.model import ChoiceItem, YesNoItem

CJK = "\u4e00-\u9fff"


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture(scope="module")
def edu(builtin_forms):
    return builtin_forms["edu-base-inspection"].form


@pytest.fixture(scope="module")
def ent(builtin_forms):
    return builtin_forms["five-good-enterprise"].form


def refused(item, raw) -> str:
    with pytest.raises(AnswerError) as info:
        normalize_value(item, raw)
    message = str(info.value)
    assert has_chinese(message), message
    return message


# ---------------------------------------------------------------- yes/no


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(True, True), (False, False), ("有", True), ("无", False), ("是", True), ("否", False),
     ("yes", True), ("NO", False), ("true", True), ("0", False), ("1", True), (" 有 ", True)],
)  # fmt: skip
def test_yesno_accepts_its_labels_words_and_booleans(edu, raw, expected):
    assert normalize_value(edu.item("facility-updated"), raw) is expected


def test_yesno_custom_labels_win(edu):
    item = edu.item("out-report")  # labels 已报送 / 未报送
    assert normalize_value(item, "已报送") is True
    assert normalize_value(item, "未报送") is False


def test_yesno_refuses_other_words_naming_its_labels(edu):
    message = refused(edu.item("facility-updated"), "maybe")
    assert "有" in message and "无" in message


def test_yesno_good_no_scores_the_no_answer():
    item = YesNoItem(id="x", type="yesno", text="有违规", points=2, good="no")
    assert item_points(item, False) == 2 and item_points(item, True) == 0


# ---------------------------------------------------------------- choice and multi


def test_choice_accepts_label_english_label_and_1_based_number(edu):
    item = edu.item("sign-posted")
    assert normalize_value(item, "基本规范") == "基本规范"
    assert normalize_value(item, "Minor issues") == "基本规范"
    assert normalize_value(item, 1) == "规范"
    assert normalize_value(item, 4) == "无牌"


def test_choice_refuses_an_unknown_option_listing_the_choices(edu):
    message = refused(edu.item("sign-posted"), "很好")
    assert "很好" in message and "规范、基本规范" in message
    refused(edu.item("sign-posted"), 5)  # out of range number
    refused(edu.item("sign-posted"), 0)


def test_multi_accepts_lists_strings_and_english_in_form_order(edu):
    item = edu.item("act-themes")
    assert normalize_value(item, ["法治", "爱国主义"]) == ["爱国主义", "法治"]
    assert normalize_value(item, "科普，法治、Patriotism") == ["爱国主义", "法治", "科普"]
    assert normalize_value(item, []) == []


def test_multi_refuses_an_unknown_label(edu):
    assert "体育" in refused(edu.item("act-themes"), ["法治", "体育"])


def test_multi_points_are_capped_at_max(ent):
    item = ent.item("ent-children")  # 3 + 3 + 3 + 2 = 11, max 8
    assert item_points(item, [o.label for o in item.options]) == 8


# ---------------------------------------------------------------- score


@pytest.mark.parametrize(("raw", "expected"), [("4.5", 4.5), (5, 5.0), ("0", 0.0), (" 3 ", 3.0)])
def test_score_accepts_numbers_and_numeric_strings(edu, raw, expected):
    assert normalize_value(edu.item("facility-theme"), raw) == expected


@pytest.mark.parametrize("raw", [5.5, -0.5, "7", "100"])
def test_score_refuses_out_of_range(edu, raw):
    assert "0 到 5" in refused(edu.item("facility-theme"), raw)


@pytest.mark.parametrize("raw", [4.3, "0.25", 1.1])
def test_score_refuses_values_off_the_step(edu, raw):
    assert "0.5" in refused(edu.item("facility-theme"), raw)


@pytest.mark.parametrize("raw", ["abc", "nan", "inf", True, ""])
def test_score_refuses_non_numbers(edu, raw):
    refused(edu.item("facility-theme"), raw)


# ---------------------------------------------------------------- deduct


def test_deduct_count_and_named_defects(edu):
    item = edu.item("info-posted")  # defects 功能介绍/开放时间/联系人
    assert normalize_value(item, 2) == 2
    assert normalize_value(item, "1") == 1
    assert normalize_value(item, ["联系人", "功能介绍"]) == ["功能介绍", "联系人"]
    assert normalize_value(item, "开放时间、联系人") == ["开放时间", "联系人"]


def test_deduct_refuses_negative_fractional_and_unknown(edu):
    assert "正整数" in refused(edu.item("site-safety"), -1)
    assert "正整数" in refused(edu.item("site-safety"), "1.5")
    assert "清单" in refused(edu.item("info-posted"), ["门牌"])
    assert "3" in refused(edu.item("info-posted"), 4)  # more defects than the checklist has


def test_deduct_points_never_below_zero(edu):
    item = edu.item("site-safety")  # max 5, per 1
    assert item_points(item, 2) == 3
    assert item_points(item, 9) == 0
    assert item_points(edu.item("act-partner"), ["无共建协议", "无共建活动记录"]) == 0


# ---------------------------------------------------------------- number, date, text


def test_number_keeps_ints_and_checks_bounds(edu):
    assert normalize_value(edu.item("team-guides"), "12") == 12
    assert isinstance(normalize_value(edu.item("team-guides"), "12"), int)
    assert normalize_value(edu.item("out-satisfaction"), "87.5") == 87.5
    assert "不能大于 100" in refused(edu.item("out-satisfaction"), 101)
    assert "不能小于 0" in refused(edu.item("team-guides"), -1)
    assert "整数" in refused(edu.item("team-guides"), 2.5)


def test_number_bands_pick_the_highest_band_reached(edu):
    item = edu.item("out-visitors")
    assert [item_points(item, v) for v in (0, 499, 500, 1999, 2000, 5000, 90000)] == [
        1,
        1,
        4,
        4,
        6,
        8,
        8,
    ]


def test_number_per_is_capped(edu):
    item = edu.item("bonus-award")  # per 1, max 3
    assert [item_points(item, v) for v in (0, 2, 3, 10)] == [0, 2, 3, 3]


def test_date_accepts_iso_and_date_objects_and_refuses_the_rest(edu):
    item = edu.item("rules-drill-date")
    assert normalize_value(item, "2026-05-01") == "2026-05-01"
    assert normalize_value(item, dt.date(2026, 5, 1)) == "2026-05-01"
    assert "没有“2026-02-30”这一天" in refused(item, "2026-02-30")
    assert "2026/5/20" in refused(item, "五月一日")  # the message lists the forms it takes


def test_text_is_stripped_and_limited(edu):
    item = edu.item("inspector-opinion")
    assert normalize_value(item, "  良好  ") == "良好"
    assert "过长" in refused(item, "字" * 5001)


def test_note_items_take_no_answer():
    from inspect_kit.domain.model import NoteItem

    refused(NoteItem(id="n", type="note", text="说明"), "x")


# ---------------------------------------------------------------- vetoes, display, records


def test_veto_and_fail_options_fire():
    item = ChoiceItem.model_validate({
        "id": "c", "type": "choice", "text": "t",
        "options": [{"label": "好", "points": 2}, {"label": "坏", "veto": True},
                    {"label": "差", "fail": True}],
    })  # fmt: skip
    assert fires_veto(item, "好") == (False, False)
    assert fires_veto(item, "坏") == (True, False)
    assert fires_veto(item, "差") == (False, True)


def test_display_value_uses_labels(edu):
    assert display_value(edu.item("facility-updated"), True) == "有"
    assert display_value(edu.item("info-posted"), []) == "无"
    assert display_value(edu.item("site-safety"), 2) == "2 处"
    assert display_value(edu.item("facility-theme"), 6.0) == "6"
    assert display_value(edu.item("team-guides"), 3) == "3 人"
    one = [{"date": "2026-03-05", "theme": "清明", "people": 9}]
    assert display_value(edu.item("act-log"), one) == "1 条记录"


def test_answer_set_round_trips_through_its_record():
    answers = AnswerSet(
        items={"a": Answer(value=["x"], note="缺", attachments=("p.jpg",)), "b": Answer(na=True)},
        vetoes={"v": VetoAnswer(fired=False), "w": VetoAnswer(fired=True, note="核实")},
    )
    assert AnswerSet.from_record(answers.to_dict()) == answers
    assert Answer().answered is False and Answer(na=True).answered is True
    assert Answer(value=[]).answered is True  # an empty list is an answer ("no defects")
