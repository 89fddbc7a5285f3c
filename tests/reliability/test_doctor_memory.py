"""`doctor` remembers the files it found healthy (store.doctor_memory) and skips them while they
are unchanged, yet never reports a changed file healthy without checking it again."""

from __future__ import annotations

import os
import shutil
import time

import orjson
import pytest
from rel_helpers import assert_clean_failure, run_cli

from inspect_kit.base.paths import Workspace
from inspect_kit.store import doctor_memory, doctor_records, read_cache
from inspect_kit.store.doctor import check_workspace
from inspect_kit.store.store import Store

pytestmark = pytest.mark.reliability


@pytest.fixture
def recomputed(monkeypatch) -> list[str]:
    """Files count as old at once (FRESH_NS 0), and every score recomputation is counted."""
    monkeypatch.setattr(doctor_memory, "FRESH_NS", 0)
    calls: list[str] = []
    real = doctor_records._recompute

    def counting(doc, forms):
        calls.append(doc["uuid"])
        return real(doc, forms)

    monkeypatch.setattr(doctor_records, "_recompute", counting)
    return calls


def shards(ws: Workspace) -> list:
    return sorted((ws.results_dir / "archive").glob("[!.]*/*.json"))


def tamper(path, change) -> None:
    """Edit a file as a hand would, then put its size and mtime back: only the bytes (and the
    ctime, which cannot be set back) differ. The pause: remembered files are >= FRESH_NS old."""
    time.sleep(0.05)
    st = os.stat(path)
    data = orjson.loads(path.read_bytes())
    change(data)
    raw = orjson.dumps(data)
    raw = raw[: st.st_size] if len(raw) > st.st_size else raw + b" " * (st.st_size - len(raw))
    path.write_bytes(raw)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(path).st_size == st.st_size and os.stat(path).st_mtime_ns == st.st_mtime_ns
    # A fresh command's process, as `doctor` always is: this one's raw-bytes read cache is
    # keyed by (inode, size, mtime), all three kept here on purpose.
    read_cache.clear()


def test_an_unchanged_archive_is_not_recomputed_again(demo_workspace, recomputed):
    first = check_workspace(demo_workspace, use_memory=True)
    assert first.ok and len(recomputed) == first.archive.rechecked > 0
    recomputed.clear()
    again = check_workspace(demo_workspace, use_memory=True)
    assert again.ok and recomputed == []
    assert again.archive.counts == first.archive.counts
    assert again.archive.rechecked == first.archive.rechecked
    assert again.archive.remembered == len(shards(demo_workspace)) + 2  # + main, roster
    full = check_workspace(demo_workspace)  # doctor --full, restore and repair: no memory
    assert full.ok and len(recomputed) == full.archive.rechecked and full.archive.remembered == 0


def test_a_score_edited_after_the_check_is_found(demo_workspace, recomputed):
    assert run_cli(demo_workspace, "doctor").exit_code == 0
    shard = shards(demo_workspace)[0]
    tamper(shard, lambda d: d["submissions"]["1"]["score"].update(total=99.5))
    text = assert_clean_failure(run_cli(demo_workspace, "doctor"))
    assert "分数与重算不符" in text
    # a file with a problem is never remembered: found again on every run
    assert "分数与重算不符" in assert_clean_failure(run_cli(demo_workspace, "doctor"))


def test_only_the_changed_shard_is_checked_again(demo_workspace, recomputed):
    assert check_workspace(demo_workspace, use_memory=True).ok
    recomputed.clear()
    shard = shards(demo_workspace)[-1]
    held = len(orjson.loads(shard.read_bytes())["submissions"])
    tamper(shard, lambda d: d["submissions"]["1"].update(rater="x"))
    report = check_workspace(demo_workspace, use_memory=True)
    assert report.ok  # the rater is not part of the score: still healthy
    assert len(recomputed) == held


@pytest.mark.parametrize(
    "target, change, finding",
    [
        ("main", lambda d: d["forms"].clear(), "没有它所用的表单版本"),
        ("ledger", lambda d: d["sheets"].pop(next(iter(d["sheets"]))), "索引中没有"),
        ("roster", lambda d: d["subjects"]["1"].pop("name"), "缺少 name"),
        ("shard", lambda d: d["submissions"].pop("1"), "找不到"),
        ("shard", lambda d: d["submissions"]["1"].update(status="draft"), "status"),
    ],
)
def test_a_changed_main_file_roster_or_shard_is_checked_again(
    demo_workspace, recomputed, target, change, finding
):
    assert check_workspace(demo_workspace, use_memory=True).ok
    path = {
        "main": demo_workspace.db_path,
        "roster": demo_workspace.results_dir / "archive" / ".roster" / "subjects.json",
        "shard": shards(demo_workspace)[0],
        "ledger": min((demo_workspace.results_dir / "archive" / ".ledger").glob("*/*.json")),
    }[target]
    tamper(path, change)
    report = check_workspace(demo_workspace, use_memory=True)
    found = [line for f in report.files for line in f.errors + f.warnings]
    assert any(finding in line for line in found), found


def test_a_finalize_after_the_check_is_checked(demo_workspace, recomputed):
    """The normal case: a new sheet changes the main file and one shard; the new sheet is
    recomputed, the unchanged shards are not."""
    assert check_workspace(demo_workspace, use_memory=True).ok
    store = Store(demo_workspace)
    doc = dict(store.submissions()[0])
    store.void(doc["uuid"], "录入错误", "测试")
    time.sleep(0.05)
    recomputed.clear()
    report = check_workspace(demo_workspace, use_memory=True)
    assert report.ok and doc["uuid"] in recomputed
    assert len(recomputed) < report.archive.rechecked


def test_fresh_files_are_not_remembered(demo_workspace, monkeypatch):
    # the default: a file changed less than FRESH_NS ago may share its stamp with a
    # same-size write in the same timestamp tick
    monkeypatch.setattr(doctor_memory, "FRESH_NS", 3600 * 10**9)
    assert check_workspace(demo_workspace, use_memory=True).ok
    assert check_workspace(demo_workspace, use_memory=True).archive.remembered == 0


def test_a_copied_workspace_is_checked_in_full(demo_workspace, recomputed, tmp_path):
    assert check_workspace(demo_workspace, use_memory=True).ok
    copy = Workspace(tmp_path / "copy")
    shutil.copytree(demo_workspace.root, copy.root)
    recomputed.clear()
    report = check_workspace(copy, use_memory=True)
    assert report.ok and report.archive.remembered == 0
    assert len(recomputed) == report.archive.rechecked


def test_doctor_full_checks_everything_and_says_what_was_remembered(demo_workspace, recomputed):
    assert run_cli(demo_workspace, "doctor").exit_code == 0
    recomputed.clear()
    plain = run_cli(demo_workspace, "doctor")
    assert plain.exit_code == 0 and recomputed == []
    assert "doctor --full" in plain.output  # says that unchanged files were not re-read
    full = run_cli(demo_workspace, "doctor", "--full")
    assert full.exit_code == 0 and "检查通过" in full.output and len(recomputed) > 0
    assert "doctor --full" not in full.output
