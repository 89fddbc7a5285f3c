"""The database's copies of form versions (store.form_copies): read from the main file alone,
written only for a version it lacks."""

from __future__ import annotations

from inspect_kit.store.files import main_tree
from inspect_kit.store.ledger import LedgerFiles
from inspect_kit.store.store import Store
from tests.unit.test_archive import demo_sheets, filled


def count_companion_loads(monkeypatch) -> list[str]:
    loads: list[str] = []
    real = LedgerFiles.load

    def counted(self, rel):
        loads.append(rel)
        return real(self, rel)

    monkeypatch.setattr(LedgerFiles, "load", counted)
    return loads


def test_starting_a_sheet_reads_no_companion_and_writes_the_main_file_only_for_a_new_version(
    tmp_path, builtin_forms, monkeypatch
):
    edu, four = builtin_forms["edu-base-inspection"], builtin_forms["four-oclock-school"]
    store = filled(tmp_path / "ws", [edu])
    loads = count_companion_loads(monkeypatch)
    before = store.db.path.stat().st_mtime_ns
    sheet = next(s for s, _ in demo_sheets([edu], seed=5)[1])
    store.start_sheet(edu, sheet)
    assert loads == [] and store.db.path.stat().st_mtime_ns == before  # known: nothing written
    other = next(s for s, _ in demo_sheets([four], seed=5)[1])
    store.start_sheet(four, other)
    assert loads == []
    assert {d["sha256"] for d in store.form_versions()} == {edu.sha256, four.sha256}
    assert [d["form"] for d in store.form_versions(four.form.form)] == [four.form.form]
    assert store.stored_form(four.sha256).form == four.form.form
    assert loads == []
    tree = main_tree(store.db.path)  # the index rows and events are all still there
    assert len(tree["sheets"]) == len(store.submissions(all_revisions=True)) > 0
    assert store.draft(other.uuid)["uuid"] == other.uuid


def test_a_new_version_in_memory_is_kept_once(builtin_forms):
    edu = builtin_forms["edu-base-inspection"]
    store = Store(memory=True)
    for seed in (1, 2):
        store.start_sheet(edu, next(s for s, _ in demo_sheets([edu], seed=seed)[1]))
    assert [d["sha256"] for d in store.form_versions()] == [edu.sha256]
