"""The database layer: atomic writes, damage refusal, schema, backups, locking across processes."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import pytest

from inspect_kit.base.errors import DatabaseDamaged, StoreError
from inspect_kit.store.database import SCHEMA, Database

REPO = Path(__file__).resolve().parents[2]


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".tmp-*")]


@pytest.fixture(params=["file", "memory"])
def db(request, tmp_path) -> Database:
    return Database(tmp_path / "results" / "inspect-kit.json" if request.param == "file" else None)


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "results" / "inspect-kit.json"


def write_raw(path: Path, raw: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)


def age(path: Path, seconds: float) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


# ----------------------------------------------------------------------------- basic CRUD


def test_chinese_is_stored_as_utf8_bytes(path):
    with Database(path).transaction() as t:
        t.table("subjects").insert({"name": "五好基地", "note": "现场查看：良好"})
    raw = path.read_bytes()
    assert "五好基地".encode() in raw and "现场查看：良好".encode() in raw
    assert b"\\u" not in raw
    with Database(path).snapshot() as s:
        assert s.table("subjects").all() == [{"name": "五好基地", "note": "现场查看：良好"}]


def test_crud_round_trip(db):
    with db.transaction() as t:
        ids = t.table("subjects").insert_multiple([{"id": "A", "n": 1}, {"id": "B", "n": 2}])
    assert ids == [1, 2]
    with db.transaction() as t:
        table = t.table("subjects")
        table.update({"n": 20}, doc_ids=[2])
        table.remove(doc_ids=[1])
        assert table.insert({"id": "C", "n": 3}) == 3  # fresh TinyDB: id follows the stored max
    with db.snapshot() as s:
        docs = {d.doc_id: dict(d) for d in s.table("subjects").all()}
    assert docs == {2: {"id": "B", "n": 20}, 3: {"id": "C", "n": 3}}


def test_ids_continue_across_transactions_and_instances(db):
    for i in range(3):
        with db.transaction() as t:
            t.table("events").insert({"i": i})
    with db.snapshot() as s:
        assert sorted(d.doc_id for d in s.table("events")) == [1, 2, 3]


def test_schema_is_stamped_on_first_write(db):
    with db.transaction() as t:
        assert t.tables() == set()
        t.table("subjects").insert({"id": "A"})
    with db.snapshot() as s:
        assert s.table("meta").all() == [{"schema": SCHEMA}]


def test_snapshot_is_read_only_and_handles_expire(db):
    with db.transaction() as t:
        t.table("subjects").insert({"id": "A"})
        kept = t
    with db.snapshot() as s, pytest.raises(RuntimeError, match="read-only"):
        s.table("subjects").insert({"id": "B"})
    with pytest.raises(RuntimeError, match="ended"):
        kept.table("subjects").all()  # a TinyDB kept past its transaction is unlocked


def test_mutating_returned_documents_never_changes_stored_data(db):
    with db.transaction() as t:
        t.table("submissions").insert({"answers": {"q1": {"value": 1}}, "tags": ["a"]})
    if db.path is not None:
        age(db.path, 10)  # old enough for the raw-bytes read cache to be used
    stored = {"answers": {"q1": {"value": 1}}, "tags": ["a"]}
    for _ in range(2):  # the second snapshot is served from the cache (file unchanged)
        with db.snapshot() as s:
            for _ in range(2):  # and within one snapshot each read is a fresh tree
                doc = s.table("submissions").get(doc_id=1)
                assert doc == stored
                doc["answers"]["q1"]["value"] = 99
                doc["tags"].append("x")
    with db.transaction() as t:
        t.table("submissions").get(doc_id=1)["answers"]["q1"]["value"] = 99
        t.table("events").insert({"e": 1})  # a write right after the mutation
        assert t.table("submissions").get(doc_id=1) == stored


def test_read_cache_sees_a_replaced_file_of_the_same_size(path):
    database = Database(path)
    with database.transaction() as t:
        t.table("s").insert({"v": "aaa"})
    age(path, 10)
    with database.snapshot() as s:
        assert s.table("s").get(doc_id=1) == {"v": "aaa"}  # now cached
    st = path.stat()
    other = path.with_name("other.json")
    other.write_bytes(path.read_bytes().replace(b"aaa", b"bbb"))
    os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime
    os.replace(other, path)  # what another process's atomic write looks like
    with database.snapshot() as s:
        assert s.table("s").get(doc_id=1) == {"v": "bbb"}


def test_read_cache_ignores_a_freshly_written_file(path):
    # Within one mtime tick another writer can produce the same (inode, size, mtime): inode numbers
    # are reused after os.replace. Modelled here by an in-place same-size edit with the mtime reset.
    database = Database(path)
    with database.transaction() as t:
        t.table("s").insert({"v": "aaa"})
    with database.snapshot() as s:
        assert s.table("s").get(doc_id=1) == {"v": "aaa"}
    st = path.stat()
    with open(path, "r+b") as f:
        edited = f.read().replace(b"aaa", b"bbb")
        f.seek(0)
        f.write(edited)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    with database.snapshot() as s:
        assert s.table("s").get(doc_id=1) == {"v": "bbb"}


def test_empty_file_is_a_new_database(path):
    write_raw(path, b"")
    with Database(path).transaction() as t:
        assert t.table("s").all() == []
        t.table("s").insert({"a": 1})
    assert orjson.loads(path.read_bytes())["s"] == {"1": {"a": 1}}


def test_nested_access_in_one_thread_does_not_deadlock(path):
    database = Database(path, lock_timeout=2)
    with database.transaction() as t:
        t.table("s").insert({"a": 1})
        with database.snapshot() as s:  # same lock instance: reentrant
            assert len(s.table("s")) == 1
        with Database(path, lock_timeout=2).snapshot() as s:  # another Database, same file
            assert len(s.table("s")) == 1


# ----------------------------------------------------------------------------- damage


@pytest.mark.parametrize(
    "raw, detail",
    [
        (b'{"subjects": {"1": {"id": "A"}', "第 1 行"),  # cut short
        (b"\x00\x00\x00\x00", "第 1 行"),  # zero-filled pages after a power cut
        (b"[]", "最外层"),
        (b'{"a": 1}', "表 'a'"),
        (b'{"a": {"1": 5}}', "记录 '1'"),
        (b'{"a": {"x": {}}}', "记录 'x'"),
    ],
)
def test_damaged_or_wrong_shape_file_is_refused_and_left_untouched(path, raw, detail):
    write_raw(path, raw)
    database = Database(path)
    for opener in (database.transaction, database.snapshot):
        with pytest.raises(DatabaseDamaged) as caught, opener():
            pytest.fail("should not open")
        message = str(caught.value)
        assert "inspect-kit.json 已损坏" in message and detail in message
        assert "没有可用的备份" in message
    assert database.backup() is None  # a damaged file is never backed up
    assert path.read_bytes() == raw
    assert any("已损坏" in p for p in database.check())


def test_damage_message_names_the_newest_backup(path):
    database = Database(path)
    with database.transaction() as t:
        t.table("s").insert({"a": 1})
    newest = database.backup()
    write_raw(path, b"{")
    with pytest.raises(DatabaseDamaged, match=newest.name) as caught, database.snapshot():
        pass
    assert "doctor --restore" in str(caught.value)


def test_a_file_damaged_mid_transaction_is_not_written_over(path):
    database = Database(path)
    with database.transaction() as t:
        t.table("s").insert({"a": 1})
    with pytest.raises(DatabaseDamaged), database.transaction() as t:
        write_raw(path, b'{"s": ')  # a foreign writer that ignores the lock
        t.drop_tables()  # writes without reading first: the storage must look before replacing
    assert path.read_bytes() == b'{"s": '


def test_schema_written_by_a_newer_version_is_refused(path):
    raw = orjson.dumps({"meta": {"1": {"schema": SCHEMA + 1}}, "s": {}})
    write_raw(path, raw)
    with pytest.raises(DatabaseDamaged, match="更新版本"), Database(path).transaction():
        pass
    assert path.read_bytes() == raw


# ----------------------------------------------------------------------------- full disk


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_write_failure_keeps_the_old_file_and_no_temp_file(path, monkeypatch, failing):
    database = Database(path)
    with database.transaction() as t:
        t.table("s").insert({"a": "旧"})
    before = path.read_bytes()

    def no_space(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, failing, no_space)
    with pytest.raises(StoreError) as caught, database.transaction() as t:
        t.table("s").insert({"a": "新" * 1000})
    monkeypatch.undo()
    assert "磁盘空间不足" in str(caught.value) and "原文件未改动" in str(caught.value)
    assert path.read_bytes() == before
    assert temp_files(path.parent) == []
    with database.snapshot() as s:
        assert s.table("s").all() == [{"a": "旧"}]


# ----------------------------------------------------------------------------- backups


def test_backups_rotate_newest_first(path):
    database = Database(path, keep_backups=3)
    assert database.backup() is None  # nothing to back up yet
    made = []
    for i in range(5):
        with database.transaction() as t:
            t.table("s").insert({"i": i})
        made.append(database.backup())
    assert database.backups() == made[:1:-1] and database.newest_backup() == made[-1]
    assert len(orjson.loads(made[-1].read_bytes())["s"]) == 5
    assert all(p.parent == path.parent / "backups" for p in made)


def test_each_write_keeps_the_states_before_and_after_without_reading_the_files(path, monkeypatch):
    """The newest backup is the after-write copy, marked with the live version it copies: the next
    write recognises it by stat alone (no whole-file reads of backup and live file) and adds
    exactly one backup, the new state."""
    database = Database(path, backup_writes=True)
    for i in range(2):
        with database.transaction() as t:
            t.table("s").insert({"i": i})
    before = database.backups()
    reads: list[Path] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda p: reads.append(p) or real(p))
    with database.transaction() as t:
        t.table("s").insert({"i": 2})
    monkeypatch.undo()
    after = database.backups()
    assert reads == [] and len(after) == len(before) + 1
    assert after[0].read_bytes() == path.read_bytes()
    assert len(orjson.loads(after[1].read_bytes())["s"]) == 2  # the state before the write


def test_a_version_put_in_place_behind_the_stores_back_is_kept_before_the_next_write(path):
    database = Database(path, backup_writes=True)
    with database.transaction() as t:
        t.table("s").insert({"name": "甲"})
    other = path.read_bytes().replace("甲".encode(), "乙".encode())  # same size, other bytes
    tmp = path.with_name("elsewhere.json")
    tmp.write_bytes(other)
    os.replace(tmp, path)  # another tool replaced the file: its mtime is not the backup's
    with database.transaction() as t:
        t.table("s").insert({"name": "丙"})
    assert other in [b.read_bytes() for b in database.backups()]


def test_restore_puts_data_back_and_keeps_the_damaged_file(path):
    database = Database(path)
    with database.transaction() as t:
        t.table("s").insert({"name": "保留"})
    backup = database.backup()
    damaged = b'{"s": {"1": {"name": "'
    write_raw(path, damaged)
    database.restore(backup)
    with database.transaction() as t:
        assert t.table("s").all() == [{"name": "保留"}]
    aside = list(path.parent.glob("inspect-kit.damaged-*.json"))
    assert len(aside) == 1 and aside[0].read_bytes() == damaged
    assert database.check() == []


def test_restore_refuses_a_damaged_backup(path, tmp_path):
    database = Database(path)
    with database.transaction() as t:
        t.table("s").insert({"a": 1})
    before = path.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"{")
    with pytest.raises(StoreError, match="无法使用"):
        database.restore(bad)
    assert path.read_bytes() == before


# ----------------------------------------------------------------------------- doctor


def test_check_reports_leftover_temp_files_and_cleanup_removes_old_ones(path):
    database = Database(path)
    with database.transaction() as t:
        t.table("s").insert({"a": 1})
    assert database.check() == []
    old = path.with_name(".tmp-inspect-kit.json-dead01")
    fresh = path.with_name(".tmp-inspect-kit.json-live02")
    for tmp in (old, fresh):
        tmp.write_bytes(b'{"half')
    age(old, 120)
    assert sum("临时文件" in p for p in database.check()) == 2
    assert database.cleanup_temp_files() == 1
    assert not old.exists() and fresh.exists()


def test_lock_held_elsewhere_times_out_with_a_plain_message(path):
    held, done = threading.Event(), threading.Event()

    def holder():
        with Database(path).transaction():
            held.set()
            done.wait(5)

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        held.wait(5)
        assert any("正被另一个窗口或进程使用" in p for p in Database(path).check())
        with pytest.raises(StoreError, match="占用"), Database(path, lock_timeout=0.2).snapshot():
            pass
    finally:
        done.set()
        thread.join()


def test_threads_sharing_a_file_keep_every_insert(path):
    def work(n):
        for i in range(25):
            with Database(path).transaction() as t:
                t.table("s").insert({"t": n, "i": i})

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Database(path).snapshot() as s:
        docs = s.table("s").all()
    assert len(docs) == 100 and len({d.doc_id for d in docs}) == 100


# ----------------------------------------------------------------------------- processes

INSERTER = """
import sys, time
from pathlib import Path
from inspect_kit.store.database import Database
path, go, who = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
database = Database(path)
while not go.exists():
    time.sleep(0.005)
