"""The figures cache in parts (store.figures, issue 18): a panel that reads only the lean part
(a histogram, the load of every form's panel) or the lean part and the items (`panel`) gives
the figures of whole sheets, reads no other part, and asks for a figure it lacks only as an
error; one part missing, damaged or stale is rebuilt and changes no result."""

from __future__ import annotations

import pickle

import pytest
from click.testing import CliRunner

from inspect_kit.cli import cli
from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
from inspect_kit.domain.panel_view import LAZY, NoDetail
from inspect_kit.formfiles.catalog import FormCatalog
from inspect_kit.services.conflicts import ConflictsService
from inspect_kit.services.panels import PanelsService
from inspect_kit.store.figures import (
    EVERY,
    PARTS,
    _same_kept,
    figures_root,
    lean_record,
    newest_order,
    panel_record,
    panel_source,
)
from inspect_kit.store.index import filtered

SUMMARY = ("panel", "grade_counts", "grade_tally", "band_counts", "section_ratios",
           "median_profile", "calibration", "rescores", "review", "set_aside",
           "robustness")  # fmt: skip
"""The figures a view read without per-item detail holds."""


@pytest.fixture
def demo(store):
    """Two built-in forms, 4 subjects × 5 raters × 2 rounds, a voided sheet, an amended one
    and a declared conflict (回避)."""
    forms = demo_forms()[:2]
    roster, finals, _ = build_demo(forms, DemoPlan(subjects=4, raters=5, rounds=2, seed=11,
                                                   drafts=0, self_assessments=1))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    sheets = [s for s, _ in finals if s.role != "self"]
    store.void(sheets[0].uuid, "测试作废", "测试员")
    other = next(s for s in sheets if s.form is not sheets[0].form)
    ConflictsService(store).declare(other.form.form, other.subject, other.rater, "亲属", "组长")
    return [lf.form.form for lf in forms]


@pytest.fixture
def panels(workspace, store):
    return PanelsService(store, FormCatalog(workspace))


def part_files(store, part):
    return sorted(figures_root(store.shards).rglob(f"*.{part}.json"))


def test_the_lean_and_items_views_hold_the_whole_sheets_figures(demo, panels):
    for form in demo:
        for round_ in panels.rounds(form):
            whole = panels.panel(form, round_, require_ranked=False)
            lean = panels.panel(form, round_, require_ranked=False, figures_only=True,
                                detail="summary")  # fmt: skip
            items = panels.panel(form, round_, require_ranked=False, figures_only=True,
                                 detail="items")  # fmt: skip
            for name in SUMMARY:
                assert getattr(lean, name) == getattr(whole, name), (form, round_, name)
                assert getattr(items, name) == getattr(whole, name), (form, round_, name)
            assert items.agreement == whole.agreement
            assert items.item_losses == whole.item_losses
            assert [lean_record(d) for d in lean.records] == [lean_record(d) for d in whole.records]
            assert all("items" not in d["score"] and "answers" not in d for d in lean.records)
            assert all("answers" not in d for d in items.records)


def test_a_view_asked_for_a_figure_its_records_lack_refuses(demo, panels):
    form = demo[0]
    lean = panels.panel(form, figures_only=True, detail="summary")
    for name in ("agreement", "item_losses", "deductions"):
        with pytest.raises(NoDetail):
            getattr(lean, name)
    items = panels.panel(form, figures_only=True, detail="items")
    with pytest.raises(NoDetail):
        items.subject_deductions(items.subjects[0].subject)
    # Pickled (the pack's worker), each computes what it holds and nothing it lacks.
    again = pickle.loads(pickle.dumps(lean))
    assert again.robustness == lean.robustness and again.panel == lean.panel
    assert pickle.loads(pickle.dumps(items)).agreement == items.agreement
    full = panels.panel(form, figures_only=True)
    assert {name: getattr(full, name) for name in LAZY} == {
        name: getattr(panels.panel(form), name) for name in LAZY
    }


@pytest.mark.parametrize("detail, unread", [("summary", ("items", "answers")),
                                            ("items", ("answers",))])  # fmt: skip
