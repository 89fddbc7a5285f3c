"""The compiled scoring plan (domain.scoring_plan) gives exactly the record the reference path
gives: `ScoringPlan(form).score_stored(doc)` == `score(form, AnswerSet.from_record(doc))
.to_stored()`, compared as JSON bytes (so 1 and 1.0 differ, and key order counts), on random
sheets of every built-in form and of a form that uses every scoring feature; with answers of
the wrong type both paths raise the same exception. An import re-scores with the plan, so a
difference here would let a tampered sheet in or keep a good one out.
"""

from __future__ import annotations

import functools
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspect_kit.domain.answers import AnswerSet, normalize_value
from inspect_kit.domain.model import (
    ChoiceItem,
    DateItem,
    DeductItem,
    Form,
    MultiItem,
    NoteItem,
    NumberItem,
    PhotoItem,
    ScoreItem,
    SignatureItem,
    TableItem,
    TextItem,
    YesNoItem,
)
from inspect_kit.domain.scoring import score
from inspect_kit.domain.scoring_plan import FIGURES, ScoringPlan, plan_for
from inspect_kit.formfiles.loader import parse_form_text

PROPS = settings(max_examples=100, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.function_scoped_fixture,
                                        HealthCheck.too_slow])  # fmt: skip

EVERY_FEATURE = """
form: every-feature
version: 1
title: 每种计分规则
subject: school
total: 50
bonus_cap: 3
decimals: DECIMALS
bonus_counts: BONUS_COUNTS
SCORE_CAP
deduction_note: required
grades:
  - {grade: 甲, min: 40, section_min: 0.8, section_min_of: [basic]}
  - {grade: 乙, min: 30, section_min: 0.5}
  - {grade: 丙, min: 15}
  - {grade: 丁, min: 0}
veto_grade: 丙
vetoes:
  - {id: v-safety, text: 发生安全事故}
  - {id: v-fraud, text: 弄虚作假}
sections:
  - id: basic
    title: 基本
    points: 20
    items:
      - {id: has-room, type: yesno, text: 有活动室, points: 4, labels: [有, 无], allow_na: true}
      - {id: unsafe, type: yesno, text: 存在隐患, points: 2, good: "no", veto_on: "yes"}
      - id: level
        type: choice
        text: 档次
        allow_na: true
        options:
          - {label: 好, points: 5}
          - {label: 中, points: 3}
          - {label: 差, points: 0, fail: true}
          - {label: 造假, points: 0, veto: true}
      - id: kinds
        type: multi
        text: 开展的活动
        max: 4
        options:
          - {label: 读书, points: 2}
          - {label: 体育, points: 2}
          - {label: 艺术, points: 2}
          - {label: 违规收费, points: 0, veto: true}
          - {label: 无记录, points: 0, fail: true}
      - {id: mark, type: score, text: 综合印象, max: 5, step: 0.5}
      - {id: accident, type: yesno, text: 发生责任事故, veto_on: "yes", labels: [发生, 未发生]}
      - id: attitude
        type: choice
        text: 接受检查的态度
        options: [{label: 端正}, {label: 敷衍, fail: true}]
  - id: scaled
    title: 折算
    points: 15
    scale: true
    items:
      - {id: gaps, type: deduct, text: 缺项, max: 6, per: 1.5, allow_na: true}
      - id: lacks
        type: deduct
        text: 缺少的材料
        max: 4
        per: 2
        defects: [计划, 总结, 台账]
      - id: visits
        type: number
        text: 接待人次
        integer: true
        allow_na: true
        bands:
          - {min: 500, points: 5, when: "subject.level in ['乡镇级', '村级']"}
          - {min: 100, points: 3, when: "subject.level in ['乡镇级', '村级']"}
          - {min: 0, points: 1, when: "subject.level in ['乡镇级', '村级']"}
          - {min: 800, points: 6, when: "subject.tags contains '示范'"}
          - {min: 2000, points: 5}
          - {min: 1000, points: 3}
      - {id: hours, type: number, text: 志愿服务时长, per: 0.5, max: 3, max_value: 8}
      - id: log
        type: table
        text: 活动台账
        min_rows: 2
        allow_na: true
        columns:
          - {id: date, title: 日期, type: date}
          - {id: theme, title: 主题, type: text}
          - {id: people, title: 人数, type: number}
        score_by: people
        bands:
          - {min: 60, points: 4, when: "subject.level == '村级'"}
          - {min: 20, points: 2, when: "subject.level == '村级'"}
          - {min: 100, points: 4}
          - {min: 40, points: 2}
          - {min: 0, points: 0}
      - id: sessions
        type: table
        text: 讲座
        columns:
          - {id: date, title: 日期, type: date}
          - {id: kind, title: 形式, type: choice, options: [线上, 线下]}
        per: 1
        max: 3
      - {id: remark, type: text, text: 说明, required: false}
      - {id: remark-extra, type: text, text: 补充说明, show_if: "has-room == '有'", required: true}
      - {id: log-note, type: text, text: 台账说明, show_if: "log >= 3", required: true}
  - id: optional
    title: 可不适用
    points: 15
    items:
      - {id: garden, type: yesno, text: 有种植园, points: 10, allow_na: true}
      - {id: garden-level, type: choice, text: 种植园档次, allow_na: true,
         options: [{label: 高, points: 5}, {label: 低, points: 2}]}
      - {id: garden-photo, type: photo, text: 种植园照片, required: false,
         show_if: "garden == true and not (subject.tags contains '农村')"}
      - {id: when-visited, type: date, text: 检查日期}
      - {id: reader, type: note, text: 说明文字}
      - {id: signer, type: signature, text: 检查人签名}
  - id: extra
    title: 加分
    bonus: true
    items:
      - {id: award, type: yesno, text: 获市级表彰, points: 2}
      - {id: papers, type: number, text: 发表文章, per: 1, max: 2}
      - id: honours
        type: multi
        text: 荣誉
        options: [{label: 省级, points: 2}, {label: 国家级, points: 3}]
"""

