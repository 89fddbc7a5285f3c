"""The logged re-score round: opened only over max_spread and only once; each rater amends once
with a reason; first and final scores side by side; every step an event."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from inspect_kit.base.paths import builtin_forms_dir
from inspect_kit.cli import cli
from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
from inspect_kit.formfiles.catalog import FormCatalog
from inspect_kit.services.panels import PanelsService
from inspect_kit.services.rescore import RescoreError, RescoreService
from inspect_kit.services.revisions import Revisions

FORM = "five-good-committee"


@pytest.fixture
def tight(workspace, store):
    """The form with max_spread 1 (every subject flagged), 4 subjects × 5 raters."""
    text = (builtin_forms_dir() / f"{FORM}.yaml").read_text(encoding="utf-8")
    assert "max_spread: 15" in text
    (workspace.root / "forms" / f"{FORM}.yaml").write_text(
        text.replace("max_spread: 15", "max_spread: 1"), encoding="utf-8"
    )
    forms = [f for f in demo_forms() if f.form.form == FORM]
    roster, finals, _ = build_demo(forms, DemoPlan(subjects=4, raters=5, rounds=1, seed=3,
                                                   drafts=0, self_assessments=0))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    return workspace


def test_open_amend_once_and_first_and_final_side_by_side(tight, store):
    catalog = FormCatalog(tight)
    panels = PanelsService(store, catalog)
    view = panels.panel(FORM)
    subject = view.subjects[0]
    assert subject.spread_flag
    service = RescoreService(store, panels)
    with pytest.raises(RescoreError):
        service.open(FORM, subject.subject, " ", "主任")
    opened = service.open(FORM, subject.subject, "分差过大，请复核", "主任")
    assert [f.uuid for f in opened.first] == [s.uuid for s in subject.sheets]
    with pytest.raises(RescoreError, match="只能一次"):
        service.open(FORM, subject.subject, "again", "主任")

    # The lowest rater amends once: one item raised to its full marks.
    low = min(subject.sheets, key=lambda s: s.total_exact or 0)
    revisions = Revisions(store, tight)
    sheet = revisions.amend(low.uuid, "复核后补记材料", low.rater)
    loaded = catalog.get(FORM)
    item = next(
        i
        for _, i in loaded.form.iter_items()
        if i.type == "choice" and sheet.answer(i.id).value != i.options[0].label
    )
    sheet.set_value(item.id, item.options[0].label)
    store.finalize(sheet, loaded)
    with pytest.raises(RescoreError, match="已修改过一次"):
        revisions.amend(low.uuid, "再改一次", low.rater)

    after = panels.panel(FORM)
    (summary,) = after.rescores
    rows = {r.rater: r for r in summary.rows}
    assert rows[low.rater].amended and rows[low.rater].reason == "复核后补记材料"
    assert rows[low.rater].first == pytest.approx(low.total_exact)
    now = next(s for s in after.result(subject.subject).sheets if s.rater == low.rater)
    assert rows[low.rater].final == now.total and now.revision == low.revision + 1
    assert rows[low.rater].final > rows[low.rater].first
    assert not any(r.amended for name, r in rows.items() if name != low.rater)
    assert summary.first_score == subject.final
    assert summary.final_score == after.result(subject.subject).final
    events = [e["event"] for e in store.events() if e["event"].startswith("rescore")]
    assert events == ["rescore_opened", "rescore_amend"]

    data = json.loads(CliRunner().invoke(
        cli, ["--workspace", str(tight.root), "panel", FORM, "--json"]).output)  # fmt: skip
    (entry,) = data["rescore"]
    assert entry["subject"] == subject.subject and entry["first_score"] == subject.final
    text = CliRunner().invoke(cli, ["--workspace", str(tight.root), "panel", FORM]).output
    assert "重评" in text and "复核后补记材料" in text


def test_no_rescore_below_max_spread(workspace, store):
    forms = [f for f in demo_forms() if f.form.form == FORM]
    roster, finals, _ = build_demo(forms, DemoPlan(subjects=3, raters=5, rounds=1, seed=3,
                                                   drafts=0, self_assessments=0))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    panels = PanelsService(store, FormCatalog(workspace))
    calm = next((s for s in panels.panel(FORM).subjects if not s.spread_flag), None)
    assert calm is not None
    result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), "panel", "rescore",
                                      FORM, calm.subject, "--reason", "想复核"])  # fmt: skip
    assert result.exit_code == 1 and "未超过" in result.output
    assert not [e for e in store.events() if e["event"].startswith("rescore")]
