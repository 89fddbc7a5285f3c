"""The ledger (store.ledger): index rows and sheet events kept beside each shard, the main file
small, a finalize that reads and writes only its own (form, round) group."""

from __future__ import annotations

import os
import uuid as uuid_lib
from pathlib import Path

import orjson
import pytest

from inspect_kit.base.errors import DatabaseDamaged
from inspect_kit.store import staging
from inspect_kit.store.archive import archive_dir, shard_keys
from inspect_kit.store.doctor import check_workspace, restore_plan
from inspect_kit.store.event_chain import verify_chains
from inspect_kit.store.files import main_tree, write_main_tree
from inspect_kit.store.ledger import LEDGER, bloom, holder_test, max_id, split
from inspect_kit.store.store import Store
from tests.unit.test_archive import filled


@pytest.fixture
def two_forms(builtin_forms):
    return [builtin_forms["edu-base-inspection"], builtin_forms["four-oclock-school"]]


def companions(store: Store) -> dict[str, Path]:
    root = archive_dir(store.db.path) / LEDGER
    return {p.relative_to(root).as_posix(): p for p in sorted(root.glob("*/*.json"))}


def versions(paths: dict[str, Path]) -> dict[str, tuple[int, int, bytes]]:
    return {
        rel: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for rel, p in paths.items()
    }


def new_revision_of(store: Store, doc: dict) -> object:
    """A fresh sheet cloned from a stored one (same form, round and subject), as a draft."""
    sheet = store.load_sheet(doc)
    sheet.uuid, sheet.revision, sheet.supersedes = str(uuid_lib.uuid4()), 1, None
    sheet.status = "draft"
    return sheet


def test_the_main_file_keeps_no_sheet_rows_or_sheet_events(tmp_path, two_forms):
    store = filled(tmp_path / "ws", two_forms)
    raw = orjson.loads(store.db.path.read_bytes())
    assert "sheets" not in raw and "events" not in raw
    tree = main_tree(store.db.path)
    every = store.submissions(all_revisions=True)
    assert len(tree["sheets"]) == len(every) and len(tree["events"]) == len(every)
    for rel, path in companions(store).items():
        part = orjson.loads(path.read_bytes())
        assert {r["shard"] for r in part["sheets"].values()} == {rel}
        uuids = {r["uuid"] for r in part["sheets"].values()}
        assert {e["uuid"] for e in part["events"].values()} <= uuids


def test_a_finalize_rewrites_only_its_own_groups_companion(tmp_path, two_forms):
    store = filled(tmp_path / "ws", two_forms)
    before = versions(companions(store))
    doc = store.submissions()[0]
    sheet = new_revision_of(store, doc)
    reads: list[str] = []
    real = store.db.ledger.load  # type: ignore[union-attr]

    def counting(rel: str):
        reads.append(rel)
        return real(rel)

    store.db.ledger.load = counting  # type: ignore[union-attr,method-assign]
    stored = store.finalize(sheet, force=True)
    store.db.ledger.load = real  # type: ignore[union-attr,method-assign]
    group = f"{doc['form']}/{doc['round']}-"
    assert reads and all(rel.startswith(group) for rel in reads)
    after = versions(companions(store))
    changed = {rel for rel in after if before.get(rel) != after[rel]}
    assert changed == {next(rel for rel in after if rel.startswith(group))}
    # the sheet, its index row and its sealed event are all there, read whole
    assert store.submission(stored["uuid"]) == stored
    tree = main_tree(store.db.path)
    assert [e["event"] for e in tree["events"].values() if e["uuid"] == stored["uuid"]] == [
        "finalized"
    ]


def test_scoped_writes_leave_the_layout_a_whole_write_would(tmp_path, two_forms):
    """Ids stay unique across groups, chains link across files, and a whole read and write of
    the tree after scoped finalizes in two groups changes no companion."""
    store = filled(tmp_path / "ws", two_forms)
    firsts = {(d["form"], d["round"]): d for d in store.submissions()}
    for doc in list(firsts.values()) * 2:
        store.finalize(new_revision_of(store, doc), force=True)
    tree = main_tree(store.db.path)
    assert len(tree["sheets"]) == len(store.submissions(all_revisions=True))
    report = verify_chains(tree["events"])
    assert report.ok and len(report.signed) == sum("sig" in e for e in tree["events"].values())
    main_part, parts = split(tree)
    on_disk = companions(store)
    assert set(parts) == set(on_disk)
    for rel, part in parts.items():
        stored = orjson.loads(on_disk[rel].read_bytes())
        assert stored["sheets"] == part["sheets"] and stored["events"] == part["events"], rel
    before = versions(on_disk)
    write_main_tree(store.db.path, tree)
    assert versions(companions(store)) == before
    assert check_workspace(store.workspace).ok


