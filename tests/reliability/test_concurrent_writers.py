"""Several processes writing one database at once: nothing lost, nothing duplicated."""

from __future__ import annotations

from collections import Counter

import pytest
from rel_helpers import reported, spawn, wait_ready

from inspect_kit.store.store import Store

pytestmark = pytest.mark.reliability

SHEETS_EACH = 12


def run_together(workspace, mode: str, writers: int, count: int) -> list[str]:
    """Start the writers, release them at the same moment, return what each reported."""
    go = workspace.root / "go"
    procs = [spawn(mode, workspace.root, count, f"w{n}", go) for n in range(writers)]
    for proc in procs:
        wait_ready(proc)
    go.touch()
    done = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        done += reported(out)
    return done


@pytest.mark.parametrize("writers", [2, 4])
def test_processes_finalizing_at_once_lose_and_duplicate_nothing(workspace, writers):
    done = run_together(workspace, "finalize", writers, SHEETS_EACH)
    assert len(done) == writers * SHEETS_EACH

    store = Store(workspace)
    docs = store.submissions(all_revisions=True)
    assert sorted(d["uuid"] for d in docs) == sorted(done)  # every one, each exactly once
    assert Counter(d["rater"] for d in docs) == {f"评委w{n}": SHEETS_EACH for n in range(writers)}
    finalized = [e["uuid"] for e in store.events() if e["event"] == "finalized"]
    assert sorted(finalized) == sorted(done)
    assert store.drafts() == []  # every draft moved into the archive
    assert len(store.form_versions()) == 1  # the form version stored once, not once per writer


def test_four_processes_adding_25_subjects_each_leave_exactly_100(workspace):
    done = run_together(workspace, "subjects", 4, 25)
    assert len(done) == 100

    subjects = Store(workspace).subjects()
    assert len(subjects) == 100
    assert sorted(s.id for s in subjects) == sorted(
        f"w{n}-{i:03d}" for n in range(4) for i in range(25)
    )