def test_a_read_opens_only_the_parts_it_needs(demo, panels, store, detail, unread):
    form = demo[0]
    before = panels.panel(form, figures_only=True, detail=detail)
    for part in unread:
        for path in part_files(store, part):
            path.unlink()  # were they read, they would be rebuilt
    after = panels.panel(form, figures_only=True, detail=detail)
    assert after.panel == before.panel and after.records == before.records
    for part in unread:
        assert part_files(store, part) == []


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("how", ["deleted", "garbage", "stale", "shorter"])
def test_one_part_missing_damaged_or_stale_is_rebuilt(demo, panels, store, part, how):
    if how == "shorter" and part in ("heads", "lean"):
        pytest.skip("a whole file of the cache's own making: only its fellow parts tell")
    form = demo[0]
    whole = panels.panel(form)
    panels.panel(form, figures_only=True)
    newest = panels.rounds(form)[-1]  # the files its panel reads
    paths = [p for p in part_files(store, part)
             if p.parent.name == form and p.name.startswith(f"{newest}-")]  # fmt: skip
    assert paths
    for path in paths:
        if how == "deleted":
            path.unlink()
        elif how == "garbage":
            path.write_bytes(b"\x00not json")
        elif how == "stale":  # the header of another version of the shard
            raw = path.read_bytes()
            path.write_bytes(raw.replace(b'"key":[', b'"key":[1', 1))
        else:  # one entry fewer, written as the cache writes (its digest holds)
            _rewrite_shorter(path)
    for detail in ("summary", "items", "full"):
        cached = panels.panel(form, figures_only=True, detail=detail)  # type: ignore[arg-type]
        assert cached.panel == whole.panel and cached.robustness == whole.robustness
        if detail != "summary":
            assert cached.agreement == whole.agreement
        if detail == "full":
            assert cached.deductions == whole.deductions
    rebuilt = {p: p.read_bytes() for p in paths if p.exists()}
    assert sorted(rebuilt) == paths
    panels.panel(form, figures_only=True)
    assert {p: p.read_bytes() for p in rebuilt} == rebuilt  # used as is now


def _rewrite_shorter(path):
    import orjson

    from inspect_kit.store.figures import cache_bytes

    head, _, body = path.read_bytes().partition(b"\n")
    meta = orjson.loads(head)
    path.write_bytes(cache_bytes(meta["shard"], meta["key"], meta["part"], orjson.loads(body)[1:]))


def test_the_parts_put_together_are_the_projection(demo, store):
    whole = panel_source(store, whole=True).records
    full = panel_source(store, detail="full")
    chosen = [d for d in whole if str(d["round"]) == full.rounds[d["form"]]]
    got = {(d["uuid"], d["revision"]): d for d in full.records}
    assert chosen and all(got[(d["uuid"], d["revision"])] == panel_record(d) for d in chosen)
    lean = panel_source(store)  # the default: what the load of every form's panel reads
    assert {(d["uuid"], d["revision"]): d for d in lean.records} == {
        key: lean_record(d) if str(d["round"]) == full.rounds[d["form"]] else d
        for key, d in got.items()
    }


def test_the_kept_sheets_are_filtereds(demo, store):
    rows = store.submissions(all_revisions=True)
    assert len({d["uuid"] for d in rows}) < len(rows)  # revisions to choose from
    kept = newest_order(rows)
    assert [rows[i] for i in kept] == filtered(rows, **EVERY)
    # A doc list that is not the heads' projections (a shard rewritten between two reads).
    docs = list(reversed(rows))
    assert _same_kept(docs, rows, kept) == filtered(docs, **EVERY)
    assert _same_kept(docs[1:], rows, kept) == filtered(docs[1:], **EVERY)


def test_the_histogram_reads_the_lean_part_and_panel_no_answers(demo, workspace, store):
    form = demo[0]
    out = workspace.root / "charts"

    def run(*args):
        result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), *args])
        assert result.exit_code == 0, result.output
        return result.output

    run("chart", form, "--kind", "hist", "--out", str(out))  # builds every part once
    for part in ("items", "answers"):
        for path in part_files(store, part):
            path.unlink()
    run("chart", form, "--kind", "hist", "--out", str(out))
    assert not part_files(store, "items") and not part_files(store, "answers")
    shown = run("panel", form)
    assert part_files(store, "items")
    for path in part_files(store, "answers"):
        path.unlink()
    assert run("panel", form) == shown and not part_files(store, "answers")
