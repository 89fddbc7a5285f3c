"""The benchmark's archive builder on a tiny size (timings are never asserted in tests)."""

from __future__ import annotations

from benchmarks.bench import Stat, build_archive, fresh_sheet, table
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
