"""The robustness table re-computes only the subjects a left-out rater scored: every
leave-one-out result must equal the whole panel computed again without that rater's sheets."""

from __future__ import annotations

import random

import pytest

from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
from inspect_kit.domain.panel import panel_of_counted
from inspect_kit.domain.panel_rounds import counted_docs
from inspect_kit.domain.robustness import robustness

POOL = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"]


@pytest.mark.parametrize("loaded", demo_forms(), ids=lambda lf: lf.form.form)
def test_each_left_out_panel_equals_the_panel_recomputed_without_that_rater(loaded, store):
    roster, finals, _ = build_demo([loaded], DemoPlan(subjects=9, raters=5, rounds=1, seed=3,
                                                      drafts=0, self_assessments=2))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    rng = random.Random(loaded.form.form)
    docs = []
    for doc in store.submissions():
        if doc.get("role") != "self":
            if rng.random() < 0.3:
                continue  # subjects end up with different rater sets, some with one rater
            doc = dict(doc, rater=rng.choice(POOL))
        docs.append(doc)
    round_ = docs[0]["round"]
    form = loaded.form
    counted = counted_docs(docs, form.form, round_)
    panel = panel_of_counted(form, counted, round_)
    rows = robustness(form, counted, panel)
    assert [r.subject for r in rows] == [s.subject for s in panel.subjects]
    raters = sorted({d["rater"] for d in counted if d.get("role") != "self"})
    for rater in raters:
        again = panel_of_counted(form, [d for d in counted if d["rater"] != rater], round_)
        for row in rows:
            left = next(x for x in row.without if x.rater == rater)
            expected = again.subject(row.subject)
            got = (left.grade, left.rank, left.final)
            assert got == ((expected.grade, expected.rank, expected.final) if expected
                           else (None, None, None)), (rater, row.subject)  # fmt: skip
