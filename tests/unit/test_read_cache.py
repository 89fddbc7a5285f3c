"""The raw-bytes read cache stays within its byte budget, and a long-running process (the TUI)
does not freeze the heap on big parses."""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path

import orjson
import pytest

from inspect_kit.store import parsing, read_cache
from inspect_kit.store.database import Database


@pytest.fixture(autouse=True)
def small_cache(monkeypatch):
    monkeypatch.setattr(read_cache, "RAW_CACHE_BYTES", 10_000)
    monkeypatch.setattr(read_cache, "_RAW_CACHE", {})
    monkeypatch.setattr(parsing, "_FREEZE", [True])


def old_db(path: Path, text: str) -> Database:
    db = Database(path)
    with db.transaction() as t:
        t.table("s").insert({"v": text})
    old = time.time() - 10  # the cache keeps only files older than 2 s
    os.utime(path, (old, old))
    return db


def read(db: Database) -> str:
    with db.snapshot() as s:
        return s.table("s").get(doc_id=1)["v"]


def cached_bytes() -> int:
    return read_cache.cached_bytes()


def test_cache_keeps_recent_files_within_its_budget(tmp_path):
    dbs = [old_db(tmp_path / f"f{i}.json", f"文件{i}" * 450) for i in range(6)]  # 3.2 kB each
    for db in dbs:
        assert read(db).startswith("文件")
        assert 0 < cached_bytes() <= read_cache.RAW_CACHE_BYTES
    kept = set(read_cache.cached_paths())
    assert os.path.abspath(dbs[-1].path) in kept and os.path.abspath(dbs[0].path) not in kept
    read(dbs[-3])  # used again: now the newest, the oldest kept one goes first
    read(dbs[0])
    assert os.path.abspath(dbs[-3].path) in read_cache.cached_paths()
    assert os.path.abspath(dbs[-2].path) not in read_cache.cached_paths()


def test_a_file_bigger_than_the_budget_is_never_cached(tmp_path):
    db = old_db(tmp_path / "big.json", "大" * 5_000)  # 15 kB of UTF-8
    assert read(db) == "大" * 5_000
    assert read_cache.cached_paths() == []


def test_cached_bytes_are_the_file_version_read(tmp_path):
    db = old_db(tmp_path / "a.json", "旧")
    assert read(db) == "旧"
    with db.transaction() as t:
        t.table("s").update({"v": "新"}, doc_ids=[1])
    assert read(db) == "新"


def test_long_running_process_does_not_freeze_big_parses(monkeypatch):
    monkeypatch.setattr(parsing, "FREEZE_BYTES", 1_000)
    raw = orjson.dumps({"s": {str(i): {"v": i} for i in range(200)}})
    gc.unfreeze()
    try:
        parsing.parse_database_bytes(raw)
        assert gc.get_freeze_count() > 0  # a command: the heap is frozen after a big parse
        parsing.long_running()
        assert gc.get_freeze_count() == 0
        parsing.parse_database_bytes(raw)
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
