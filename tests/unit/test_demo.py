"""Sample data: deterministic for a seed, realistic, and every finalized sheet is finalizable."""

from __future__ import annotations

import pytest

from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms, roster_for


@pytest.fixture(scope="module")
def demo():
    forms = demo_forms()
    plan = DemoPlan(subjects=4, raters=3, rounds=2, seed=99)
    return forms, plan, build_demo(forms, plan, last_round=2026)


def test_demo_uses_the_four_builtin_forms(demo):
    forms, _, _ = demo
    assert {lf.form.form for lf in forms} == {
        "edu-base-inspection",
        "five-good-committee",
        "five-good-enterprise",
        "four-oclock-school",
    }


def test_demo_sizes_follow_the_plan(demo):
    forms, plan, (subjects, finals, drafts) = demo
    assert len(subjects) == len(forms) * plan.subjects
    inspector = [s for s, _ in finals if s.role == "inspector"]
    selfs = [s for s, _ in finals if s.role == "self"]
    assert len(inspector) == len(forms) * plan.subjects * plan.raters * plan.rounds
    assert len(selfs) == len(forms) * plan.self_assessments * plan.rounds
    assert len(drafts) == len(forms) * plan.drafts
    assert {s.round for s, _ in finals} == {"2025", "2026"}
    assert len({s.rater for s in inspector}) == plan.raters


def test_every_demo_final_sheet_could_be_finalized(demo):
    _, _, (_, finals, _) = demo
    for sheet, loaded in finals:
        assert sheet.form is loaded.form and sheet.form_sha256 == loaded.sha256
        assert sheet.blockers() == [], (sheet.form.form, sheet.subject, sheet.blockers())


def test_demo_drafts_are_incomplete(demo):
    _, _, (_, _, drafts) = demo
    assert all(d.status == "draft" for d in drafts)
    assert all(d.score().unanswered for d in drafts)


def test_demo_is_realistic(demo):
    _, _, (subjects, finals, _) = demo
    records = [s.score() for s, _ in finals]
    grades = {r.grade for r in records}
    assert len(grades) >= 3, grades  # a spread of grades, not all top marks
    assert any(r.missing_notes == () and any(i.lost for i in r.items.values()) for r in records)
    deducted = [(s, i) for s, _ in finals for i, x in s.score().items.items() if x.lost > 0]
    assert all(s.answer(i).note for s, i in deducted if s.form.item(i) and
               not s.form.section_of(i).bonus)  # fmt: skip
    assert len({s.district for s in subjects}) >= 3
    # raters differ in leniency: their mean totals are not all the same
    by_rater: dict[str, list[float]] = {}
    for (sheet, _), record in zip(finals, records, strict=True):
        if sheet.role == "inspector":
            by_rater.setdefault(sheet.rater, []).append(record.total)
    means = sorted(sum(v) / len(v) for v in by_rater.values())
    assert means[-1] - means[0] > 1


def test_demo_is_deterministic_for_a_seed():
    forms = [f for f in demo_forms() if f.form.form == "four-oclock-school"]

    def values(sheet):  # signatures carry the wall-clock signing time: compare the rest
        return ({k: (a.value, a.na, a.note) for k, a in sheet.answers.items.items()},
                sheet.answers.vetoes, sheet.started_at)  # fmt: skip

    def summary(seed=5):
        _, finals, _ = build_demo(forms, DemoPlan(subjects=3, raters=2, rounds=1, seed=seed),
                                  last_round=2026)  # fmt: skip
        return [(s.subject, s.rater, values(s)) for s, _ in finals]

    assert summary() == summary()
    assert summary(6) != summary()


def test_roster_for_extends_the_shipped_roster():
    import random

    shipped = roster_for("committee", 3, random.Random(1))
    assert [s.id for s in shipped] == ["cm-001", "cm-002", "cm-003"]
    many = roster_for("committee", 40, random.Random(1))
    assert len(many) == 40 and len({s.id for s in many}) == 40
    assert all(s.kind == "committee" for s in many)