def test_an_old_main_file_with_rows_and_events_moves_them_out_on_the_first_write(
    tmp_path, two_forms
):
    store = filled(tmp_path / "ws", two_forms)
    tree = main_tree(store.db.path)
    old = {k: v for k, v in tree.items() if k != "ledger"}
    old["shards"] = {k: {f: v for f, v in r.items() if f != "ledger"}
                     for k, r in tree["shards"].items()}  # fmt: skip
    old["meta"] = {"1": {"schema": 1}}
    for path in companions(store).values():
        path.unlink()
        Path(path.parent, f".{path.name}.held").unlink()
    store.db.path.write_bytes(orjson.dumps(old))
    again = Store(store.workspace)
    assert len(again.summaries(all_revisions=True)) == len(tree["sheets"])
    again.log("note", None, "秘书")  # any write
    raw = orjson.loads(store.db.path.read_bytes())
    assert "sheets" not in raw and raw["meta"]["1"]["schema"] == 2
    moved = main_tree(store.db.path)
    assert moved["sheets"] == tree["sheets"]
    assert len(moved["events"]) == len(tree["events"]) + 1
    assert check_workspace(store.workspace).ok


def test_a_lost_companion_is_refused_and_restored_from_its_backup(tmp_path, two_forms):
    store = filled(tmp_path / "ws", two_forms)
    rel, path = next(iter(companions(store).items()))
    good = path.read_bytes()
    path.unlink()
    with pytest.raises(DatabaseDamaged, match="备份"):
        Store(store.workspace).summaries()
    report = check_workspace(store.workspace)
    [bad] = [f for f in report.files if not f.ok]
    assert bad.path == path and "不见了" in " ".join(bad.errors)
    steps = [s for s in restore_plan(store.workspace, report) if s.path == path]
    assert steps and steps[0].backup is not None
    steps[0].database.restore(steps[0].backup)
    assert path.read_bytes() == good
    assert check_workspace(store.workspace).ok


def test_a_companion_put_back_from_elsewhere_gives_no_rows_its_shard_does_not_hold(
    tmp_path, two_forms
):
    store = filled(tmp_path / "ws", two_forms)
    every = {(d["uuid"], d["revision"]) for d in store.summaries(all_revisions=True)}
    rel, path = next(iter(companions(store).items()))
    part = orjson.loads(path.read_bytes())
    part["sheets"] = {}  # an older copy: no rows
    path.write_bytes(orjson.dumps(part))
    again = Store(store.workspace)
    assert {(d["uuid"], d["revision"]) for d in again.summaries(all_revisions=True)} == every


def test_a_commit_cut_short_before_the_companions_are_in_place_is_finished(
    tmp_path, two_forms, monkeypatch
):
    store = filled(tmp_path / "ws", two_forms)
    doc = store.submissions()[0]
    real = staging.put_in_place

    def crash(target, tmp, hooks, payload):
        if LEDGER in Path(target).parts:
            raise SystemExit("power cut")  # after the main file's write
        return real(target, tmp, hooks, payload)

    monkeypatch.setattr(staging, "put_in_place", crash)
    sheet = new_revision_of(store, doc)
    count = len(store.submissions(all_revisions=True))
    with pytest.raises(SystemExit):
        store.finalize(sheet, force=True)
    monkeypatch.setattr(staging, "put_in_place", real)
    again = Store(store.workspace)
    # the main file's write was the commit: the sheet, its row and its event all stand
    assert again.submission(sheet.uuid)["revision"] == 1
    rows = again.summaries(all_revisions=True)
    assert len(rows) == count + 1
    assert len(rows) == len(store.submissions(all_revisions=True))
    tree = main_tree(store.db.path)
    assert len(tree["events"]) == len(rows)
    assert not [p for p in archive_dir(store.db.path).rglob("*staged*")]
    assert check_workspace(store.workspace).ok
    assert os.path.exists(store.db.path)


