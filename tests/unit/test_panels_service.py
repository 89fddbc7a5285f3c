"""The panels service: one query `(form, round) → PanelView` over the store and the catalog;
the view's figures are the domain's, computed once, and travel with the view to a worker."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

from inspect_kit.base.rounds import RoundError
from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
from inspect_kit.domain.panel import compute_panel
from inspect_kit.domain.panel_figures import (
    band_counts,
    deductions,
    grade_counts,
    items_by_loss,
    median_profile,
    section_ratios,
)
from inspect_kit.domain.panel_rounds import rounds_for
from inspect_kit.domain.panel_view import panel_view
from inspect_kit.formfiles.catalog import FormCatalog
from inspect_kit.services.panels import NoPanelData, PanelsService

FORM = "edu-base-inspection"


@pytest.fixture
def demo(store):
    """3 subjects × 5 raters × 2 rounds of edu-base-inspection, one self-assessment each."""
    forms = [f for f in demo_forms() if f.form.form == FORM]
    roster, finals, _ = build_demo(forms, DemoPlan(subjects=3, raters=5, rounds=2, seed=5,
                                                   drafts=0, self_assessments=1))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    return finals


@pytest.fixture
def panels(workspace, store):
    return PanelsService(store, FormCatalog(workspace))


def test_rounds_and_the_default_round_come_from_the_stored_sheets(demo, panels, store):
    records = store.submissions(form=FORM)
    assert panels.rounds(FORM) == rounds_for(records, FORM) and len(panels.rounds(FORM)) == 2
    assert panels.newest_round(FORM) == panels.rounds(FORM)[-1]
    view = panels.panel(FORM)
    assert view.round == panels.newest_round(FORM)
    older = panels.panel(FORM, panels.rounds(FORM)[0])
    assert older.round == panels.rounds(FORM)[0]
    roster = {s.id: s.to_dict() for s in store.subjects()}
    assert older.panel == panel_view(view.form, records, older.round, roster).panel
    assert view.panel == panel_view(view.form, records, view.round, roster).panel
    # The roster adds district and level; the figures are compute_panel's.
    plain = compute_panel(view.form, records, view.round)
    assert [s.final for s in view.panel.subjects] == [s.final for s in plain.subjects]
    assert all(s.district for s in view.panel.subjects)
    assert all(r["round"] == view.round for r in view.records)


def test_the_view_holds_the_domain_figures(demo, panels, store):
    view = panels.panel(FORM)
    form, panel = view.form, view.panel
    assert view.grade_counts == grade_counts(form, panel)
    assert sum(view.grade_counts.values()) == len(panel.subjects) == 3
    assert list(view.band_counts) == band_counts(form, panel)
    assert view.section_ratios == section_ratios(panel)
    assert view.median_profile == median_profile(panel)
    records = store.submissions(form=FORM)
    assert list(view.items_by_loss()) == items_by_loss(form, records, view.round)
    assert list(view.items_by_loss(3)) == items_by_loss(form, records, view.round, 3)
    for subject in panel.subjects:
        expected = deductions(form, records, view.round, subject.subject)
        assert list(view.subject_deductions(subject.subject)) == expected
    assert view.subject_deductions("no-such-subject") == ()


def test_a_pickled_view_carries_every_figure(demo, panels):
    view = panels.panel(FORM)
    assert "deductions" not in view.__dict__  # worked out on first use only
    copy = pickle.loads(pickle.dumps(view))
    # the copy (what the pack's worker process reads) arrives with the figures computed
    assert {"deductions", "item_losses"} <= set(copy.__dict__)
    assert copy.deductions == view.deductions and copy.item_losses == view.item_losses
    assert copy.grade_counts == view.grade_counts and copy.panel == view.panel


def test_no_sheets_is_no_panel_data_and_a_round_without_data_a_round_error(demo, panels):
    with pytest.raises(NoPanelData, match="还没有已提交的评分表"):
        panels.panel("four-oclock-school")
    with pytest.raises(RoundError, match="1999") as info:
        panels.panel(FORM, "1999")
    assert info.value.code == "round.no_data" and not isinstance(info.value, NoPanelData)
    assert "、".join(panels.rounds(FORM)) in str(info.value)
    with pytest.raises(RoundError) as info:
        panels.panel(FORM, "abc")
    assert info.value.code == "round.bad_filter"
    assert ", ".join(panels.rounds(FORM)) in info.value.render("en")
    assert panels.rounds("four-oclock-school") == [] and panels.newest_round("x") is None


def test_a_round_of_self_assessments_only(workspace, store):
    forms = [f for f in demo_forms() if f.form.form == FORM]
    roster, finals, _ = build_demo(forms, DemoPlan(subjects=2, raters=1, rounds=1, seed=2,
                                                   drafts=0, self_assessments=1))  # fmt: skip
    store.add_subjects(roster)
    selfs = [(sheet, lf) for sheet, lf in finals if sheet.role == "self"]
    assert selfs
    store.bulk_finalize(selfs)
    panels = PanelsService(store, FormCatalog(workspace))
    with pytest.raises(NoPanelData, match="只有自评表"):
        panels.panel(FORM)
    view = panels.panel(FORM, require_ranked=False)  # the TUI shows the round, empty
    assert view.panel.subjects == () and len(view.panel.self_only) == len(selfs)


def test_default_form_is_the_one_finalized_last(demo, panels, store):
    forms = [f for f in demo_forms() if f.form.form == "four-oclock-school"]
    roster, finals, _ = build_demo(forms, DemoPlan(subjects=1, raters=1, rounds=1, seed=3,
                                                   drafts=0, self_assessments=0))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    ids = sorted(f.form.form for f in demo_forms())
    newest = max(store.summaries(status="final"), key=lambda r: r["finalized_at"])
    assert panels.default_form(ids) == newest["form"]
    assert panels.default_form(["five-good-committee"]) == "five-good-committee"  # no sheets
    assert panels.default_form([]) is None


def test_the_service_imports_no_front_end_or_chart_library():
    code = (
        "import sys\nimport inspect_kit.services.panels\n"
        "print(sorted({'textual', 'questionary', 'click', 'matplotlib'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True)  # fmt: skip
    assert out.stdout.strip() == "[]"
