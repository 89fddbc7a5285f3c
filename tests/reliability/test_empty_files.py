"""Empty files are damage, not a new database (issue 16, items 1 and 2): a 0-byte, `{}` or
deleted main file, shard, roster or drafts file in a workspace that held data is refused by
every command, never written over, and `doctor --restore` brings every one of them back."""

from __future__ import annotations

import orjson
import pytest
from rel_helpers import assert_clean_failure, run_cli

from inspect_kit.store import held
from inspect_kit.store.store import Store

pytestmark = pytest.mark.reliability


def zero(path):
    path.write_bytes(b"")


def braces(path):
    path.write_bytes(b"{}")


def deleted(path):
    path.unlink()


EMPTY = [zero, braces, deleted]


def first_shard(ws):
    return sorted((ws.results_dir / "archive").glob("[!.]*/*.json"))[0]


def roster_file(ws):
    return ws.results_dir / "archive" / ".roster" / "subjects.json"


def state(ws):
    store = Store(ws)
    return (
        sorted((d["uuid"], d["revision"]) for d in store.submissions(all_revisions=True)),
        [s.id for s in store.subjects()],
        sorted(d["uuid"] for d in store.drafts()),
    )


COMMANDS = [
    ["results", "list"],
    ["subjects", "list"],
    ["subjects", "add", "--id", "x-9", "--name", "新", "--kind", "education-base"],
    ["panel", "edu-base-inspection"],
    ["doctor"],
]


@pytest.mark.parametrize("damage", EMPTY, ids=[f.__name__ for f in EMPTY])
@pytest.mark.parametrize("which", ["main", "shard", "roster", "drafts"])
def test_an_emptied_file_is_refused_and_restored(demo_workspace, damage, which):
    ws = demo_workspace
    before = state(ws)
    path = {"main": ws.db_path, "shard": first_shard(ws), "roster": roster_file(ws),
            "drafts": ws.drafts_path}[which]  # fmt: skip
    damage(path)
    held.forget()  # as a fresh process
    after_damage = path.read_bytes() if path.exists() else None
    commands = COMMANDS + ([["results", "amend", before[0][0][0], "--reason", "测试"]]
                           if which == "drafts" else [])  # fmt: skip
    for args in commands:
        if which == "drafts" and args[0] != "doctor" and "amend" not in args:
            continue  # these commands never open the drafts file
        text = assert_clean_failure(run_cli(ws, *args))
        assert "曾保存过数据" in text, (args, text)
        assert (path.read_bytes() if path.exists() else None) == after_damage, args
    result = run_cli(ws, "doctor", "--restore", "--yes")
    assert result.exit_code == 0, result.output
    assert "检查通过" in result.output
    assert state(ws) == before  # nothing lost
    assert run_cli(ws, "doctor").exit_code == 0


def test_an_old_workspace_gets_its_markers_on_first_open(demo_workspace):
    ws = demo_workspace
    for marker in ws.results_dir.rglob(".*.held"):
        marker.unlink()
    held.forget()
    assert run_cli(ws, "results", "list").exit_code == 0  # opening the main file marks it
    assert held.marker_for(ws.db_path).exists()
    braces(ws.db_path)
    held.forget()
    assert "曾保存过数据" in assert_clean_failure(run_cli(ws, "results", "list"))


def test_a_new_workspace_still_starts_empty(workspace):
    workspace.results_dir.mkdir(parents=True, exist_ok=True)
    workspace.db_path.write_bytes(b"")  # never held anything: a new database
    args = ["subjects", "add", "--id", "x-1", "--name", "新", "--kind", "education-base"]
    assert run_cli(workspace, *args).exit_code == 0
    assert [s.id for s in Store(workspace).subjects()] == ["x-1"]


def test_no_backup_of_an_empty_state_is_taken(demo_workspace):
    ws = demo_workspace
    backups = {p: p.read_bytes() for p in Store(ws).db.backups()}
    braces(ws.db_path)
    held.forget()
    for _ in range(3):  # writes are refused, so the backups keep the good state
        run_cli(ws, "subjects", "add", "--id", "x-9", "--name", "新", "--kind", "education-base")
    assert {p: p.read_bytes() for p in Store(ws).db.backups()} == backups
    assert Store(ws).db.backup() is None  # an explicit backup of the empty state is refused
    for raw in backups.values():
        assert orjson.loads(raw)  # never `{}`


def test_restore_from_an_older_backup_when_the_newest_is_bad(demo_workspace):
    ws = demo_workspace
    store = Store(ws)
    good = ws.db_path.read_bytes()
    older = store.db.backup()
    newer = store.db.backup()
    newer.write_bytes(b"")  # a 0-byte newest backup
    zero(ws.db_path)
    listing = run_cli(ws, "doctor", "--list")
    assert listing.exit_code == 0 and older.name in listing.output
    assert "✗" in listing.output  # the 0-byte one is marked unusable
    refused = assert_clean_failure(run_cli(ws, "doctor", "--from", str(newer), "--yes"))
    assert "无法使用" in refused
    result = run_cli(ws, "doctor", "--from", str(older), "--yes")
    assert result.exit_code == 0, result.output
    assert ws.db_path.read_bytes() == good
    assert run_cli(ws, "doctor").exit_code == 0