for i in range(50):
    with database.transaction() as t:
        t.table("submissions").insert({"who": who, "i": i, "note": "并发写入"})
"""

CHURNER = """
import sys
from pathlib import Path
from inspect_kit.store.database import Database
database = Database(Path(sys.argv[1]))
i = 0
while True:
    with database.transaction() as t:
        table = t.table("s")
        if i % 3 == 2:
            table.remove(doc_ids=[d.doc_id for d in table.all()[: len(table) // 2]])  # shrink
        else:
            table.insert({"i": i, "text": "写入中" * (i % 200)})
    if i == 5:
        print("ready", flush=True)
    i += 1
"""


def run_python(code: str, *args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, cwd=REPO, **kwargs)


@pytest.mark.reliability
def test_two_processes_inserting_keep_all_documents_with_unique_ids(path, tmp_path):
    path.parent.mkdir(parents=True)
    go = tmp_path / "go"
    procs = [run_python(INSERTER, str(path), str(go), who) for who in ("a", "b")]
    time.sleep(0.3)  # both started and waiting: they write at the same time
    go.touch()
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    with Database(path).snapshot() as s:
        docs = s.table("submissions").all()
    assert len(docs) == 100 and len({d.doc_id for d in docs}) == 100
    assert sorted((d["who"], d["i"]) for d in docs) == sorted(
        (who, i) for who in "ab" for i in range(50)
    )


@pytest.mark.reliability
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_writer_killed_mid_write_leaves_a_file_that_opens(path):
    path.parent.mkdir(parents=True)
    for delay in (0.05, 0.13, 0.21):
        proc = run_python(CHURNER, str(path), stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        proc.stdout.close()
        database = Database(path)
        assert not [p for p in database.check() if "临时文件" not in p]
        with database.transaction() as t:
            assert len(t.table("s")) > 0
            t.table("s").insert({"after": "kill"})


DIES_IN_FSYNC = """
import os, signal, sys
from pathlib import Path
from inspect_kit.store.database import Database
database = Database(Path(sys.argv[1]))
def die(fd):
    os.kill(os.getpid(), signal.SIGKILL)  # the new bytes are written, not yet renamed into place
os.fsync = die
with database.transaction() as t:
    t.table("s").remove(doc_ids=list(range(1, 40)))  # a shrinking write: the worst case in place
"""


@pytest.mark.reliability
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_crash_between_write_and_rename_keeps_the_old_file(path):
    database = Database(path)
    with database.transaction() as t:
        t.table("s").insert_multiple({"i": i, "text": "旧数据" * 20} for i in range(50))
    before = path.read_bytes()
    proc = run_python(DIES_IN_FSYNC, str(path))
    assert proc.wait(timeout=30) == -signal.SIGKILL
    assert path.read_bytes() == before
    leftovers = temp_files(path.parent)
    assert len(leftovers) == 1 and any("临时文件" in p for p in database.check())
    age(leftovers[0], 120)
    assert database.cleanup_temp_files() == 1 and database.check() == []
