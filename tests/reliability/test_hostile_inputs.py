"""Hostile or broken inputs end in one line and exit 1, never a traceback or a hang (issue 16,
items 9-11): answer files, rosters, forms, FIFOs, --db targets, zip bombs, a full disk on
XLSX export."""

from __future__ import annotations

import errno
import os
import sys
import zipfile

import pytest
from rel_helpers import assert_clean_failure, run_cli

pytestmark = pytest.mark.reliability


@pytest.mark.parametrize(
    "name, text, needle",
    [
        ("bad-date.yaml", "rater: 张三\ninspect-date: 2026-13-45\n", "2026-13-45"),
        ("huge.yaml", "rater: 张三\nvisitors: " + "9" * 5000 + "\n", "cannot be read"),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "嵌套太深"),
        ("huge.json", '{"visitors": ' + "9" * 5000 + "}", "无法读取"),
    ],
)
def test_broken_answer_files(demo_workspace, tmp_path, name, text, needle):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    args = ["fill", "edu-base-inspection", "--subject", "eb-001", "--answers", str(path)]
    assert needle in assert_clean_failure(run_cli(demo_workspace, *args))


@pytest.mark.parametrize("version", ["2026-13-45", "9" * 5000])
def test_a_form_with_an_unreadable_value_is_listed_as_unusable(demo_workspace, version):
    from inspect_kit.base.paths import builtin_forms_dir

    source = sorted(builtin_forms_dir().glob("*.yaml"))[0].read_text(encoding="utf-8")
    lines = [("form: broken-form" if line.startswith("form:") else
              f"version: {version}" if line.startswith("version:") else line)
             for line in source.splitlines()]  # fmt: skip
    path = demo_workspace.forms_dir / "broken.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = assert_clean_failure(run_cli(demo_workspace, "forms", "validate", str(path)))
    assert "broken.yaml:" in text and "cannot be read" in text
    listed = run_cli(demo_workspace, "forms", "list")
    assert listed.exit_code == 0 and "broken.yaml" in listed.output  # listed as unusable


def test_an_over_long_roster_field(demo_workspace, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("id,name,kind\nx-1," + "名" * 140_000 + ",education-base\n", encoding="utf-8")
    text = assert_clean_failure(run_cli(demo_workspace, "subjects", "import", str(path)))
    assert "CSV" in text


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")
def test_a_fifo_is_refused_not_waited_on(demo_workspace, tmp_path):
    fifo = tmp_path / "roster.csv"
    os.mkfifo(fifo)
    text = assert_clean_failure(run_cli(demo_workspace, "subjects", "import", str(fifo)))
    assert "不是普通文件" in text
    args = ["fill", "edu-base-inspection", "--subject", "eb-001", "--answers", str(fifo)]
    assert "不是普通文件" in assert_clean_failure(run_cli(demo_workspace, *args))


@pytest.mark.skipif(sys.platform == "win32", reason="device nodes and symlinks are POSIX")
def test_db_must_be_a_regular_file_and_a_symlink_is_kept(demo_workspace, tmp_path):
    text = assert_clean_failure(run_cli(demo_workspace, "--db", "/dev/null", "results", "list"))
    assert "不是普通文件" in text
    link = tmp_path / "link.json"
    link.symlink_to(demo_workspace.db_path)
    args = ["--db", str(link), "subjects", "add", "--id", "z-1", "--name", "甲",
            "--kind", "education-base"]  # fmt: skip
    assert run_cli(demo_workspace, *args).exit_code == 0
    assert link.is_symlink()  # followed explicitly, not replaced by a regular file
    assert b"z-1" in (demo_workspace.results_dir / "archive/.roster/subjects.json").read_bytes()


def test_a_zip_bomb_is_refused_before_it_is_read(demo_workspace, tmp_path, monkeypatch):
    from inspect_kit.store import sources

    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("sheets.json", b"\0" * (4 * 1024**2))  # 4 MB of zeros: ratio ~1000
    text = assert_clean_failure(run_cli(demo_workspace, "results", "import", str(bomb)))
    assert "压缩比" in text
    monkeypatch.setattr(sources, "MAX_BUNDLE_BYTES", 1024)
    big = tmp_path / "big.zip"
    with zipfile.ZipFile(big, "w") as zf:
        zf.writestr("sheets.json", os.urandom(4096))
    assert "过大" in assert_clean_failure(run_cli(demo_workspace, "results", "import", str(big)))


def test_xlsx_export_on_a_full_disk_leaves_no_file(demo_workspace, tmp_path, monkeypatch):
    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", full)
    monkeypatch.setattr(zipfile.ZipFile, "writestr", full)
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "out.xlsx"
    args = ["results", "export", "--format", "xlsx", "--out", str(out)]
    text = assert_clean_failure(run_cli(demo_workspace, *args))
    assert "磁盘空间不足" in text
    assert list(out.parent.iterdir()) == []  # no 0-byte or half workbook, no temp file
