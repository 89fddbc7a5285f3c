"""Appends to the newest shard without a parse (store.shard_tail): the bytes are exactly what
encoding the parsed table would give, and the fast path is taken only on the very bytes this
store wrote; anything else is read and checked as before."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_kit.base.errors import DatabaseDamaged
from inspect_kit.store import index as index_module
from inspect_kit.store.archive import Shards, archive_dir
from inspect_kit.store.doctor import check_workspace
from inspect_kit.store.files import main_tree, write_main_tree
from inspect_kit.store.parsing import database_bytes
from inspect_kit.store.shard_tail import Tail, digest, tail_of
from inspect_kit.store.store import Store
from tests.unit.test_archive import demo_sheets

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)  # fmt: skip
records = st.dictionaries(st.text(min_size=1), json_values, min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(old=st.lists(records, min_size=1, max_size=5), new=st.lists(records, min_size=1, max_size=3))
def test_appended_bytes_are_the_encoding_of_the_table_with_the_records_added(old, new):
    table = {str(i): doc for i, doc in enumerate(old, 1)}
    raw = database_bytes({"submissions": table})
    row = {"count": len(table), "next": len(table) + 1, "digest": digest(raw)}
    tail = tail_of(raw, row, 250)
    assert tail is not None
    grown = {**table, **{str(len(table) + 1 + i): doc for i, doc in enumerate(new)}}
    assert tail.appended(new) == database_bytes({"submissions": grown})


def test_only_the_bytes_the_digest_names_with_the_expected_start_and_end_are_appended_to():
    raw = database_bytes({"submissions": {"1": {"a": 1}}})
    row = {"count": 1, "next": 2, "digest": digest(raw)}
    assert tail_of(raw, row, 250) == Tail(1, 2, raw)
    assert tail_of(raw.replace(b'"a":1', b'"a":2'), row, 250) is None  # same size, other bytes
    assert tail_of(raw, {**row, "digest": None}, 250) is None  # written by an older kit
    assert tail_of(raw, {k: v for k, v in row.items() if k != "next"}, 250) is None
    assert tail_of(raw[:-1], {**row, "digest": digest(raw[:-1])}, 250) is None  # torn
    # a full shard is known full from its row (nothing is appended to it, so no bytes needed)
    assert tail_of(None, {"count": 250}, 250) == Tail(250, 0, None)
    assert tail_of(None, {"count": 0}, 250) is None


@pytest.fixture
def store(workspace) -> Store:
    return Store(workspace)


def finalize_some(store: Store, form, n: int, seed: int = 3) -> list[dict]:
    docs = []
    sheets = [s for s, _ in demo_sheets([form], seed=seed)[1]]
    newest = max(s.round for s in sheets)
    for sheet in [s for s in sheets if s.round == newest][:n]:
        store.start_sheet(form, sheet)
        docs.append(store.finalize(sheet, form, force=True))
    return docs


def shard_file(store: Store, doc: dict) -> Path:
    [row] = [r for r in main_tree(store.db.path)["sheets"].values() if r["uuid"] == doc["uuid"]]
    return archive_dir(store.db.path) / row["shard"]


def count_reads(monkeypatch) -> list[str]:
    reads: list[str] = []
    real = Shards.read_table

    def counted(self, rel, *args, **kwargs):
        reads.append(rel)
        return real(self, rel, *args, **kwargs)

    monkeypatch.setattr(Shards, "read_table", counted)
    return reads


def test_finalizes_append_without_reading_the_shard_and_leave_the_bytes_a_whole_write_would(
    store, edu_form, monkeypatch
):
    first = finalize_some(store, edu_form, 1)[0]
    reads = count_reads(monkeypatch)
    docs = first, *finalize_some(store, edu_form, 4, seed=4)
    path = shard_file(store, first)
    assert reads == []  # every later finalize appended to the shard its row vouches for
    raw = path.read_bytes()
    table = orjson.loads(raw)["submissions"]
    assert raw == database_bytes({"submissions": table})
    assert list(table) == [str(i) for i in range(1, len(docs) + 1)]
    assert [d["uuid"] for d in table.values()] == [d["uuid"] for d in docs]
    [row] = [r for r in main_tree(store.db.path)["shards"].values()
             if r["shard"] == path.relative_to(archive_dir(store.db.path)).as_posix()]  # fmt: skip
    assert row["count"] == len(docs) and row["next"] == len(docs) + 1
    assert row["digest"] == digest(raw)
    assert check_workspace(store.workspace).ok
    assert {d["uuid"] for d in store.submissions()} >= {d["uuid"] for d in docs}


def test_a_shard_changed_in_place_keeping_its_size_and_mtime_is_read_and_refused(
    store, edu_form, monkeypatch
):
    first = finalize_some(store, edu_form, 2)[0]
    path = shard_file(store, first)
    st = path.stat()
    raw = path.read_bytes()
    i = raw.index(b'"uuid":"') + len(b'"uuid":')
    path.write_bytes(raw[:i] + b"{" + raw[i + 1 :])  # same size, no longer JSON
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    reads = count_reads(monkeypatch)
    with pytest.raises(DatabaseDamaged):
        finalize_some(store, edu_form, 1, seed=5)
    assert reads  # the digest did not match: the shard was read, and its damage refused


def test_a_shard_row_without_a_digest_is_read_once_then_appended_to(store, edu_form, monkeypatch):
    first = finalize_some(store, edu_form, 2)[0]
    tree = main_tree(store.db.path)
    for row in tree["shards"].values():  # as an older kit left it
        row.pop("digest", None)
        row.pop("next", None)
    write_main_tree(store.db.path, tree)
    reads = count_reads(monkeypatch)
    finalize_some(store, edu_form, 1, seed=6)
    assert len(reads) == 1
    finalize_some(store, edu_form, 1, seed=7)
    assert len(reads) == 1
    table = orjson.loads(shard_file(store, first).read_bytes())["submissions"]
    assert len(table) == 4 and list(table) == ["1", "2", "3", "4"]


def test_only_a_shards_own_table_is_vouched_for(store):
    shards = store.shards
    shards.stage_table("f/r-0001.json", {"1": {"a": 1}})
    shards.stage_table(".roster/subjects.json", {"1": {"id": "x"}}, "subjects")
    assert set(shards.tail_facts("f/r-0001.json", 1, 2, 250)) == {"digest", "next"}
    assert shards.tail_facts(".roster/subjects.json", 1, 2, 250) == {}
    assert shards.tail_facts("f/r-0001.json", 250, 251, 250) == {}  # full: never appended to
    shards.abort()


def test_a_full_shard_is_not_read_and_the_next_one_starts(store, edu_form, monkeypatch):
    monkeypatch.setattr(index_module, "SHARD_CAPACITY", 2)
    first = finalize_some(store, edu_form, 2)[0]
    reads = count_reads(monkeypatch)
    third = finalize_some(store, edu_form, 1, seed=8)[0]
    assert reads == []
    assert shard_file(store, third) != shard_file(store, first)
    assert shard_file(store, third).name.endswith("-0002.json")
    assert check_workspace(store.workspace).ok
