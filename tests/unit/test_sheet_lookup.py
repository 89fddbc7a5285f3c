"""One sheet's reads and writes by its whole uuid (submission, history, events, void, amend's
log) open only the companions of its own (form, round) group, found through the Bloom filters,
and give what a read of every companion gives; a prefix still finds the sheet."""

from __future__ import annotations

import orjson
import pytest

from inspect_kit.store.event_chain import verify_chains
from inspect_kit.store.files import main_tree
from inspect_kit.store.ledger import split
from inspect_kit.store.store import Store
from tests.unit.test_ledger import companions, versions


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """1,200 sheets of two forms over two rounds: two or three shards in each of four groups."""
    from benchmarks.bench import build_archive

    root = tmp_path_factory.mktemp("lookup") / "ws"
    return build_archive(root, 1200, forms=["edu-base-inspection", "five-good-committee"],
                         rounds=2)  # fmt: skip


@pytest.fixture
def store(archive, tmp_path) -> Store:
    import shutil

    from inspect_kit.base.paths import Workspace

    shutil.copytree(archive.root, tmp_path / "ws")
    return Store(Workspace(tmp_path / "ws"))


def counted_loads(store: Store, monkeypatch) -> list[str]:
    real = store.db.ledger.load  # type: ignore[union-attr]
    reads: list[str] = []

    def counting(rel: str):
        reads.append(rel)
        return real(rel)

    monkeypatch.setattr(store.db.ledger, "load", counting)  # type: ignore[union-attr]
    return reads


def group_of(store: Store, row: dict) -> set[str]:
    return {r["shard"] for r in main_tree(store.db.path)["sheets"].values()
            if (r["form"], r["round"]) == (row["form"], row["round"])}  # fmt: skip


def test_a_sheets_reads_open_only_its_group_and_equal_a_whole_read(store, monkeypatch):
    tree = main_tree(store.db.path)
    rows = sorted(tree["sheets"].values(), key=lambda r: (r["uuid"], r["revision"]))
    row = next(r for r in rows if r["revision"] == 2)  # a sheet with two revisions
    uuid = row["uuid"]
    reads = counted_loads(store, monkeypatch)
    doc = store.submission(uuid)
    revisions, events = store.history(uuid)
    own_events = store.events(uuid)
    # its group, and at most the few companions the filters could not rule out
    assert group_of(store, row) <= set(reads) and len(set(reads) - group_of(store, row)) <= 2
    assert doc["revision"] == 2 and [d["revision"] for d in revisions] == [1, 2]
    expected = [e for e in tree["events"].values() if e["uuid"] == uuid]
    assert events == expected and own_events == expected and len(expected) == 2
    assert store.submission(uuid[:8]) == doc  # a prefix: every companion, the same sheet
    assert len(companions(store)) > len(group_of(store, row))


def test_a_void_writes_only_its_group_and_the_chain_holds(store, monkeypatch):
    row = next(iter(main_tree(store.db.path)["sheets"].values()))
    before = versions(companions(store))
    reads = counted_loads(store, monkeypatch)
    store.void(row["uuid"], "重复录入", "秘书")
    assert len(set(reads)) <= len(group_of(store, row)) + 2
    after = versions(companions(store))
    changed = {rel for rel in after if after[rel] != before.get(rel)}
    assert changed and changed <= group_of(store, row)
    tree = main_tree(store.db.path)
    assert verify_chains(tree["events"]).ok
    assert store.submission(row["uuid"])["status"] == "void"
    assert [e["event"] for e in store.events(row["uuid"])][-1] == "voided"
    _, parts = split(tree)  # the files hold exactly what a whole split of the tree gives
    for rel, part in parts.items():
        on_disk = orjson.loads(companions(store)[rel].read_bytes())
        assert on_disk["events"] == part["events"] and on_disk["sheets"] == part["sheets"]


def test_amends_log_goes_to_the_companion_of_the_first_revision_alone(store):
    rows = main_tree(store.db.path)["sheets"].values()
    row = next(r for r in rows if r["revision"] == 1)
    before = versions(companions(store))
    store.amend(row["uuid"], "补充说明", "秘书")
    after = versions(companions(store))
    assert {rel for rel in after if after[rel] != before[rel]} == {row["shard"]}
    tree = main_tree(store.db.path)
    assert verify_chains(tree["events"]).ok
    assert [e["event"] for e in store.events(row["uuid"])][-1] == "amend_opened"


def test_events_about_no_sheet_are_read_from_the_main_file_alone(store, monkeypatch):
    from inspect_kit.services.conflicts import ConflictsService

    service = ConflictsService(store)
    subject = next(iter(main_tree(store.db.path)["sheets"].values()))
    service.declare("edu-base-inspection", subject["subject"], "张三", "亲属关系", by="秘书")
    reads = counted_loads(store, monkeypatch)
    [conflict] = service.list("edu-base-inspection")
    assert conflict.rater == "张三" and reads == []
    assert any(e["event"] == "conflict_declared" for e in store.sheetless_events())
    assert verify_chains(main_tree(store.db.path)["events"]).ok


def test_a_review_reads_and_writes_only_its_sheets_group(store, monkeypatch):
    row = next(r for r in main_tree(store.db.path)["sheets"].values() if r["revision"] == 1)
    before = versions(companions(store))
    reads = counted_loads(store, monkeypatch)
    doc, state = store.review(row["uuid"], "returned", "秘书", "第3项缺少照片")
    assert doc["uuid"] == row["uuid"] and state.state == "returned"
    assert len(set(reads) - group_of(store, row)) <= 2
    after = versions(companions(store))
    assert {rel for rel in after if after[rel] != before[rel]} == {row["shard"]}
    assert store.review_state(row["uuid"], doc["revision"]).state == "returned"
    assert verify_chains(main_tree(store.db.path)["events"]).ok


def test_rectification_items_and_the_roster_are_read_and_written_without_a_companion(
    store, monkeypatch
):
    from inspect_kit.services.rectify import RectifyService

    subject = next(iter(main_tree(store.db.path)["sheets"].values()))["subject"]
    before = versions(companions(store))
    service = RectifyService(store)
    # (adding it also publishes the subject's sync bundle, which reads its sheets)
    item = service.add(subject=subject, requirement="补齐活动台账", deadline="2027-01-31",
                       by="秘书")  # fmt: skip
    assert versions(companions(store)) == before  # the item and its event: the main file's
    reads = counted_loads(store, monkeypatch)
    assert [i.item.uuid for i in service.listed(subject=subject)] == [item.uuid]
    store.add_subjects([store.subject(subject)])  # rewritten as it is: nothing changes
    assert reads == [] and versions(companions(store)) == before
    tree = main_tree(store.db.path)
    assert verify_chains(tree["events"]).ok
    assert any(e["uuid"] == item.uuid for e in store.sheetless_events())
