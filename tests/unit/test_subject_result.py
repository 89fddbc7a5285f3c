"""One result per subject: scores computed unrounded and rounded once to the form's decimals,
the grade decided on the shown score, 评委不足 flagged, a voided sheet named where it changed
the result, and 加分 never shown as a deduction (sheets built with the real scoring engine)."""

from __future__ import annotations

import itertools

import pytest

from inspect_kit.domain.panel_view import panel_view
from inspect_kit.domain.rounding import fmt_score, round_score
from inspect_kit.domain.sheet import Sheet
from inspect_kit.domain.sheet_text import sheet_lines
from inspect_kit.formfiles.loader import parse_form_text

FORM_YAML = """
form: truth-test
version: 1
title: 一个结果测试表
subject: education-base
total: 100
bonus_cap: 5
%(decimals)s
grades:
  - {grade: 优秀, min: 90, section_min: 0.6}
  - {grade: 良好, min: 80, section_min: 0.6}
  - {grade: 合格, min: 60}
  - {grade: 不合格, min: 0}
panel: {method: %(method)s, trim: 1, min_raters: %(min)d, max_spread: 15}
sections:
  - id: a
    title: 一、阵地
    points: 60
    items:
      - {id: a1, type: score, text: 阵地建设, max: 60, step: 0.1}
  - id: b
    title: 二、活动
    points: 40
    items:
      - {id: b1, type: score, text: 活动开展, max: 40, step: 0.1}
  - id: plus
    title: 加分项
    bonus: true
    items:
      - {id: award, type: score, text: 获表彰, max: 5, step: 0.1}
vetoes:
  - {id: safety, text: 发生安全责任事故}
"""

_ids = itertools.count(1)


def make_form(method: str = "trimmed-mean", min_raters: int = 5, decimals: int | None = None):
    key = "" if decimals is None else f"decimals: {decimals}"
    text = FORM_YAML % {"method": method, "min": min_raters, "decimals": key}
    return parse_form_text(text, "truth-test.yaml")


def sheet(form, subject: str, rater: str, a: float, b: float, bonus: float = 0.0,
          veto: str = "") -> dict:  # fmt: skip
    s = Sheet(form=form, form_sha256="x", subject=subject, subject_name=f"{subject}名称",
              rater=rater, round="2026", uuid=f"t{next(_ids)}")  # fmt: skip
    s.set_value("a1", a)
    s.set_value("b1", b)
    s.set_value("award", bonus)
    for item, lost in (("a1", 60 - a), ("b1", 40 - b)):
        if lost > 0:
            s.set_note(item, f"{rater}：扣分理由")
    s.set_veto("safety", bool(veto), veto)
    record = s.to_record()
    record.update(status="final", finalized_at=f"2026-05-01T10:0{next(_ids) % 10}:00+08:00")
    return record


RATERS = ("甲", "乙", "丙", "丁", "戊")


def view_of(form, records):
    return panel_view(form, records, "2026")


def test_round_score_rounds_halves_up_once():
    assert round_score(89.95) == 90.0 and fmt_score(89.95) == "90.0"
    assert round_score(89.94999999) == 90.0  # float noise under a half
    assert round_score(89.9499) == 89.9
    assert round_score(99.66666666) == 99.7 and round_score(98.83333333) == 98.8
    assert fmt_score(98.83333333, 2) == "98.83" and fmt_score(90, 0) == "90"


def test_a_mean_of_89_95_shows_90_0_and_grades_on_the_shown_score():
    form = make_form(method="mean", min_raters=2)
    records = [sheet(form, "s1", "甲", 54.0, 35.5), sheet(form, "s1", "乙", 54.0, 36.4)]
    s = view_of(form, records).subjects[0]
    assert s.final_exact == pytest.approx(89.95)
    assert s.final == 90.0 and s.fmt(s.final) == "90.0"
    assert s.grade == "优秀" and s.band == "优秀"  # decided on 90.0, as shown everywhere


