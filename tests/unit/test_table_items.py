"""`table` items (repeat rows): rows checked cell by cell, scored by row-count bands, by the sum
of a column or per row with a cap, and form files whose table is wrong refused with its place."""

from __future__ import annotations

import pytest

from inspect_kit.base.errors import AnswerError, FormError
from inspect_kit.domain.answers import display_value, item_points, normalize_value
from inspect_kit.domain.scoring import score
from inspect_kit.domain.sheet import Sheet
from inspect_kit.domain.table_rows import parse_cell
from inspect_kit.formfiles.loader import parse_form_text

FORM = """\
form: table-test
version: 1
title: 台账测试
subject: education-base
total: 20
grades:
  - {grade: 合格, min: 10}
  - {grade: 不合格, min: 0}
deduction_note: optional
sections:
  - id: s
    title: 有活动
    points: 20
    items:
      - id: log
        type: table
        text: 活动台账
        unit: 场
        columns:
          - {id: date, title: 日期, title_en: Date, type: date}
          - {id: theme, title: 主题, type: text}
          - {id: people, title: 参加人数, type: number, unit: 人}
          - {id: kind, title: 形式, type: choice, options: [讲座, 参观], options_en: [Talk, Visit],
             required: false}
        bands:
          - {min: 4, points: 8}
          - {min: 3, points: 6}
          - {min: 1, points: 2}
          - {min: 0, points: 0}
      - id: visits
        type: table
        text: 接待台账（每批 2 分，最多 6 分）
        columns:
          - {id: date, title: 日期, type: date}
          - {id: group, title: 来访单位, type: text}
        per: 2
        max: 6
        min_rows: 1
      - id: people-log
        type: table
        text: 参与人次
        score_by: people
        columns:
          - {id: theme, title: 主题, type: text}
          - {id: people, title: 人数, type: number}
        bands:
          - {min: 500, points: 6}
          - {min: 200, points: 3}
          - {min: 0, points: 0}
"""


@pytest.fixture(scope="module")
def form():
    return parse_form_text(FORM, "table-test.yaml")


def new_sheet(form) -> Sheet:
    return Sheet(form=form, form_sha256="x", subject="s1", subject_name="阵地", rater="王",
                 round="2026")  # fmt: skip


def row(date, theme, people, kind=None):
    return {"date": date, "theme": theme, "people": people, "kind": kind}


def test_rows_are_stored_in_one_canonical_form_whatever_was_typed(form):
    item = form.item("log")
    rows = normalize_value(item, [
        {"日期": "2026年3月5日", "主题": " 清明祭英烈 ", "参加人数": "120", "形式": "2"},
        ["2026/4/1", "法治讲座", 80.0, "Talk"],
        {"date": "2026-05-20", "theme": "科普日", "people": 45},
    ])  # fmt: skip
    assert rows == [
        row("2026-03-05", "清明祭英烈", 120, "参观"),
        row("2026-04-01", "法治讲座", 80, "讲座"),
        row("2026-05-20", "科普日", 45),
    ]
    assert isinstance(rows[1]["people"], int)
    assert normalize_value(item, []) == []  # "no records" is an answer


@pytest.mark.parametrize(
    ("cells", "words"),
    [
        ({"date": "3月32日", "theme": "x", "people": 1}, "第 1 行「日期」：没有“3月32日”这一天"),
        ({"date": "昨天", "theme": "x", "people": 9.5}, "第 1 行「参加人数」：“9.5”不是整数"),
        ({"date": "昨天", "theme": "x", "people": -1}, "第 1 行「参加人数」：不能小于 0"),
        ({"date": "昨天", "people": 3}, "第 1 行「主题」：此格必填"),
        ({"date": "昨天", "theme": "x", "people": 3, "kind": "座谈"}, "“座谈”不是可选项"),
        ({"date": "昨天", "theme": "x", "people": 3, "where": "馆内"}, "没有“where”这一列"),
        ("2026-03-05 清明", "每一行应为"),
    ],
)
def test_a_bad_cell_is_refused_with_its_row_and_column(form, cells, words):
    with pytest.raises(AnswerError) as info:
        normalize_value(form.item("log"), [cells])
    assert words in str(info.value)


def test_cell_errors_read_in_english_too(form):
    with pytest.raises(AnswerError) as info:
        normalize_value(form.item("log"), [{"date": "x", "theme": "t", "people": 1}])
    assert info.value.render("en").startswith("row 1, “Date”: “x” is not a date")


def test_one_date_parser_and_one_whole_number_check_for_cells(form):
    date = form.item("log").column("date")
    assert parse_cell(date, "２０２６年５月２０日") == "2026-05-20"  # full-width digits count
    people = form.item("log").column("people")
    assert parse_cell(people, "9.0") == 9
    with pytest.raises(AnswerError, match="不是整数"):
        parse_cell(people, "9.5")


def test_more_rows_than_max_rows_are_refused(form):
    many = [{"date": "昨天", "theme": str(n), "people": 1} for n in range(201)]
    with pytest.raises(AnswerError, match="最多 200 行"):
        normalize_value(form.item("log"), many)