LEVELS = ["", "乡镇级", "村级", "县级", "市级"]
TAGS = ["学校", "示范", "农村", "社区"]


@functools.cache
def every_feature_form(decimals: int = 1, bonus_counts: bool = True,
                       score_cap: str | None = "score_cap: 50") -> Form:  # fmt: skip
    text = (EVERY_FEATURE.replace("DECIMALS", str(decimals))
            .replace("BONUS_COUNTS", "true" if bonus_counts else "false")
            .replace("SCORE_CAP", score_cap or ""))  # fmt: skip
    return parse_form_text(text, "every-feature.yaml")


def _rows(item: TableItem, people: list[int]) -> list[dict[str, Any]]:
    """One row per entry of `people` (the number column's cell)."""
    cells = {"date": "2026-05-01", "text": "活动"}
    return [
        {c.id: (c.options[i % len(c.options)] if c.type == "choice"
                else n if c.type == "number" else cells[c.type]) for c in item.columns}
        for i, n in enumerate(people)
    ]  # fmt: skip


def best_value(item: Any) -> Any:
    """A value earning the item's full marks (for sheets that reach the top grades)."""
    if isinstance(item, YesNoItem):
        return item.good == "yes"
    if isinstance(item, ChoiceItem):
        return max((o for o in item.options if not o.veto and not o.fail),
                   key=lambda o: o.points).label  # fmt: skip
    if isinstance(item, MultiItem):
        return [o.label for o in item.options if not o.veto and not o.fail]
    if isinstance(item, ScoreItem):
        return item.max
    if isinstance(item, DeductItem):
        return [] if item.defects else 0
    if isinstance(item, NumberItem):
        if item.bands:
            return max(b.min for b in item.bands)
        return min(item.max_value or 1e9, (item.max or 0) / (item.per or 1))
    if isinstance(item, TableItem):
        return _rows(item, [40, 40, 40])
    return None


