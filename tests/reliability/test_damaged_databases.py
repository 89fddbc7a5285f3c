"""Damaged databases: every command refuses with a message naming the backup, nothing is written
over, and `doctor --restore --yes` brings the last good state back (issue 6 acceptance)."""

from __future__ import annotations

import os

import orjson
import pytest
from rel_helpers import assert_clean_failure, run_cli

from inspect_kit.store.store import Store

pytestmark = pytest.mark.reliability


def half(raw: bytes) -> bytes:
    return raw[: len(raw) // 2]


def garbage(raw: bytes) -> bytes:
    return os.urandom(len(raw) // 3)


def wrong_shape(raw: bytes) -> bytes:
    data = orjson.loads(raw)
    data["shards"] = list(data["shards"].values())  # valid JSON, a list not a table
    return orjson.dumps(data)


def wrong_records(raw: bytes) -> bytes:
    data = orjson.loads(raw)
    data["subjects"] = {"1": "not a record"}
    return orjson.dumps(data)


def schema_too_new(raw: bytes) -> bytes:
    data = orjson.loads(raw)
    data["meta"] = {"1": {"schema": 99}}
    return orjson.dumps(data)


DAMAGE = [half, garbage, wrong_shape, wrong_records, schema_too_new]


@pytest.fixture
def damaged(demo_workspace, request):
    """(workspace, good bytes, damaged bytes, newest backup): the backup holds the good state."""
    ws = demo_workspace
    store = Store(ws)
    good = ws.db_path.read_bytes()
    backup = store.db.backup()  # what every finalize, void and import does before writing
    assert backup is not None and backup.read_bytes() == good
    bad = request.param(good)
    ws.db_path.write_bytes(bad)
    return ws, good, bad, backup


def a_sheet_uuid(ws) -> str:
    """A stored sheet's uuid, read from a shard (the main file is the damaged one)."""
    shard = min((ws.results_dir / "archive").glob("[!.]*/*.json"))
    return next(iter(orjson.loads(shard.read_bytes())["submissions"].values()))["uuid"]


def commands(uuid: str) -> list[list[str]]:
    return [
        ["results", "list"],
        ["results", "list", "--json"],
        ["results", "show", uuid],
        ["results", "void", uuid, "--reason", "测试"],
        ["results", "amend", uuid, "--reason", "测试"],
        ["subjects", "list"],
        ["subjects", "add", "--id", "x-9", "--name", "新", "--kind", "education-base"],
        ["demo", "--subjects", "1", "--raters", "1", "--rounds", "1"],
        ["panel", "edu-base-inspection"],
        ["doctor"],
        ["doctor", "--restore"],  # no terminal and no --yes: refuses before touching anything
    ]


@pytest.mark.parametrize("damaged", DAMAGE, indirect=True, ids=[f.__name__ for f in DAMAGE])
def test_damaged_database_is_refused_never_overwritten_and_restored(damaged):
    ws, good, bad, backup = damaged
    uuid = a_sheet_uuid(ws)
    for args in commands(uuid):
        result = run_cli(ws, *args)
        text = assert_clean_failure(result)
        assert backup.name in text, (args, text)
        assert ws.db_path.read_bytes() == bad, args  # never written over, not even "repaired"

    result = run_cli(ws, "doctor", "--restore", "--yes")
    assert result.exit_code == 0, result.output
    assert ws.db_path.read_bytes() == good  # the last good state, byte for byte
    kept = sorted(ws.results_dir.glob("inspect-kit.damaged-*.json"))
    assert [p.read_bytes() for p in kept] == [bad]  # the damaged file is kept aside, not deleted
    assert run_cli(ws, "doctor").exit_code == 0
    listed = run_cli(ws, "results", "list", "--json")
    assert listed.exit_code == 0
    assert len(orjson.loads(listed.output)) == len(Store(ws).submissions())


def test_restore_skips_a_damaged_backup_and_takes_the_newest_good_one(demo_workspace):
    ws = demo_workspace
    store = Store(ws)
    good = ws.db_path.read_bytes()
    store.db.backup()
    newer = store.db.backup()
    newer.write_bytes(half(good))  # the newest backup is itself damaged
    ws.db_path.write_bytes(garbage(good))
    result = run_cli(ws, "doctor", "--restore", "--yes")
    assert result.exit_code == 0, result.output
    assert "跳过备份" in result.output and newer.name in result.output
    assert ws.db_path.read_bytes() == good


def test_restore_without_any_good_backup_changes_nothing(demo_workspace):
    ws = demo_workspace
    bad = half(ws.db_path.read_bytes())
    ws.db_path.write_bytes(bad)
    for backup in Store(ws).db.backups():
        backup.unlink()
    text = assert_clean_failure(run_cli(ws, "doctor", "--restore", "--yes"))
    assert "没有通过检查的备份" in text
    assert ws.db_path.read_bytes() == bad


def test_a_backup_whose_scores_do_not_recompute_is_not_restored(demo_workspace):
    ws = demo_workspace
    store = Store(ws)
    good = ws.db_path.read_bytes()
    older = store.db.backup()
    newer = store.db.backup()
    data = orjson.loads(good)
    data["forms"]["1"]["source"] += "#"  # parses fine, but the form text no longer matches
    newer.write_bytes(orjson.dumps(data))
    ws.db_path.write_bytes(half(good))
    result = run_cli(ws, "doctor", "--restore", "--yes")
    assert result.exit_code == 0, result.output
    assert "sha256 不符" in result.output
    assert ws.db_path.read_bytes() == older.read_bytes() == good


def test_damaged_drafts_file_is_refused_and_set_aside_by_doctor(demo_workspace):
    ws = demo_workspace
    bad = half(ws.drafts_path.read_bytes())
    ws.drafts_path.write_bytes(bad)
    archive = ws.db_path.read_bytes()
    uuid = Store(ws).submissions()[0]["uuid"]
    text = assert_clean_failure(run_cli(ws, "results", "amend", uuid, "--reason", "测试"))
    assert "drafts.json 已损坏" in text
    assert ws.drafts_path.read_bytes() == bad
    drafts = Store(ws).drafts_db.newest_backup()  # drafts keep backups like every file
    assert drafts is not None
    assert "doctor --restore" in assert_clean_failure(run_cli(ws, "doctor"))
    result = run_cli(ws, "doctor", "--restore", "--yes")
    assert result.exit_code == 0, result.output
    assert ws.db_path.read_bytes() == archive  # the healthy archive is not rolled back
    assert [p.read_bytes() for p in ws.results_dir.glob("drafts.damaged-*.json")] == [bad]
    assert ws.drafts_path.read_bytes() == drafts.read_bytes()  # no draft lost
    assert run_cli(ws, "results", "amend", uuid, "--reason", "测试").exit_code == 0


def test_damaged_drafts_file_without_backups_is_set_aside(demo_workspace):
    ws = demo_workspace
    for old in ws.backups_dir.glob("drafts-*.json"):
        old.unlink()
    bad = half(ws.drafts_path.read_bytes())
    ws.drafts_path.write_bytes(bad)
    result = run_cli(ws, "doctor", "--restore", "--yes")
    assert result.exit_code == 0, result.output
    assert [p.read_bytes() for p in ws.results_dir.glob("drafts.damaged-*.json")] == [bad]
    assert run_cli(ws, "doctor").exit_code == 0


def test_restore_after_demo_brings_back_every_sheet(workspace):
    assert (
        run_cli(workspace, "demo", "--subjects", "1", "--raters", "2", "--rounds", "1").exit_code
        == 0
    )
    sheets = Store(workspace).submissions(all_revisions=True)
    assert sheets
    workspace.db_path.write_bytes(half(workspace.db_path.read_bytes()))  # in place: same inode
    result = run_cli(workspace, "doctor", "--restore", "--yes")
    assert result.exit_code == 0, result.output
    assert Store(workspace).submissions(all_revisions=True) == sheets
    assert len(Store(workspace).summaries(all_revisions=True)) == len(sheets)
    assert run_cli(workspace, "doctor").exit_code == 0


def test_restoring_a_damaged_main_database_leaves_healthy_shards_alone(workspace):
    # Regression: with the main file unreadable, doctor could not find the form versions, blamed
    # every sheet in the shards, and --restore rolled the healthy shards back as well.
    assert run_cli(workspace, "demo", "--subjects", "1", "--raters", "2", "--rounds", "1",
                   "--form", "edu-base-inspection").exit_code == 0  # fmt: skip
    shard = shard_of(workspace)
    before = shard.read_bytes()
    workspace.db_path.write_bytes(half(workspace.db_path.read_bytes()))
    report = run_cli(workspace, "doctor")
    assert report.exit_code == 1 and "分数与重算不符" not in report.output
    result = run_cli(workspace, "doctor", "--restore", "--yes")
    assert result.exit_code == 0, result.output
    assert shard.read_bytes() == before
    assert not list(shard.parent.glob("*.damaged-*"))


def shard_of(ws):
    files = sorted((ws.results_dir / "archive").glob("[!.]*/*.json"))
    assert files
    return files[0]


@pytest.mark.parametrize("damage", [half, garbage, schema_too_new], ids=lambda f: f.__name__)
def test_damaged_shard_is_refused_naming_its_backup_and_restored(demo_workspace, damage):
    ws = demo_workspace
    shard = shard_of(ws)
    rel = shard.relative_to(ws.results_dir / "archive").as_posix()
    store = Store(ws)
    every = store.submissions(all_revisions=True)
    good, main = shard.read_bytes(), ws.db_path.read_bytes()
    backups = sorted((ws.results_dir / "backups" / "archive" / shard.parent.name).glob(
        f"{shard.stem}-*.json"))  # fmt: skip
    assert backups and backups[-1].read_bytes() == good  # the newest backup: after the last write
    uuid = next(d["uuid"] for d in every if d["form"] == shard.parent.name)
    bad = damage(good)
    shard.write_bytes(bad)
    for args in (["results", "list"], ["results", "show", uuid],
                 ["results", "void", uuid, "--reason", "测试"], ["doctor"]):  # fmt: skip
        text = assert_clean_failure(run_cli(ws, *args))
        assert backups[-1].name in text, (args, text)
        assert shard.read_bytes() == bad and ws.db_path.read_bytes() == main, args
    result = run_cli(ws, "doctor", "--restore", "--yes")
    assert result.exit_code == 0, result.output
    assert shard.read_bytes() == good and ws.db_path.read_bytes() == main
    assert [p.read_bytes() for p in shard.parent.glob(f"{shard.stem}.damaged-*.json")] == [bad]
    assert Store(ws).submissions(all_revisions=True) == every
    assert rel in {r["shard"] for r in Store(ws).summaries()}
