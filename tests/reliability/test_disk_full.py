"""A full disk during a write: the old database stays intact and the user reads a clear line."""

from __future__ import annotations

import errno
import os
import random
import resource
import signal
import subprocess
import sys
import textwrap

import pytest
from rel_helpers import assert_clean_failure, run_cli

from inspect_kit.base.errors import StoreError
from inspect_kit.store.database import TEMP_PREFIX
from inspect_kit.store.store import Store, Subject

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="finds files via /proc/self/fd"
    ),
]


@pytest.fixture
def full_disk(monkeypatch):
    """Every fsync of a file fails with ENOSPC, as a full disk reports it for delayed writes.
    (Folder fsyncs are let through: they are best-effort in the storage.)"""
    real_fsync = os.fsync

    def fsync(fd):
        if os.path.isdir(f"/proc/self/fd/{fd}"):
            return real_fsync(fd)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", fsync)


def temp_files(workspace) -> list[str]:
    return [p.name for p in workspace.results_dir.rglob(f"{TEMP_PREFIX}*")]


def test_full_disk_leaves_the_old_database_intact(demo_workspace, full_disk):
    before = demo_workspace.db_path.read_bytes()
    store = Store(demo_workspace)
    with pytest.raises(StoreError, match="磁盘空间不足") as caught:
        store.add_subject(Subject(id="new-1", name="新对象", kind="education-base"))
    assert "原文件未改动" in str(caught.value)
    assert demo_workspace.db_path.read_bytes() == before
    assert temp_files(demo_workspace) == []  # the half-written temp file is removed


def test_full_disk_during_finalize_keeps_the_archive_and_the_draft(demo_workspace, monkeypatch):
    from inspect_kit.demo.generator import demo_forms, fill_sheet
    from inspect_kit.domain.sheet import Sheet

    loaded = demo_forms()[0]
    store = Store(demo_workspace)
    sheet = Sheet(
        form=loaded.form,
        form_sha256=loaded.sha256,
        subject="s",
        subject_name="s",
        rater="r",
        round="2026",
    )
    fill_sheet(sheet, 0.8, random.Random(1))
    store.start_sheet(loaded, sheet)
    before = demo_workspace.db_path.read_bytes()
    real_fsync = os.fsync

    def fsync(fd):  # backups and drafts still fit; the archive's new version hits the full disk
        if (
            os.readlink(f"/proc/self/fd/{fd}")
            .rsplit("/", 1)[-1]
            .startswith(".tmp-inspect-kit.json")
        ):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(StoreError, match="磁盘空间不足"):
        store.finalize(sheet, loaded)
    monkeypatch.undo()
    assert demo_workspace.db_path.read_bytes() == before
    assert store.draft(sheet.uuid)["uuid"] == sheet.uuid  # the work is still in the drafts
    store.finalize(Store(demo_workspace).load_sheet(store.draft(sheet.uuid)), loaded)
    assert store.submission(sheet.uuid)["status"] == "final"  # and goes through once space is back


@pytest.mark.parametrize(
    "args",
    [
        ["subjects", "add", "--id", "x-1", "--name", "新对象", "--kind", "education-base"],
        ["demo", "--subjects", "1", "--raters", "1", "--rounds", "1"],
    ],
)
def test_cli_says_the_disk_is_full_in_one_line(demo_workspace, full_disk, args):
    before = demo_workspace.db_path.read_bytes()
    text = assert_clean_failure(run_cli(demo_workspace, *args))
    assert "磁盘空间不足" in text and "原文件未改动" in text
    assert demo_workspace.db_path.read_bytes() == before


def test_cli_void_on_a_full_disk(demo_workspace, full_disk):
    uuid = Store(demo_workspace).submissions()[0]["uuid"]
    before = demo_workspace.db_path.read_bytes()
    text = assert_clean_failure(
        run_cli(demo_workspace, "results", "void", uuid, "--reason", "重复")
    )
    assert "磁盘空间不足" in text
    assert demo_workspace.db_path.read_bytes() == before


def test_a_real_short_write_from_the_kernel_leaves_the_old_file(demo_workspace):
    """No tmpfs to fill here, so the kernel cuts the write instead: RLIMIT_FSIZE makes a write
    past the limit fail part-way (EFBIG) exactly where a full disk would (ENOSPC)."""
    before = demo_workspace.db_path.read_bytes()
    limit = len(before) + 64  # the new file is larger: the write stops inside it

    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get the error, not the signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    code = textwrap.dedent(f"""
        from inspect_kit.cli import main
        import sys
        sys.argv = ["inspect-kit", "--workspace", {str(demo_workspace.root)!r},
                    "demo", "--subjects", "2", "--raters", "2", "--rounds", "1"]
        main()
    """)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, preexec_fn=limited, timeout=60
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "原文件未改动" in result.stderr, result.stderr
    assert demo_workspace.db_path.read_bytes() == before
    assert temp_files(demo_workspace) == []
    assert run_cli(demo_workspace, "doctor").exit_code == 0