def test_panel_totals_are_not_sums_of_rounded_parts():
    form = make_form()
    # kept totals 95.0 95.5 95.5 (drop 90 and 99) -> 95.333; kept bonus 4 4.5 4.5 -> 4.333
    totals = [(57, 38, 4.0), (57, 38.5, 4.5), (57.5, 38, 4.5), (54, 36, 3.0), (60, 39, 5.0)]
    records = [sheet(form, "s1", r, a, b, bo) for r, (a, b, bo) in zip(RATERS, totals, strict=True)]
    s = view_of(form, records).subjects[0]
    assert s.method == "trimmed-mean" and sorted(s.dropped) == ["丁", "戊"]
    assert s.final_exact == pytest.approx(99.6667, abs=1e-4)
    assert (s.total, s.bonus, s.final) == (95.3, 4.3, 99.7)  # not 95.33 + 4.33 = 99.66
    # 98.833: kept totals 94.5 94 94 -> 94.167; kept bonus 4.5 5 4.5 -> 4.667
    totals = [(56.5, 38, 4.5), (56, 38, 5.0), (56, 38, 4.5), (50, 30, 2.0), (60, 40, 5.0)]
    records = [sheet(form, "s2", r, a, b, bo) for r, (a, b, bo) in zip(RATERS, totals, strict=True)]
    s = view_of(form, records).subjects[0]
    assert s.final_exact == pytest.approx(98.8333, abs=1e-4)
    assert s.final == 98.8  # not 94.17 + 4.67 = 98.84


def test_a_form_may_show_two_decimals():
    form = make_form(decimals=2)
    totals = [(57, 38, 4.0), (57, 38.5, 4.5), (57.5, 38, 4.5), (54, 36, 3.0), (60, 39, 5.0)]
    records = [sheet(form, "s1", r, a, b, bo) for r, (a, b, bo) in zip(RATERS, totals, strict=True)]
    s = view_of(form, records).subjects[0]
    assert s.final == 99.67 and s.fmt(s.final) == "99.67"


def test_a_sheet_total_is_rounded_once():
    form = make_form()
    record = sheet(form, "s1", "甲", 56.3, 38.2, 4.4)
    score = record["score"]
    assert score["total_exact"] == pytest.approx(94.5) and score["bonus_exact"] == 4.4
    assert score["final_exact"] == pytest.approx(98.9)
    assert (score["total"], score["bonus"], score["final"]) == (94.5, 4.4, 98.9)


def test_fewer_sheets_than_min_raters_is_flagged_with_the_rule_that_applied():
    from inspect_kit.charts.data import ranking_data
    from inspect_kit.cli.panel_cmd import panel_lines
    from inspect_kit.tui.screens.panel_text import row_cells, subject_lines

    form = make_form()
    records = [sheet(form, "s1", r, 50, 30) for r in RATERS]
    records += [sheet(form, "thin", r, 55, 35) for r in RATERS[:3]]
    view = view_of(form, records)
    thin, full = view.result("thin"), view.result("s1")
    assert thin is not None and full is not None
    assert thin.short_panel and not full.short_panel
    assert thin.method == "mean" and full.method == "trimmed-mean"
    assert thin.quorum is not None
    assert "评委不足" in thin.quorum.text and "少于 5 张" in thin.quorum.text
    assert "按算术平均，未去掉最高分和最低分" in thin.quorum.text
    assert [f.kind for f in thin.flags] == ["quorum"] and not full.flags
    # every view says so
    assert any(thin.quorum.text in line for line in panel_lines(view))
    assert "评委不足" in row_cells(thin)[3] and "评委不足" not in row_cells(full)[3]
    assert any("评委不足" in line for line in subject_lines(thin, "zh"))
    rows = {r.subject: r for r in ranking_data(view).rows}
    assert rows["thin"].short_panel and not rows["s1"].short_panel


def test_a_voided_sheet_is_named_where_it_changed_the_result():
    form = make_form()
    records = [sheet(form, "s1", r, 50 + i, 30) for i, r in enumerate(RATERS)]
    void = {**records[-1], "revision": 2, "status": "void", "amend_reason": "评委回避"}
    view = view_of(form, [*records, void])
    s = view.subjects[0]
    assert s.rater_count == 4 and s.short_panel and s.method == "mean"
    assert len(s.voided) == 1 and s.voided[0].changed and s.voided[0].rater == "戊"
    assert "评委回避" in s.voided[0].text and "去掉最高分和最低分后平均" in s.voided[0].text
    assert [f.kind for f in s.flags] == ["quorum", "voided"]
    from inspect_kit.charts.data import ranking_data
    from inspect_kit.charts.ranking import row_note
    from inspect_kit.cli.panel_cmd import panel_lines

    assert any(s.voided[0].text in line for line in panel_lines(view))
    assert "作废影响结果" in row_note(ranking_data(view).rows[0])


