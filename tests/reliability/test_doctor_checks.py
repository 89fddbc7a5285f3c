"""`inspect-kit doctor` finds what is wrong inside a file that still parses, and leftovers."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import orjson
import pytest
from rel_helpers import assert_clean_failure, run_cli

from inspect_kit.store.database import Database
from inspect_kit.store.doctor import check_workspace
from inspect_kit.store.files import main_tree, write_main_tree
from inspect_kit.store.store import Store

pytestmark = pytest.mark.reliability


def first_shard(ws):
    return sorted((ws.results_dir / "archive").glob("[!.]*/*.json"))[0]


def rewrite(ws, change) -> None:
    """Edit the main file, the first shard and the roster as a hand (or a bug) might."""
    main, shard = ws.db_path, first_shard(ws)
    roster = ws.results_dir / "archive" / ".roster" / "subjects.json"
    data = {"main": orjson.loads(main.read_bytes()), "shard": orjson.loads(shard.read_bytes()),
            "roster": orjson.loads(roster.read_bytes())}  # fmt: skip
    change(data)
    main.write_bytes(orjson.dumps(data["main"]))
    shard.write_bytes(orjson.dumps(data["shard"]))
    roster.write_bytes(orjson.dumps(data["roster"]))


def test_a_healthy_demo_passes_and_every_score_is_recomputed(demo_workspace):
    report = check_workspace(demo_workspace)
    assert report.ok, report.archive.errors
    sheets = len(main_tree(demo_workspace.db_path)["sheets"])
    shards = sorted((demo_workspace.results_dir / "archive").glob("[!.]*/*.json"))
    held = sum(len(orjson.loads(p.read_bytes())["submissions"]) for p in shards)
    assert report.archive.rechecked == sheets == held > 0
    assert len(report.shards) == len(shards) and all(f.ok for f in report.shards)
    result = run_cli(demo_workspace, "doctor")
    assert result.exit_code == 0 and "检查通过" in result.output


@pytest.mark.parametrize(
    "change, finding",
    [
        (lambda d: d["shard"]["submissions"]["1"]["score"].update(total=99.5), "分数与重算不符"),
        (
            lambda d: d["shard"]["submissions"]["2"]["score"].update(grade="优秀", final=101),
            "grade",
        ),  # fmt: skip
        (lambda d: d["shard"]["submissions"]["1"]["answers"].clear(), "分数与重算不符"),
        (lambda d: d["shard"]["submissions"]["1"].pop("form_sha256"), "缺少 form_sha256"),
        (lambda d: d["shard"]["submissions"]["1"].update(revision="2"), "revision 应为整数"),
        (lambda d: d["shard"]["submissions"]["1"].update(status="draft"), "status"),
        (
            lambda d: d["shard"]["submissions"].update({"999": d["shard"]["submissions"]["1"]}),
            "出现了 2 次",
        ),  # fmt: skip
        (lambda d: d["shard"]["submissions"].pop("1"), "找不到"),  # an index row without sheet
        (lambda d: d["main"]["forms"].clear(), "没有它所用的表单版本"),
        (
            lambda d: d["main"]["forms"]["1"].update(
                source=d["main"]["forms"]["1"]["source"] + "#"
            ),
            "sha256 不符",
        ),  # fmt: skip
        (lambda d: d["roster"]["subjects"]["1"].pop("name"), "缺少 name"),
    ],
)
def test_doctor_reports_records_that_do_not_add_up(demo_workspace, change, finding):
    rewrite(demo_workspace, change)
    before = demo_workspace.db_path.read_bytes(), first_shard(demo_workspace).read_bytes()
    text = assert_clean_failure(run_cli(demo_workspace, "doctor"))
    assert finding in text
    after = demo_workspace.db_path.read_bytes(), first_shard(demo_workspace).read_bytes()
    assert after == before  # checking never writes


def test_doctor_finds_and_repairs_a_sheet_missing_from_the_index(demo_workspace):
    """A finalize cut short between the shard write and the main write: the sheet is safe in
    its shard, its index row and event are missing. doctor warns; --repair puts them back."""
    ws = demo_workspace
    store = Store(ws)
    every = store.submissions(all_revisions=True)
    data = main_tree(ws.db_path)
    (row_id, row), *_ = data["sheets"].items()
    del data["sheets"][row_id]
    data["events"] = {k: e for k, e in data["events"].items() if e.get("uuid") != row["uuid"]}
    for shard in data["shards"].values():  # the main file knew the shard as it was before
        if shard["shard"] == row["shard"]:
            shard.update(count=shard["count"] - 1, key=[0, 0])
    write_main_tree(ws.db_path, data)
    report = check_workspace(ws)
    assert report.ok and any("索引中没有" in w for w in report.archive.warnings)
    # Reads never hide it: the shard's content counts, whatever the index says.
    assert Store(ws).submissions(all_revisions=True) == every
    assert Store(ws).submission(row["uuid"])["uuid"] == row["uuid"]
    result = run_cli(ws, "doctor", "--repair")
    assert result.exit_code == 0 and "重建索引" in result.output, result.output
    repaired = main_tree(ws.db_path)
    assert sorted((r["uuid"], r["revision"]) for r in repaired["sheets"].values()) == sorted(
        (d["uuid"], d["revision"]) for d in every
    )
    [event] = [e for e in repaired["events"].values() if e.get("uuid") == row["uuid"]]
    assert event["event"] == "finalized" and event["recovered"] is True
    report = check_workspace(ws)
    assert report.ok and not report.archive.warnings, report.archive.warnings
    again = ws.db_path.read_bytes()
    assert run_cli(ws, "doctor", "--repair").exit_code == 0
    assert ws.db_path.read_bytes() == again  # nothing left to repair: nothing written


def test_doctor_reports_leftover_temp_files_and_clean_removes_old_ones(demo_workspace):
    ws = demo_workspace
    old = ws.results_dir / ".tmp-inspect-kit.json-abc123"
    fresh = ws.results_dir / ".tmp-inspect-kit.json-def456"
    old.write_bytes(b'{"half')
    fresh.write_bytes(b'{"half')
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    result = run_cli(ws, "doctor")
    assert result.exit_code == 0  # a leftover is a warning: the database itself is fine
    assert old.name in result.output and "临时文件" in result.output
    result = run_cli(ws, "doctor", "--clean")
    assert result.exit_code == 0 and "已删除 1 个" in result.output
    assert not old.exists() and fresh.exists()  # a fresh one may belong to a write in progress


def test_doctor_reports_a_lock_held_by_another_process(demo_workspace):
    ws = demo_workspace
    holder = textwrap.dedent(f"""
        import sys, time
        from filelock import FileLock
        with FileLock({str(ws.db_path) + ".lock"!r}):
            print("held", flush=True)
            time.sleep(30)
    """)
    proc = subprocess.Popen([sys.executable, "-c", holder], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline() == "held\n"
        problems = Database(ws.db_path, lock_timeout=0.2).check()
        assert any("正被另一个窗口或进程使用" in p for p in problems)
    finally:
        proc.kill()
        proc.wait()
    assert run_cli(ws, "doctor").exit_code == 0  # the lock dies with its process: nothing stale


def test_doctor_reports_a_lock_file_left_by_a_database_that_is_gone(demo_workspace):
    stray = demo_workspace.results_dir / "old-copy.json.lock"
    stray.touch()
    result = run_cli(demo_workspace, "doctor")
    assert result.exit_code == 0 and "old-copy.json.lock" in result.output


def test_restore_needs_a_terminal_or_yes(demo_workspace):
    ws = demo_workspace
    from inspect_kit.store.store import Store

    Store(ws).db.backup()
    before = ws.db_path.read_bytes()
    text = assert_clean_failure(run_cli(ws, "doctor", "--restore"))
    assert "--yes" in text
    assert ws.db_path.read_bytes() == before
