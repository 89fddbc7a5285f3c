"""The panel figures cache (store.figures): a panel read from it is the panel read from whole
sheets, for every built-in form; a missing, damaged, stale or foreign cache file changes no
result (it is rebuilt), and the store's own refusals still happen through it."""

from __future__ import annotations

import os

import pytest

from inspect_kit.base.errors import InspectKitError
from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
from inspect_kit.domain.conflicts import active_conflicts, split_conflicted
from inspect_kit.domain.panel_view import LAZY, panel_view
from inspect_kit.formfiles.catalog import FormCatalog
from inspect_kit.services.conflicts import ConflictsService
from inspect_kit.services.panels import PanelsService
from inspect_kit.store.figures import PARTS, figures_root, panel_record, panel_source

FIGURES = ("panel", "grade_counts", "grade_tally", "band_counts", "section_ratios",
           "median_profile", "calibration", "rescores", "review", "conflicted", "records",
           *LAZY)  # fmt: skip
"""Every figure of a view; the counted and conflicted sheets are compared as projections."""


@pytest.fixture
def demo(store):
    """Every built-in form: 4 subjects × 5 raters × 2 rounds, self-assessments, one sheet
    voided and one declared conflict (回避)."""
    forms = demo_forms()
    roster, finals, _ = build_demo(forms, DemoPlan(subjects=4, raters=5, rounds=2, seed=18,
                                                   drafts=0, self_assessments=1))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    sheets = [s for s, _ in finals if s.role != "self"]
    store.void(sheets[0].uuid, "测试作废", "测试员")
    other = next(s for s in sheets if s.form is not sheets[0].form)
    ConflictsService(store).declare(other.form.form, other.subject, other.rater, "亲属", "组长")
    return [lf.form.form for lf in forms]


@pytest.fixture
def small(store):
    """One form, 3 subjects × 5 raters × 2 rounds: for what does not depend on the form."""
    forms = demo_forms()[:1]
    roster, finals, _ = build_demo(forms, DemoPlan(subjects=3, raters=5, rounds=2, seed=7,
                                                   drafts=0, self_assessments=0))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    return [forms[0].form.form]


@pytest.fixture
def panels(workspace, store):
    return PanelsService(store, FormCatalog(workspace))


def figures_of(view):
    out = {}
    for name in FIGURES:
        value = getattr(view, name)
        if name in ("records", "conflicted"):  # the sheets, as projections (and why left out)
            value = [(panel_record(d), d.get("conflict_reason")) for d in value]
        out[name] = value
    return out


def views(panels, form, round_=None):
    whole = panels.panel(form, round_, require_ranked=False)
    cached = panels.panel(form, round_, require_ranked=False, figures_only=True)
    return whole, cached


def every_round(panels, forms):
    return [(f, r) for f in forms for r in panels.rounds(f)]


def test_every_figure_from_the_cache_is_the_full_recomputations(demo, panels, store):
    assert len(demo) >= 4
    pairs = every_round(panels, demo)
    assert len(pairs) == 2 * len(demo)
    seen = []
    for form, round_ in pairs:
        whole, cached = views(panels, form, round_)
        assert figures_of(cached) == figures_of(whole), (form, round_)
        seen.append(cached)
        # And the domain's own recomputation over every stored sheet, outside the service.
        roster = {s.id: s.to_dict() for s in store.subjects()}
        conflicts = active_conflicts(store.events(), form)
        records, _ = split_conflicted(store.submissions(form=form), conflicts)
        again = panel_view(whole.form, records, round_, roster)
        assert cached.panel.subjects == again.panel.subjects
        assert cached.agreement == again.agreement and cached.deductions == again.deductions
    # The demo data exercises what the projections must keep.
    assert any(s.voided for view in seen for s in view.subjects)
    assert any(view.conflicted for view in seen) and any(view.calibration for view in seen)
    assert any(d for view in seen for d in view.deductions.values())
    # Built once per shard, beside the main file and outside the archive folder.
    root = figures_root(store.shards)
    assert root is not None and root.is_dir()
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*.json")) == sorted(
        f"{rel.removesuffix('.json')}.{part}.json"
        for rel in store.shards.listing()
        for part in PARTS
    )
    assert not (store.shards.root / ".figures").exists()