def test_a_panel_visits_once_on_a_working_day_at_varying_times(demo):
    _, _, (_, finals, _) = demo
    import collections
    import datetime as dt

    panels = collections.defaultdict(list)
    for sheet, _ in finals:
        if sheet.role == "inspector":
            panels[(sheet.form.form, sheet.subject, sheet.round)].append(sheet)
    starts = set()
    for sheets in panels.values():
        days = {dt.datetime.fromisoformat(s.started_at).date() for s in sheets}
        assert len(days) == 1  # the raters of one panel visit together
        (day,) = days
        assert day.weekday() < 5  # Monday to Friday
        for s in sheets:
            start, end = (dt.datetime.fromisoformat(s.started_at),
                          dt.datetime.fromisoformat(s.finalized_at))  # fmt: skip
            assert end > start and 8 <= start.hour <= 15
            starts.add(start.time())
    assert len(starts) > len(panels)  # not every sheet at the same minute


def test_vetoes_are_decided_per_subject_and_a_rater_may_miss_one():
    import collections

    from inspect_kit.demo import generator

    forms = demo_forms()
    _, finals, _ = build_demo(forms, DemoPlan(subjects=12, raters=5, rounds=2, seed=7),
                              last_round=2026)  # fmt: skip
    panels = collections.defaultdict(list)
    for sheet, _ in finals:
        if sheet.role == "inspector":
            fired = {v for v, a in sheet.answers.vetoes.items() if a.fired}
            panels[(sheet.form.form, sheet.subject, sheet.round)].append(fired)
    with_veto = [p for p in panels.values() if any(p)]
    for raters in with_veto:
        assert len(set().union(*raters)) == 1  # the same facts: one veto, not one per rater
    # about VETO_RATE of the panels, and not every rater of every such panel sees it
    assert 0 < len(with_veto) <= 3 * generator.VETO_RATE * len(panels) + 2
    seen = [sum(1 for fired in p if fired) for p in with_veto]
    assert sum(seen) >= len(with_veto) and all(n >= 1 for n in seen)
    assert all(not any(a.fired for a in s.answers.vetoes.values())
               for s, _ in finals if s.role == "self")  # fmt: skip


def test_reasons_rectification_and_self_assessors_read_like_an_inspectors(demo):
    _, _, (subjects, finals, _) = demo
    names = {s.id: s.name for s in subjects}
    for sheet, _ in finals:
        if sheet.role == "self":
            assert sheet.rater == f"{names[sheet.subject]}（自评）"  # the whole name
        for item_id, score in sheet.score().items.items():
            item = sheet.form.item(item_id)
            if score.lost <= 0:
                continue
            note, value = sheet.answer(item_id).note, sheet.answer(item_id).value
            if item.type == "deduct" and item.defects:
                assert all(d in note for d in value), (item_id, note)  # names what was missing
            if item.type == "choice":
                assert f"“{value}”" in note
            if item.type == "number":
                assert str(value) in note
        rectify = (
            sheet.answer("rectify-items").value if "rectify-items" in sheet.visible() else None
        )
        if rectify:
            worst = max((s for s in sheet.score().items.values() if s.lost > 0),
                        key=lambda s: s.lost)  # fmt: skip
            assert sheet.form.item(worst.id).text in rectify  # a problem, not praise


def test_top_grades_are_uncommon():
    import collections

    forms = demo_forms()
    _, finals, _ = build_demo(forms, DemoPlan(subjects=30, raters=1, rounds=1, seed=11,
                                              self_assessments=0, drafts=0),
                              last_round=2026)  # fmt: skip
    top = collections.Counter()
    for sheet, _ in finals:
        top[sheet.form.form] += sheet.score().grade == sheet.form.grades[0].grade
    # 常州: 10 五星 of 168; here at most a third of any form's subjects get its top grade
    assert all(n <= 10 for n in top.values()), top
    assert top["five-good-enterprise"] <= 5, top


def test_demo_uses_na_where_a_form_allows_it():
    """Only edu-base's 无障碍设施 allows N/A (at 8% of sheets): over the few edu-base sheets of
    the small demo above none may be N/A by chance, so a bigger round is drawn."""
    forms = demo_forms()
    plan = DemoPlan(subjects=40, raters=3, rounds=1, seed=99)
    _, finals, _ = build_demo(forms, plan, last_round=2026)
    assert any(a.na for s, _ in finals for a in s.answers.items.values())


def test_a_requirement_quotes_an_item_once():
    from inspect_kit.demo.rectifications import requirement_for

    text = requirement_for("“三纳入”落实：纳入党委议事日程、纳入精神文明建设规划", "未纳入目标考核")
    assert text.startswith("针对“‘三纳入’落实”存在的问题（未纳入目标考核）")
    assert "““" not in text and "纳入党委议事日程" not in text
