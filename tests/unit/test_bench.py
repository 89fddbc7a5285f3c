"""The benchmark's archive builder on a tiny size (timings are never asserted in tests)."""

from __future__ import annotations

from benchmarks.bench import ROWS, Bench, Stat, build_archive, fresh_sheet, table
from inspect_kit.base.paths import Workspace
from inspect_kit.store import merge
from inspect_kit.store.store import Store


def test_build_archive_writes_the_store_format(tmp_path):
    archive = build_archive(tmp_path / "ws", 40, rounds=1, subjects=2)
    store = Store(archive.workspace)
    docs = store.submissions(all_revisions=True)
    assert len(docs) == 40 == archive.sheets
    assert {d["status"] for d in docs} == {"final"}
    assert len({(d["uuid"], d["revision"]) for d in docs}) == 40
    assert any(d["revision"] == 2 for d in docs) or len(docs) < 100  # amendments from 100 up
    assert any("扣分" in str(d["answers"]) or d["subject_name"] for d in docs)
    assert {s.id for s in store.subjects()} >= {d["subject"] for d in docs}
    assert {v["sha256"] for v in store.form_versions()} >= {d["form_sha256"] for d in docs}
    sheet, loaded = fresh_sheet(archive, 1)
    store.start_sheet(loaded, sheet)
    store.finalize(sheet, loaded)
    assert len(store.submissions(all_revisions=True)) == 41
    assert [e["event"] for e in store.events(sheet.uuid)] == ["finalized"]


def test_stat_and_table_handle_missing_rows():
    stat = Stat([1.0, 2.0, 3.0, 10.0])
    assert stat.median == 2.5 and stat.p95 == 10.0
    text = table({"help_s": None, "reasons": {"help_s": "no CLI"}, "stats": {}, "goals": {}})
    assert "null" in text and "no CLI" in text


def test_import_measures_time_one_command_and_ten(tmp_path, monkeypatch):
    calls: list[str] = []
    for name in ("import_file", "import_files"):
        real = getattr(merge, name)
        monkeypatch.setattr(
            merge, name, lambda *a, _r=real, _n=name, **k: calls.append(_n) or _r(*a, **k)
        )
    bench = Bench([40], quick=True, workdir=tmp_path)
    bench._laptop_archives = [
        build_archive(tmp_path / f"laptop-{i}", 40, rounds=1, subjects=2, device=f"笔记本-{i}")
        for i in range(2)
    ]
    target = Workspace(tmp_path / "import-target")
    for measure in (bench.import_10x1k, bench.import_10x1k_each):  # one command; one per file
        assert len(measure().samples) == 1
        assert len(Store(target).submissions(all_revisions=True)) == 80
    assert calls == ["import_files", "import_file", "import_file"]
    keys = [key for key, _, _ in ROWS]
    assert keys.index("import_s_10x1k") + 1 == keys.index("import_s_10x1k_each")


def test_build_archive_into_a_used_folder_holds_exactly_the_sheets_asked(tmp_path):
    """A reused --workdir: the second build replaces the first, never adds to it."""
    build_archive(tmp_path / "ws", 40, rounds=1, subjects=2)
    again = build_archive(tmp_path / "ws", 30, rounds=1, subjects=2)
    assert len(Store(again.workspace).submissions(all_revisions=True)) == 30
