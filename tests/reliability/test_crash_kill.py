"""A writer killed with SIGKILL at random moments: the database opens and keeps every sheet
that was reported finalized before the kill (issue 6 §7, issue 2 acceptance)."""

from __future__ import annotations

import os
import random
import signal
import sys
import time

import pytest
from rel_helpers import reported, spawn, wait_ready

from inspect_kit.store.doctor import check_workspace
from inspect_kit.store.store import Store

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
]

TRIALS = 50


def test_sigkill_during_a_finalize_loop_never_loses_a_finalized_sheet(workspace):
    schedule = random.Random(20260611)  # the kill moments, reproducible
    survived: list[str] = []
    kills_with_output = 0
    for trial in range(TRIALS):
        proc = spawn("finalize", workspace.root, -1, f"k{trial}")
        wait_ready(proc)
        time.sleep(schedule.uniform(0.0, 0.3))
        os.kill(proc.pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL, err  # it was still writing, not crashed
        done = reported(out)
        kills_with_output += bool(done)
        survived += done

        store = Store(workspace)  # a fresh process view: opens the file as the next command would
        docs = store.submissions(all_revisions=True)
        held = {d["uuid"] for d in docs}
        missing = [u for u in survived if u not in held]
        assert not missing, f"trial {trial}: finalized sheets lost: {missing}"
        keys = [(d["uuid"], d["revision"]) for d in docs]
        assert len(keys) == len(set(keys)), f"trial {trial}: duplicated sheet"
        store.drafts()  # the drafts file opens too
    assert kills_with_output >= TRIALS // 2  # most kills landed mid-loop, after some sheets

    report = check_workspace(workspace)  # every stored score recomputes equal; no damage
    assert report.ok, report.archive.errors + report.drafts.errors
    assert report.archive.counts["sheets"] >= len(survived)
