"""snapshot_read (store.ledger_storage): a snapshot's tree with only some events kept, as the
list screens read it; never a tree that can be written back."""

from __future__ import annotations

import pytest

from inspect_kit.store.ledger_storage import no_events, scoped_read, snapshot_read
from tests.unit.test_archive import filled


@pytest.fixture
def two_forms(builtin_forms):
    return [builtin_forms["edu-base-inspection"], builtin_forms["four-oclock-school"]]


def test_a_filtered_snapshot_keeps_every_row_and_only_the_events_asked_for(tmp_path, two_forms):
    store = filled(tmp_path / "ws", two_forms)
    with store.db.snapshot() as db:
        whole = scoped_read(db, None)
        kinds = {e["event"] for e in whole["events"].values()}
        kind = sorted(kinds)[0]
        picked = snapshot_read(db, None, lambda e: e.get("event") == kind)
        bare = snapshot_read(db, None, no_events)
    assert picked["sheets"] == whole["sheets"] == bare["sheets"]
    assert picked["events"] == {k: e for k, e in whole["events"].items() if e["event"] == kind}
    assert not bare.get("events")


def test_a_filtered_read_is_refused_in_a_transaction_and_a_snapshot_stages_nothing(
    tmp_path, two_forms
):
    store = filled(tmp_path / "ws", two_forms)
    with store.db.transaction() as db, pytest.raises(RuntimeError):
        snapshot_read(db, None, no_events)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with store.db.snapshot() as db:
        tree = snapshot_read(db, None, no_events)
        with pytest.raises(RuntimeError):
            db.storage.write(tree)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_summaries_and_review_states_read_as_before(tmp_path, two_forms):
    store = filled(tmp_path / "ws", two_forms)
    doc = store.summaries()[0]
    store.review(doc["uuid"], "returned", "办公室", "请补充材料")
    assert store.review_states()[(doc["uuid"], doc["revision"])].state == "returned"
    assert len(store.summaries()) == len(store.submissions())


def test_rows_and_review_states_from_one_read_equal_the_two_reads(tmp_path, two_forms):
    """The list screens' one read (Store.summaries_and_review_states) gives exactly what
    summaries(status=None) and review_states() give, a decision and a void among them."""
    store = filled(tmp_path / "ws", two_forms)
    docs = store.summaries()
    store.review(docs[0]["uuid"], "returned", "办公室", "请补充材料")
    store.review(docs[1]["uuid"], "approved", "办公室")
    store.void(docs[2]["uuid"], "重复录入", "秘书")
    rows, states = store.summaries_and_review_states()
    assert rows == store.summaries(status=None)
    assert states == store.review_states() and len(states) == 2
    assert {r["status"] for r in rows} == {"final", "void"}
