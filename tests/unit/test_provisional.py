"""The provisional grade projects the points so far onto the whole form (issue 11)."""

from __future__ import annotations

from inspect_kit.domain.answers import Answer, AnswerSet, VetoAnswer
from inspect_kit.domain.provisional import provisional
from inspect_kit.domain.scoring import score


def _answers(**values) -> AnswerSet:
    return AnswerSet(items={k: Answer(value=v) for k, v in values.items()})


def test_nothing_answered_has_no_projection(edu_form):
    form = edu_form.form
    assert provisional(form, score(form, AnswerSet())) is None


def test_full_marks_so_far_project_to_the_top_grade(edu_form):
    form = edu_form.form
    record = score(form, _answers(**{"sign-posted": "规范"}))  # 3 of 3 points so far
    result = provisional(form, record)
    assert result is not None and result.score == 100 and result.grade == "优秀"
    assert record.grade == "不合格"  # what grading 3 points against 100 would say


def test_projection_scales_earned_over_possible(edu_form):
    form = edu_form.form
    # sign: 规范 3/3 and info-posted with one defect 1/2 → 4 of 5 raw = 4 of 5 section points
    record = score(form, _answers(**{"sign-posted": "规范", "info-posted": ["开放时间"]}))
    result = provisional(form, record)
    assert record.total == 4 and record.possible_so_far == 5
    assert result is not None and result.score == 80 and result.grade == "良好"


def test_a_partial_sheet_grades_on_the_projected_score(edu_form):
    form = edu_form.form
    # signage 5/5; premises 无场所 0/5 and no hazards 5/5 → 10 of 15 so far → 66.7 of 100
    answers = _answers(**{"sign-posted": "规范", "info-posted": [], "site-fixed": "无场所",
                          "site-safety": 0})  # fmt: skip
    record = score(form, answers)
    result = provisional(form, record)
    assert (record.total, record.possible_so_far) == (10, 15)
    assert result is not None and result.score == 66.7 and result.grade == "合格"


def test_a_fired_veto_is_the_veto_grade(edu_form):
    form = edu_form.form
    answers = _answers(**{"sign-posted": "规范"})
    answers.vetoes[form.vetoes[0].id] = VetoAnswer(fired=True)
    result = provisional(form, score(form, answers))
    assert result is not None and result.vetoed and result.grade == "不合格"
