"""The list screens' read of the index rows (tui/index_rows.py): one read of a file version at a
time (a screen asking meanwhile waits for it and reuses it), with the cyclic collector paused
during the read and back on after."""

from __future__ import annotations

import gc
import threading
import time

from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
from inspect_kit.store.store import Store
from inspect_kit.tui import index_rows


def _archive(store: Store) -> None:
    roster, finals, _ = build_demo(demo_forms(), DemoPlan(subjects=2, raters=2, rounds=1, seed=3,
                                                          drafts=0))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)


def test_two_screens_asking_at_once_read_the_files_once(store, monkeypatch):
    _archive(store)
    reads: list[bool] = []
    original = Store.summaries_and_review_states

    def slow(self):
        reads.append(gc.isenabled())
        time.sleep(0.2)  # long enough for the second caller to arrive while this one reads
        return original(self)

    monkeypatch.setattr(Store, "summaries_and_review_states", slow)
    got: list[list[str]] = []

    def ask() -> None:
        rows, _states = index_rows.lists(store)
        got.append(sorted(r["uuid"] for r in rows))

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert reads == [False]  # one read, with the collector off
    assert gc.isenabled() and not gc.get_freeze_count()
    assert len(got) == 2 and got[0] == got[1] and got[0]
    assert index_rows.cached(store) is not None


def test_a_changed_file_is_read_again(store):
    _archive(store)
    before, _ = index_rows.lists(store)
    assert index_rows.cached(store) is not None
    store.void(before[0]["uuid"], "重复录入", "测试员")  # the main file is replaced
    assert index_rows.cached(store) is None
    after, _ = index_rows.lists(store)
    voided = next(r for r in after if r["uuid"] == before[0]["uuid"])
    assert voided["status"] == "void"


def test_repeated_texts_are_shared_and_values_kept():
    rows = [{"form": "".join(["f", "1"]), "rater": "".join(["张", "三"]), "uuid": "a", "x": 1},
            {"form": "".join(["f", "1"]), "rater": None, "uuid": "b"}]  # fmt: skip
    shared = index_rows.share_repeated_text([dict(r) for r in rows])
    assert shared == rows
    assert shared[0]["form"] is shared[1]["form"]