def damage(path, how):
    raw = path.read_bytes()
    if how == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif how == "garbage":
        path.write_bytes(b"\x00not json at all")
    elif how == "edited":  # a figure changed by hand, digest left as it was
        path.write_bytes(raw.replace(b'"total_exact":', b'"total_exact":1', 1))
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "foreign":  # another shard's cache file copied over this one
        others = sorted(p for p in path.parent.parent.rglob("*.json") if p != path)
        path.write_bytes(others[0].read_bytes())


@pytest.mark.parametrize("how", ["deleted", "truncated", "garbage", "edited", "empty", "foreign"])
def test_a_missing_or_damaged_cache_changes_no_result_and_is_rebuilt(small, panels, store, how):
    form = small[0]
    before = figures_of(panels.panel(form, figures_only=True))
    root = figures_root(store.shards)
    files = sorted(root.rglob("*.json"))
    for path in files:
        if how == "deleted":
            path.unlink()
        else:
            damage(path, how)
    after = panels.panel(form, figures_only=True)
    assert figures_of(after) == before == figures_of(panels.panel(form))
    rebuilt = {p: p.read_bytes() for p in files if p.exists()}
    assert figures_of(panels.panel(form, figures_only=True)) == before
    assert {p: p.read_bytes() for p in rebuilt} == rebuilt  # used as is now: not rewritten


def test_a_stale_cache_is_not_trusted_over_a_changed_shard(small, panels, store):
    form = small[0]
    view = panels.panel(form, figures_only=True)
    target = next(s for s in view.panel.subjects if s.rater_count > 1)
    sheet = next(s for s in target.sheets)
    store.void(sheet.uuid, "复核作废", "测试员")  # a new revision in the same shard
    whole, cached = views(panels, form)
    assert figures_of(cached) == figures_of(whole)
    assert cached.result(target.subject).rater_count == target.rater_count - 1


def test_a_cache_that_cannot_be_written_only_costs_time(small, panels, store):
    root = figures_root(store.shards)
    root.parent.mkdir(parents=True, exist_ok=True)
    root.write_bytes(b"")  # a file where the folder would go: every write fails
    whole, cached = views(panels, small[0])
    assert figures_of(cached) == figures_of(whole)


def test_the_stores_refusals_still_happen_through_the_cache(small, panels, store):
    form = small[0]
    panels.panel(form, figures_only=True)
    rel = store.shards.listing(form)[0]
    os.unlink(store.shards.root / rel)  # a shard that held sheets is gone
    with pytest.raises(InspectKitError) as whole:
        panels.panel(form)
    with pytest.raises(InspectKitError) as cached:
        panels.panel(form, figures_only=True)
    assert type(cached.value) is type(whole.value) and str(cached.value) == str(whole.value)


def test_one_read_gives_every_forms_chosen_round_and_heads_elsewhere(demo, store):
    source = panel_source(store, detail="full")
    assert set(source.rounds) == set(demo)
    for doc in source.records:
        if str(doc["round"]) == source.rounds[doc["form"]]:
            assert "sections" in doc["score"] and "items" in doc["score"]
        else:  # another round: what rounds, newest revisions and calibration read
            assert set(doc["score"]) <= {"total", "total_exact"} and "answers" not in doc
    whole = panel_source(store, whole=True)
    assert [(d["uuid"], d["revision"]) for d in whole.records] == [
        (d["uuid"], d["revision"]) for d in source.records
    ]
    assert whole.records == store.submissions()


def test_in_memory_the_projections_are_made_on_the_fly(tmp_path):
    from inspect_kit.store.store import Store

    store = Store(memory=True)
    forms = demo_forms()[:1]
    roster, finals, _ = build_demo(forms, DemoPlan(subjects=2, raters=3, rounds=1, seed=3,
                                                   drafts=0, self_assessments=0))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    source = panel_source(store, forms[0].form.form)
    assert [d["uuid"] for d in source.records] == [
        d["uuid"] for d in store.submissions(form=forms[0].form.form)
    ]
    assert not list(tmp_path.iterdir())