def test_rows_score_by_row_count_bands_worked_example(form):
    item = form.item("log")
    three = [row("2026-03-05", "清明", 120), row("2026-04-01", "法治", 80),
             row("2026-05-20", "科普", 45)]  # fmt: skip
    # bands ≥4 → 8, ≥3 → 6, ≥1 → 2, ≥0 → 0: 3 rows reach the ≥3 band → 6 of 8
    assert item_points(item, three) == 6
    assert item_points(item, three + [row("2026-06-01", "国防", 30)]) == 8  # 4 rows → 8
    assert item_points(item, three[:1]) == 2
    assert item_points(item, []) == 0  # no records: an answer that earns nothing
    assert item_points(item, None) is None  # not answered
    assert display_value(item, three) == "3 条记录"
    assert display_value(item, three, "en") == "3 rows"


def test_rows_score_per_row_with_a_cap_worked_example(form):
    item = form.item("visits")
    visits = [{"date": f"2026-03-0{d}", "group": f"第{d}小学"} for d in range(1, 6)]
    # per 2 points a row, max 6: 1 row → 2, 2 → 4, 3 → 6, 5 rows → 10 capped at 6
    assert [item_points(item, normalize_value(item, visits[:n])) for n in (1, 2, 3, 5)] == [
        2, 4, 6, 6,
    ]  # fmt: skip


def test_rows_score_by_the_sum_of_a_column_worked_example(form):
    item = form.item("people-log")
    rows = normalize_value(item, [["清明", 120], ["法治", 80], ["科普", 45]])
    # 120 + 80 + 45 = 245 people: ≥200 → 3 (not the ≥500 band's 6)
    assert item_points(item, rows) == 3
    assert display_value(item, rows) == "3 条记录，人数合计 245"


def test_a_table_below_min_rows_keeps_the_sheet_open_and_the_totals_add_up(form):
    sheet = new_sheet(form)
    sheet.set_value("log", [row("2026-03-05", "清明", 120)] * 3)
    sheet.set_value("people-log", [["清明", 300], ["法治", 250]])
    sheet.set_value("visits", [])
    record = sheet.score()
    # log 3 rows → 6; visits 0 rows → 0 (and below min_rows 1: still open); people 550 → 6
    assert record.items["log"].points == 6 and record.items["people-log"].points == 6
    assert record.items["visits"].points == 0
    assert record.total == 12 and "visits" in record.unanswered and not record.complete
    sheet.set_value("visits", [["2026-04-02", "实验小学"]])
    record = sheet.score()
    assert record.total == 14 and record.complete and record.grade == "合格"


def test_na_on_a_table_leaves_it_out_of_earned_and_possible(form):
    text = FORM.replace(
        "        text: 活动台账\n", "        text: 活动台账\n        allow_na: true\n"
    )
    na_form = parse_form_text(text, "t.yaml")
    sheet = new_sheet(na_form)
    sheet.set_na("log")
    sheet.set_value("visits", [["2026-04-02", "实验小学"]] * 3)
    sheet.set_value("people-log", [])
    record = score(na_form, sheet.answers)
    # possible 6 + 6 (log left out): earned 6 + 0 → 6/12 × 20 = 10
    assert record.sections[0].possible_raw == 12 and record.total == 10


def test_show_if_sees_a_table_as_its_row_count(form):
    text = FORM.replace(
        "      - id: people-log\n",
        "      - id: why-few\n        type: text\n        text: 活动少的原因\n"
        '        show_if: "log < 3"\n      - id: people-log\n',
    )
    cond_form = parse_form_text(text, "t.yaml")
    sheet = new_sheet(cond_form)
    sheet.set_value("log", [row("2026-03-05", "清明", 1)])
    assert "why-few" in sheet.visible()
    sheet.set_value("log", [row("2026-03-05", "清明", 1)] * 3)
    assert "why-few" not in sheet.visible()


def problems(text: str) -> list[str]:
    with pytest.raises(FormError) as info:
        parse_form_text(text, "bad.yaml")
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("type: number, unit: 人}", "type: count}", "columns[2].type: input should be"),
        ("score_by: people\n", "score_by: theme\n",
         "score_by 'theme' is a text column; bands and per score rows or the sum of a number"),
        ("score_by: people\n", "score_by: heads\n", "score_by 'heads' is not a column"),
        ("{id: theme, title: 主题, type: text}\n          - {id: people",
         "{id: theme, title: 主题, type: text, unit: 次}\n          - {id: people",
         "unit, min_value, max_value and integer are for number columns, not a text column"),
        ("options: [讲座, 参观], options_en: [Talk, Visit]", "options: [讲座]",
         "a choice column needs at least 2 options"),
        ("{id: theme, title: 主题, type: text}\n          - {id: people",
         "{id: date, title: 主题, type: text}\n          - {id: people",
         "column id 'date' is used twice"),
        ("        per: 2\n", "        per: 2\n        bands: [{min: 0, points: 1}]\n",
         "use either bands or per, not both"),
        ("        min_rows: 1\n", "        min_rows: 300\n",
         "min_rows 300 is more than max_rows 200"),
        ("type: date}\n          - {id: group",
         "type: date, options: [a, b]}\n          - {id: group",
         "only a choice column has options"),
    ],
)  # fmt: skip
def test_a_wrong_table_is_refused_with_a_clear_located_message(old, new, words):
    assert old in FORM
    found = problems(FORM.replace(old, new, 1))
    assert any(words in p for p in found), found
    assert all(p.startswith("bad.yaml:") for p in found)