def raw_value(item: Any) -> st.SearchStrategy[Any]:
    """A value the item accepts (normalised before it is stored, as every front-end does)."""
    if isinstance(item, YesNoItem):
        return st.booleans()
    if isinstance(item, ChoiceItem):
        return st.sampled_from([o.label for o in item.options])
    if isinstance(item, MultiItem):
        return st.lists(st.sampled_from([o.label for o in item.options]), unique=True)
    if isinstance(item, ScoreItem):
        return st.integers(0, int(round(item.max / item.step))).map(lambda n: n * item.step)
    if isinstance(item, DeductItem):
        if item.defects:
            return st.lists(st.sampled_from(item.defects), unique=True)
        return st.integers(0, int(item.max / item.per) + 3)
    if isinstance(item, NumberItem):
        high = item.max_value if item.max_value is not None else 3000
        if item.integer:
            return st.integers(int(item.min_value), int(high))
        return st.floats(item.min_value, high, allow_nan=False).map(lambda v: round(v, 4))
    if isinstance(item, TableItem):
        people = st.sampled_from([0, 5, 10, 20, 30, 45, 60])
        return st.lists(people, max_size=6).map(lambda counts: _rows(item, counts))
    if isinstance(item, TextItem | SignatureItem):
        return st.sampled_from(["情况良好", "需整改"])
    if isinstance(item, DateItem):
        return st.dates().map(lambda d: d.isoformat())
    if isinstance(item, PhotoItem):
        return st.lists(st.sampled_from(["a.jpg", "b.jpg"]), min_size=1, unique=True)
    return st.none()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**6) | st.floats() | st.text(max_size=4)
    | st.sampled_from(["是", "否", "有", "好", "读书", "计划", "", "5"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner,
                                                               max_size=3),
    max_leaves=8,
)  # fmt: skip
"""Any JSON value: what a hand-edited or tampered file may hold in place of an answer."""


@st.composite
def sheet_records(draw, form: Form, wild: bool = False) -> dict[str, Any]:
    """A sheet record's answers, vetoes and subject facts, as the database stores them:
    answered, unanswered, N/A (on any item: a file may say so), with or without notes. A
    `good` sheet answers most items at full marks and rarely fires a veto, so the top grades
    and their section floors are reached too."""
    good = draw(st.booleans())
    answers: dict[str, Any] = {}
    for _, item in form.iter_items():
        kind = draw(st.integers(0, 9))
        if good and kind < 7 and (best := best_value(item)) is not None:
            note = draw(st.sampled_from(["", "扣分理由"]))
            answers[item.id] = {"value": normalize_value(item, best), "na": False, "note": note}
            continue
        if kind == 0:
            continue  # not answered yet
        note = draw(st.sampled_from(["", "扣分理由", "  "]))
        if kind == 1:
            answers[item.id] = {"value": None, "na": True, "note": note}
        elif wild and kind == 2:
            answers[item.id] = {"value": draw(JSON), "na": draw(st.booleans()), "note": note}
        elif isinstance(item, NoteItem):
            answers[item.id] = {"value": None, "na": False, "note": note}
        else:
            value = normalize_value(item, draw(raw_value(item)))
            answers[item.id] = {"value": value, "na": False, "note": note}
    if draw(st.booleans()):
        answers["not-on-the-form"] = {"value": "x", "na": False, "note": ""}
    vetoes = {}
    for veto in form.vetoes:
        choices = [False, False, False, 0, True] if good else ["absent", None, True, False, 0, 1]
        fired = draw(st.sampled_from(choices))
        if fired != "absent":
            vetoes[veto.id] = {"fired": fired, "note": draw(st.sampled_from(["", "见记录"]))}
    record: dict[str, Any] = {"answers": answers, "vetoes": vetoes}
    if draw(st.integers(0, 3)):
        record["subject_facts"] = {
            "kind": draw(st.sampled_from(["", "school", "base"])),
            "level": draw(st.sampled_from([*LEVELS, "村级", "乡镇级"])),
            "tags": draw(st.lists(st.sampled_from(TAGS), unique=True, max_size=3)),
            "district": draw(st.sampled_from(["", "城关区"])),
        }
    if wild and draw(st.integers(0, 4)) == 0:
        record["subject_facts"] = draw(JSON)
    return record


