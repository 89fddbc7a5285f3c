"""A subject's reasons and flags are worded once, in Chinese and English (`text_in(lang)`):
`panel --lang en` and the TUI panel in English show no Chinese sentence, while the Chinese
wording (the pack, the XLSX) stays as it was."""

from __future__ import annotations

import re

from inspect_kit.formfiles.loader import parse_form_text
from inspect_kit.tui.screens.panel_text import subject_lines
from tests.unit.test_subject_result import RATERS, sheet, view_of

FORM = """
form: words-test
version: 1
title: 措辞测试表
title_en: Wording test
subject: education-base
total: 100
bonus_cap: 5
grades:
  - {grade: 优秀, grade_en: Excellent, min: 90, section_min: 0.6}
  - {grade: 良好, grade_en: Good, min: 80, section_min: 0.6}
  - {grade: 合格, grade_en: Pass, min: 60}
  - {grade: 不合格, grade_en: Fail, min: 0}
panel: {method: trimmed-mean, trim: 1, min_raters: 5, max_spread: 15, veto: majority}
sections:
  - id: a
    title: 一、阵地
    title_en: A. Premises
    points: 60
    items:
      - {id: a1, type: score, text: 阵地建设, text_en: Premises, max: 60, step: 0.1}
  - id: b
    title: 二、活动
    title_en: B. Activities
    points: 40
    items:
      - {id: b1, type: score, text: 活动开展, text_en: Activities, max: 40, step: 0.1}
  - id: plus
    title: 加分项
    title_en: Bonus
    bonus: true
    items:
      - {id: award, type: score, text: 获表彰, text_en: Awards, max: 5, step: 0.1}
vetoes:
  - {id: safety, text: 发生安全责任事故, text_en: A safety accident}
"""
SENTENCE = re.compile("[评委不足作废否决总分达到等次按算术平均去掉]")
"""Characters of the Chinese sentences (names such as 甲 or 现场核实 are data, not wording)."""


def form():
    return parse_form_text(FORM, "words-test.yaml")


def texts(result, lang):
    return [r.text_in(lang) for r in result.reasons] + [f.text_in(lang) for f in result.flags]


def test_quorum_void_and_spread_in_both_languages():
    f = form()
    records = [sheet(f, "s1", r, 30 + 7 * i, 30) for i, r in enumerate(RATERS)]
    void = {**records[-1], "revision": 2, "status": "void", "amend_reason": "回避"}
    s = view_of(f, [*records, void]).subjects[0]
    assert [x.kind for x in s.flags] == ["quorum", "spread", "voided"]
    zh, en = texts(s, "zh"), texts(s, "en")
    assert zh[0] == "评委不足：4 张评分表，少于 5 张；按算术平均，未去掉最高分和最低分"
    assert en[0] == (
        "Too few raters: 4 sheet(s), fewer than 5; scored by the arithmetic mean, "
        "the highest and lowest not dropped"
    )
    assert en[1].startswith("Raters 21.0 points apart, more than 15")
    assert "reason: 回避" in en[2] and "panel score" in en[2]
    assert s.voided[0].text_in("zh") == s.voided[0].text and "计入时" in s.voided[0].text
    for line in en:
        assert not SENTENCE.search(line), line


def test_veto_floor_and_short_veto_in_english():
    f = form()
    records = [sheet(f, "v", r, 60, 40, veto="现场核实" if r in "甲乙丙" else "") for r in RATERS]
    records += [sheet(f, "one", r, 60, 40, veto="见记录" if r == "甲" else "") for r in RATERS]
    records += [sheet(f, "low", r, 60, 20, 5.0) for r in RATERS]
    view = view_of(f, records)
    vetoed, short, low = view.result("v"), view.result("one"), view.result("low")
    assert vetoed.reasons[0].text_in("en") == (
        "Veto: A safety accident (丙: 现场核实; 乙: 现场核实; 甲: 现场核实)"
    )
    assert (
        vetoed.reasons[0].text
        == "一票否决：发生安全责任事故（丙：现场核实；乙：现场核实；甲：现场核实）"
    )
    assert short.reasons[0].text_in("en").startswith("Veto short of a majority (not applied)")
    (floor,) = low.reasons
    assert "B. Activities" in floor.text_in("en") and "“Good”" in floor.text_in("en")
    assert "二、活动" in floor.text
    for result in (vetoed, short, low):
        for line in texts(result, "en") + subject_lines(result, "en", f):
            assert not SENTENCE.search(line), line