def test_a_finalize_in_a_big_group_opens_few_companions_and_an_amend_finds_its_events(tmp_path):
    """1500 sheets of one form in one round: six shards. A new sheet opens the newest shard's
    companion and the few that the Bloom filters cannot rule out; an amended revision also
    opens the first revision's, where the sheet's events are kept."""
    from benchmarks.bench import build_archive

    archive = build_archive(tmp_path / "big", 1500, forms=["edu-base-inspection"], rounds=1)
    store = Store(archive.workspace)
    assert len(companions(store)) == 6
    real = store.db.ledger.load  # type: ignore[union-attr]
    reads: list[str] = []

    def counting(rel: str):
        reads.append(rel)
        return real(rel)

    store.db.ledger.load = counting  # type: ignore[union-attr,method-assign]
    oldest = store.summaries()[0]
    first_shard = oldest["shard"]
    fresh = new_revision_of(store, store.submission(oldest["uuid"]))
    newest = max(companions(store))  # full: the new sheet starts shard 7
    reads.clear()
    stored = store.finalize(fresh, force=True)
    assert newest in reads and len(set(reads)) <= 3, reads
    reads.clear()
    sheet = store.amend(oldest["uuid"], "补充说明", "秘书")
    reads.clear()
    amended = store.finalize(sheet, force=True)
    assert first_shard in reads and len(set(reads)) <= 4, reads
    store.db.ledger.load = real  # type: ignore[union-attr,method-assign]
    tree = main_tree(store.db.path)
    events = [e["event"] for e in tree["events"].values() if e["uuid"] == amended["uuid"]]
    assert events[-2:] == ["amend_opened", "amended"]
    _, parts = split(tree)
    for rel, part in parts.items():
        on_disk = orjson.loads(companions(store)[rel].read_bytes())
        assert on_disk["events"] == part["events"] and on_disk["sheets"] == part["sheets"]
    assert verify_chains(tree["events"]).ok
    assert stored["uuid"] in {r["uuid"] for r in store.summaries()}
    with pytest.raises(Exception, match="已经提交过"):
        store.finalize(sheet, force=True)  # the same revision twice, found through its filter


def test_a_whole_tree_written_without_a_shards_rows_drops_its_companion(tmp_path, two_forms):
    """The companion goes with the last of its rows and events (a tool writing a tree), so
    a later read cannot bring the rows back from it."""
    store = filled(tmp_path / "ws", two_forms)
    tree = main_tree(store.db.path)
    rel = next(iter(companions(store)))
    gone = {r["uuid"] for r in tree["sheets"].values() if r["shard"] == rel}
    tree["sheets"] = {k: r for k, r in tree["sheets"].items() if r["shard"] != rel}
    tree["events"] = {k: e for k, e in tree["events"].items() if e.get("uuid") not in gone}
    write_main_tree(store.db.path, tree)
    assert rel not in companions(store)
    assert main_tree(store.db.path)["sheets"] == tree["sheets"]


def test_ids_filters_and_shard_order_helpers(tmp_path):
    """The fast paths keep the meaning: the highest id despite a damaged one; a filter says
    no only for keys it never saw; shards listed by form, round and number (10000 after 9999)."""
    assert max_id({"1": {}, "x": {}, "7": {}}, 3) == 7
    assert max_id({}, 5) == 5 and max_id({"2": {}}, 9) == 9
    rows = [{"uuid": f"u{i}", "revision": 1} for i in range(250)]
    kept = bloom(rows)
    assert all(holder_test(r["uuid"], 1)(kept) for r in rows)
    assert sum(holder_test(f"other{i}", 1)(kept) for i in range(1000)) < 60  # ~2% maybe
    assert holder_test("u1", 1)(None) and holder_test("u1", 1)("not base64!")
    names = ["a/2026-9999.json", "a/2026-10000.json", "a/2025-0002.json", "b/2024-0001.json"]
    for rel in names + ["a/.2026-0001.json.held", "a/notes.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{}")
    assert list(shard_keys(tmp_path)) == [names[2], names[0], names[1], names[3]]
    assert list(shard_keys(tmp_path, "b")) == [names[3]]
    assert shard_keys(tmp_path)[names[3]][0] == 2  # [size, mtime_ns]