def reference(form: Form, record: dict[str, Any]) -> dict[str, Any]:
    return score(form, AnswerSet.from_record(record)).to_stored()


def differences(ref: Any, fast: Any, path: str = "") -> list[str]:
    """Where two stored records differ, each named by its path (types count: 1 is not 1.0)."""
    if isinstance(ref, dict) and isinstance(fast, dict):
        if list(ref) != list(fast):
            return [f"{path}: keys {list(ref)} != {list(fast)}"]
        return [d for k in ref for d in differences(ref[k], fast[k], f"{path}.{k}")]
    if isinstance(ref, list) and isinstance(fast, list) and len(ref) == len(fast):
        return [d for i, (a, b) in enumerate(zip(ref, fast, strict=True))
                for d in differences(a, b, f"{path}[{i}]")]  # fmt: skip
    if orjson.dumps(ref) != orjson.dumps(fast):
        return [f"{path}: {ref!r} != {fast!r}"]
    return []


def assert_same(form: Form, record: dict[str, Any]) -> None:
    plan = plan_for(form)  # one plan across examples: what it remembers between sheets counts
    ref = reference(form, record)
    assert differences(ref, plan.score_stored(record)) == []
    assert differences({k: ref[k] for k in FIGURES}, plan.figures(record)) == []


def assert_same_or_same_error(form: Form, record: dict[str, Any]) -> None:
    plan = plan_for(form)
    try:
        ref = reference(form, record)
    except Exception as e:
        for run in (plan.score_stored, plan.figures):
            with pytest.raises(type(e)):
                run(record)
        return
    assert differences(ref, plan.score_stored(record)) == []
    assert differences({k: ref[k] for k in FIGURES}, plan.figures(record)) == []


# ---------------------------------------------------------------- the properties


@pytest.mark.parametrize(
    "stem", ["edu-base-inspection", "five-good-committee", "five-good-enterprise",
             "four-oclock-school"],
)  # fmt: skip
def test_the_plan_scores_every_builtin_form_exactly_as_the_reference(builtin_forms, stem):
    form = builtin_forms[stem].form

    @PROPS
    @given(sheet_records(form))
    def run(record):
        assert_same(form, record)

    run()


@pytest.mark.parametrize(
    ("decimals", "bonus_counts", "score_cap"),
    [(1, True, "score_cap: 50"), (0, False, None), (2, True, None), (3, False, "score_cap: 51")],
)
def test_the_plan_matches_on_a_form_using_every_scoring_feature(decimals, bonus_counts,
                                                               score_cap):  # fmt: skip
    """yes/no (labels, good: no, veto_on), choice (fail and veto options), multi (capped, veto
    and fail options), score, deduct (count and named), number (bands with `when` on level and
    tags, per × n capped), tables (by a column's sum with level bands, by rows with per),
    min_rows, show_if on answers and subject facts, N/A, a scaled section, a bonus section,
    vetoes, section floors on some sections, decimals, score_cap, bonus_counts."""
    form = every_feature_form(decimals, bonus_counts, score_cap)

    @PROPS
    @given(sheet_records(form))
    def run(record):
        assert_same(form, record)

    run()


@pytest.mark.parametrize("stem", ["edu-base-inspection", "five-good-committee"])
def test_answers_of_the_wrong_type_score_or_fail_alike(builtin_forms, stem):
    """What a tampered file may hold: any JSON where a value, or the subject facts, should be.
    Where the reference raises (the import then refuses the sheet), the plan raises too."""
    form = builtin_forms[stem].form

    @PROPS
    @given(sheet_records(form, wild=True))
    def run(record):
        assert_same_or_same_error(form, record)

    run()


@PROPS
@given(sheet_records(every_feature_form(), wild=True))
def test_answers_of_the_wrong_type_on_every_feature_score_or_fail_alike(record):
    assert_same_or_same_error(every_feature_form(), record)


