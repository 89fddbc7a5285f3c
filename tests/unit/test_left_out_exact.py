"""The robustness table's lean outcome (grade, final, vetoed) equals the whole subject_result's,
over random sheets of every demo form under every panel rule."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_kit.demo.generator import demo_forms
from inspect_kit.domain.left_out import SubjectOutcome
from inspect_kit.domain.panel import subject_result

FORMS = [lf.form for lf in demo_forms()]
share = st.integers(min_value=9, max_value=20).map(lambda n: n / 20)
"""Of a section's points: sections near and below the grades' floors (section_min)."""


@st.composite
def cases(draw):
    form = draw(st.sampled_from(FORMS))
    rule = form.panel.model_copy(update={
        "method": draw(st.sampled_from(["mean", "median", "trimmed-mean", "trimmed-mean"])),
        "trim": draw(st.integers(0, 2)),
        "min_raters": draw(st.integers(1, 6)),
        "veto": draw(st.sampled_from(["any", "majority"])),
    })  # fmt: skip
    updates = {"panel": rule, "decimals": draw(st.integers(0, 2)),
               "bonus_counts": draw(st.booleans())}  # fmt: skip
    if draw(st.booleans()):
        updates["score_cap"] = draw(st.sampled_from([90.0, 100.0, 105.0]))
    form = form.model_copy(update=updates)
    docs = []
    for i in range(draw(st.integers(1, 7))):
        sections = [
            {"id": s.id, "bonus": s.bonus, "scaled": draw(share) * (s.points or 4.0)}
            for s in form.sections
            if s.bonus or draw(st.integers(0, 9))  # now and then a section left out
        ]
        total = draw(st.integers(55, 99)) + draw(share)  # apart from the sections: floors bite
        bonus = draw(st.sampled_from([0.0, 0.5, 1.0, 3.0, 7.25]))
        raised = draw(st.sampled_from([[], [], [], [], ["v1"], ["v2"], ["v1", "v2"]]))
        vetoes = [{"id": v} for v in raised]
        score = {"total": round(total, 1), "grade": form.grades[0].grade, "sections": sections,
                 "vetoes": vetoes, "bonus": bonus}  # fmt: skip
        if draw(st.booleans()):  # newer sheets keep the unrounded figures too
            score |= {"total_exact": total, "bonus_exact": bonus}
        docs.append({"uuid": f"u{i}", "rater": f"r{i}", "subject": "s1", "score": score})
    return form, docs


@settings(max_examples=400, deadline=None)
@given(cases())
def test_the_outcome_equals_the_whole_subject_result(case):
    form, docs = case
    full = subject_result(form, docs)
    got = SubjectOutcome(form)(docs)
    assert (got.subject, got.grade, got.final, got.vetoed) == (
        full.subject, full.grade, full.final, full.vetoed,
    )  # fmt: skip