def test_a_veto_reason_names_who_and_their_note_and_ranks_last():
    form = make_form()
    records = [sheet(form, "best", r, 60, 40, veto=r == "甲" and "现场核实" or "") for r in RATERS]
    records += [sheet(form, "next", r, 50, 30) for r in RATERS]
    view = view_of(form, records)
    best = view.result("best")
    assert best is not None and best.vetoed and best.grade == "不合格"
    assert best.rank == 2 and view.subjects[-1].subject == "best"
    (reason,) = [r for r in best.reasons if r.kind == "veto"]
    assert reason.raised_by[0].rater == "甲" and "现场核实" in reason.text
    tally = {g.grade: g for g in view.grade_tally}
    assert tally["不合格"].count == 1 and tally["不合格"].vetoed == 1


def test_a_section_floor_downgrade_is_counted_apart():
    form = make_form()
    # 60 + 30 = 90 reaches 优秀 by score, but b (30/40 = 75%) is fine; make a section low:
    records = [sheet(form, "low", r, 60, 20, 5.0) for r in RATERS]  # b at 50% < 60%
    view = view_of(form, records)
    s = view.subjects[0]
    assert s.final == 85.0 and s.band == "良好" and s.grade == "合格" and s.downgraded
    assert [r.kind for r in s.reasons] == ["section_min"] and "二、活动" in s.reasons[0].sections
    tally = {g.grade: g for g in view.grade_tally}
    assert (
        tally["合格"].count == 1 and tally["合格"].downgraded == 1 and tally["合格"].by_score == 0
    )


def test_bonus_is_never_a_deduction(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from inspect_kit.exports.xlsx_export import DEDUCTIONS, write_xlsx

    form = make_form()
    record = sheet(form, "s1", "甲", 55, 35, 2.0)  # 3 of 5 bonus points not earned
    assert record["score"]["items"]["award"]["lost"] == 0
    assert not record["score"]["missing_notes"]  # no 扣分理由 asked for a bonus
    text = "\n".join(sheet_lines(form, record, []))
    assert "加分 2.0 / 5" in text and "获表彰：2，加 2 分" in text
    assert not any("获表彰" in line and "扣" in line for line in text.splitlines())
    assert "总分：90.0 + 加分 2.0 = 92.0" in text
    english = "\n".join(sheet_lines(form, record, [], lang="en"))
    assert "bonus 2.0 / 5" in english and "-3" not in english

    out = tmp_path / "x.xlsx"
    write_xlsx(out, [record], {"x": form})
    rows = list(openpyxl.load_workbook(out)[DEDUCTIONS].iter_rows(min_row=2, values_only=True))
    assert {r[7] for r in rows} == {"a1", "b1"}  # the deductions, never the bonus item


def test_changed_copies_equal_dataclasses_replace():
    """panel copies results with `changed` (fast); it must give what `replace` gives."""
    import dataclasses

    from inspect_kit.domain import subject_result as module

    for cls in vars(module).values():
        if dataclasses.is_dataclass(cls) and isinstance(cls, type):
            assert not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__"), cls
    form = make_form()
    view = view_of(form, [sheet(form, "s1", r, 50 + i, 30 - i) for i, r in enumerate(RATERS)])
    subject = view.subjects[0]
    assert any(not s.kept for s in subject.sheets)  # trimmed: copied with kept False
    for obj, changes in (
        (subject, {"rank": 7, "flags": ()}),
        (subject.sheets[0], {"kept": not subject.sheets[0].kept}),
    ):
        got = module.changed(obj, **changes)
        assert got == dataclasses.replace(obj, **changes) and type(got) is type(obj)
        assert got is not obj and obj != got