def test_level_aware_items_match_for_every_level_tag_and_amount(builtin_forms):
    """Every item with `when` bands, under every subject level and tag (and none), for amounts
    across all its band edges: the bands chosen and the points earned are the reference's."""
    forms = [lf.form for lf in builtin_forms.values()] + [every_feature_form()]
    facts = [None] + [{"kind": "", "level": level, "tags": [tag] if tag else [], "district": ""}
                      for level in LEVELS for tag in ("", *TAGS)]  # fmt: skip
    checked = 0
    for form in forms:
        for _, item in form.iter_items():
            if not isinstance(item, NumberItem | TableItem) or not any(b.when for b in item.bands):
                continue
            edges = sorted({b.min + d for b in item.bands for d in (-1, 0, 1)} - {-1})
            for amount in edges:
                value = (normalize_value(item, int(amount)) if isinstance(item, NumberItem)
                         else _table_value(item, int(amount)))  # fmt: skip
                for subject in facts:
                    record = {"answers": {item.id: {"value": value, "na": False, "note": ""}}}
                    if subject is not None:
                        record["subject_facts"] = subject
                    assert_same(form, record)
                    checked += 1
    assert checked > 500


def test_what_the_plan_remembers_between_sheets_never_leaks_into_another(builtin_forms):
    """The plan remembers which items `show_if` hides per combination of the values the
    conditions read and the subject's facts. Values that compare equal in Python but not to
    a condition (True and 1, 1 and 1.0), facts that differ only in a tag, answers N/A or
    missing: scored one after another on ONE plan, forward and back, each is the reference's."""
    forms = [lf.form for lf in builtin_forms.values()] + [every_feature_form()]
    values: list[Any] = [True, False, 1, 0, 1.0, "是", "否", "有", "有预案有演练", None, "", 3]
    facts = [None, {"tags": []}, {"tags": ["学校"]}, {"tags": ["农村"]}, {"level": "村级"}]
    checked = 0
    for form in forms:
        plan = plan_for(form)
        read = sorted({n for c in plan.conditions.values() for n in c.names if "." not in n})
        records = [
            {"answers": {n: {"value": v, "na": na, "note": ""} for n in read},
             **({"subject_facts": f} if f is not None else {})}
            for v in values for na in (False, True) for f in facts
        ]  # fmt: skip
        for record in records + records[::-1]:
            assert_same_or_same_error(form, record)  # True for a table's rows raises in both
            checked += 1
    assert checked > 400


def _table_value(item: TableItem, amount: int) -> list[dict[str, Any]]:
    if item.score_by == "rows":
        return normalize_value(item, _rows(item, [1] * amount))
    return normalize_value(item, _rows(item, [amount]))


@pytest.mark.parametrize(
    "record",
    [
        {"answers": ["not", "a", "mapping"]},
        {"answers": {"has-room": "not an object"}},
        {"answers": {"has-room": {"value": True, "attachments": 5}}},
        {"answers": {}, "vetoes": {"v-safety": True}},
    ],
)
def test_records_of_the_wrong_shape_raise_in_both(record):
    assert_same_or_same_error(every_feature_form(), record)


def test_the_demo_sheets_score_the_same(builtin_forms):
    """The sheets the demo fills (real answers, 扣分理由, subject facts, drafts half done):
    their stored scores (written by the reference) are what the plan computes."""
    from inspect_kit.demo.generator import DemoPlan, build_demo

    _, finals, drafts = build_demo(list(builtin_forms.values()), DemoPlan(subjects=4, rounds=1))
    sheets = [sheet for sheet, _ in finals] + drafts
    assert len(sheets) > 50
    for sheet in sheets:
        record = sheet.to_record()
        assert differences(record["score"], ScoringPlan(sheet.form).score_stored(record)) == []


def test_a_plan_is_built_once_per_form_object(builtin_forms):
    form = builtin_forms["five-good-enterprise"].form
    assert plan_for(form) is plan_for(form)
    assert plan_for(form).form is form
