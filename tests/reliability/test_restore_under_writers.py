"""`doctor --restore` racing writers (issue 16, item 2): the backup is chosen and put back under
the lock, so no write that reported success is lost."""

from __future__ import annotations

import pytest
from rel_helpers import reported, run_cli, spawn, wait_ready

from inspect_kit.store.store import Store

pytestmark = pytest.mark.reliability


def test_restores_racing_subject_writes_lose_nothing(demo_workspace, tmp_path):
    ws = demo_workspace
    go = tmp_path / "go"
    writer = spawn("subjects", ws.root, 40, "r", go)
    wait_ready(writer)
    go.touch()
    restores = 0
    while writer.poll() is None and restores < 6:
        result = run_cli(ws, "doctor", "--restore", "--yes")
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output
        restores += 1
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    added = reported(out)
    assert len(added) == 40
    roster = {s.id for s in Store(ws).subjects()}
    assert [i for i in added if i not in roster] == []  # every printed 已添加 is still there
    assert run_cli(ws, "doctor").exit_code == 0
