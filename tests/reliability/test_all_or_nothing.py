"""All-or-nothing finalize and import (issue 16, item 3): a full disk at any write, or a SIGKILL
at any moment, leaves the whole import or none of it, across every shard, the roster and the
events; a finalize is the sheet archived and its draft gone, or neither."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from rel_helpers import fill_demo

from inspect_kit.base.errors import StoreError
from inspect_kit.base.paths import Workspace
from inspect_kit.store import staging, storage
from inspect_kit.store.doctor import check_workspace
from inspect_kit.store.merge import import_file
from inspect_kit.store.store import Store

pytestmark = pytest.mark.reliability


def snapshot(ws: Workspace) -> tuple:
    store = Store(ws)
    return (
        sorted((d["uuid"], d["revision"]) for d in store.submissions(all_revisions=True)),
        sorted(s.id for s in store.subjects()),
        sorted((e.get("uuid") or "", e["event"], e.get("revision") or 0) for e in store.events()),
    )


@pytest.fixture
def source(tmp_path):
    ws = Workspace(tmp_path / "laptop")
    (ws.forms_dir).mkdir(parents=True)
    fill_demo(ws, seed=11)  # every built-in form: four shards, a roster, events
    return ws


@pytest.fixture
def target(tmp_path):
    ws = Workspace(tmp_path / "office")
    (ws.forms_dir).mkdir(parents=True)
    fill_demo(ws, seed=3)
    return ws


class DiskFull:
    """Make the n-th atomic write (staged shard, roster or main file) fail like a full disk."""

    def __init__(self, monkeypatch, n: int):
        self.left = n
        for module in (storage, staging):
            real = module.atomic_write
            monkeypatch.setattr(module, "atomic_write", self._wrap(real))

    def _wrap(self, real):
        def write(path, payload):
            self.left -= 1
            if self.left == 0:
                e = OSError(errno.ENOSPC, "No space left on device")
                raise StoreError(f"写入 {path} 失败：磁盘空间不足。原文件未改动。") from e
            return real(path, payload)

        return write


def test_import_on_a_full_disk_is_all_or_nothing_at_every_write(source, target, monkeypatch):
    before = snapshot(target)
    failed_at = []
    for n in range(1, 12):
        with monkeypatch.context() as m:
            DiskFull(m, n)
            try:
                import_file(Store(target), source.db_path)
            except StoreError:
                failed_at.append(n)
                assert snapshot(target) == before, f"write {n} failed: partial import"
                assert check_workspace(target).ok
                continue
        break  # the import went through once the failing write came after its last write
    assert failed_at == list(range(1, len(failed_at) + 1)) and len(failed_at) >= 6
    after = snapshot(target)
    assert len(after[0]) > len(before[0]) and len(after[2]) > len(before[2])
    assert check_workspace(target).ok
    assert not [p for p in target.results_dir.rglob(".tmp-*")], "staged files left behind"


CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from inspect_kit.base.paths import Workspace
    from inspect_kit.store.merge import import_file
    from inspect_kit.store.store import Store
    store = Store(Workspace(Path(sys.argv[1])))
    print("ready", flush=True)
    import_file(store, Path(sys.argv[2]))
    print("done", flush=True)
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_import_killed_at_any_moment_is_all_or_nothing(source, target, tmp_path):
    before = snapshot(target)
    pristine = tmp_path / "pristine"
    subprocess.run(["cp", "-a", str(target.root), str(pristine)], check=True)
    schedule = random.Random(16)
    outcomes = set()
    for trial in range(8):
        subprocess.run(["rm", "-rf", str(target.root)], check=True)
        subprocess.run(["cp", "-a", str(pristine), str(target.root)], check=True)
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(target.root), str(source.db_path)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert proc.stdout.readline() == "ready\n", proc.stderr.read()
        time.sleep(schedule.uniform(0.0, 0.4))
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
        now = snapshot(target)
        if now == before:
            outcomes.add("nothing")
        else:
            assert len(now[0]) > len(before[0]), f"trial {trial}: partial import"
            outcomes.add("all")
            import_file(Store(target), source.db_path)  # a re-import finds nothing new
            assert snapshot(target) == now, f"trial {trial}: the killed import was partial"
        assert check_workspace(target).ok, f"trial {trial}"
    assert outcomes  # both happen on a quiet machine; either one must be whole


def test_finalize_on_a_full_disk_never_duplicates(demo_workspace, monkeypatch):
    from inspect_kit.demo.generator import demo_forms, fill_sheet
    from inspect_kit.domain.sheet import Sheet

    ws = demo_workspace
    loaded = next(lf for lf in demo_forms() if lf.form.form == "edu-base-inspection")
    store = Store(ws)
    sheet = Sheet(form=loaded.form, form_sha256=loaded.sha256, subject="eb-001",
                  subject_name="基地", rater="评委甲", round="2026")  # fmt: skip
    fill_sheet(sheet, 0.8, random.Random(1))
    store.start_sheet(loaded, sheet)
    before = len(store.submissions(all_revisions=True))
    with monkeypatch.context() as m:  # the main file's write (the commit) fails
        DiskFull(m, 2)  # 1: the staged shard, 2: the main file
        with pytest.raises(StoreError):
            Store(ws).finalize(sheet, loaded, force=True)
    assert len(Store(ws).submissions(all_revisions=True)) == before  # not visible
    assert any(d["uuid"] == sheet.uuid for d in Store(ws).drafts())  # the draft stays
    with monkeypatch.context() as m:  # now only the draft's removal fails, after the commit
        real = storage.atomic_write

        def drafts_full(path, payload):
            if path.name == "drafts.json":
                raise StoreError("写入 drafts.json 失败：磁盘空间不足。原文件未改动。")
            return real(path, payload)

        m.setattr(storage, "atomic_write", drafts_full)
        Store(ws).finalize(sheet, loaded, force=True)  # reported as done: it is committed
    assert len(Store(ws).submissions(all_revisions=True)) == before + 1
    assert not any(d["uuid"] == sheet.uuid for d in Store(ws).drafts())  # hidden: it is final
    with pytest.raises(StoreError):  # a repeated finalize cannot make a second sheet
        Store(ws).finalize(sheet, loaded, force=True)
    assert len(Store(ws).submissions(all_revisions=True)) == before + 1
    assert check_workspace(ws).ok
