"""The file IO holds on Windows: a rename over a file another program holds open (a virus
scanner, a sync client, a second window) is retried for a bounded time, then refused in one
line with the old file intact; output redirected to a GBK (code page 936) stream never crashes;
a device key is made where the disk has no hard links; Chinese paths with spaces work."""

from __future__ import annotations

import errno
import io
import os

import pytest
from click.testing import CliRunner

from inspect_kit.base import fsio, signing
from inspect_kit.base.console import never_fail_to_print
from inspect_kit.base.errors import StoreError


def sharing_violation() -> PermissionError:
    e = PermissionError(errno.EACCES, "The process cannot access the file")
    e.winerror = 32  # type: ignore[attr-defined]  # what Windows sets for ERROR_SHARING_VIOLATION
    return e


@pytest.fixture
def flaky_replace(monkeypatch):
    """os.replace that fails with a sharing violation the first `fails` times."""
    real = os.replace
    calls = {"n": 0, "fails": 0}

    def replace(src, dst):
        calls["n"] += 1
        if calls["n"] <= calls["fails"]:
            raise sharing_violation()
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(fsio, "REPLACE_PATIENCE_S", 0.5)
    return calls


def test_a_held_target_is_retried_until_the_other_program_lets_go(tmp_path, flaky_replace):
    target = tmp_path / "inspect-kit.json"
    target.write_bytes(b"old")
    flaky_replace["fails"] = 3
    fsio.atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert flaky_replace["n"] == 4
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(fsio.TEMP_PREFIX)]


def test_a_target_held_for_good_is_refused_in_one_line_with_the_old_file_kept(
    tmp_path, flaky_replace
):
    target = tmp_path / "inspect-kit.json"
    target.write_bytes(b"old")
    flaky_replace["fails"] = 10**9
    with pytest.raises(StoreError) as caught:
        fsio.atomic_write(target, b"new")
    message = str(caught.value)
    assert "被其他程序占用" in message and "原文件未改动" in message and "\n" not in message
    assert target.read_bytes() == b"old"
    assert flaky_replace["n"] > 3  # retried, within REPLACE_PATIENCE_S
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(fsio.TEMP_PREFIX)]


def test_a_posix_permission_error_is_final_at_once(tmp_path, monkeypatch):
    calls = []

    def replace(src, dst):
        calls.append(dst)
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(StoreError, match="没有权限"):
        fsio.atomic_write(tmp_path / "x.json", b"new")
    assert len(calls) == 1


def test_every_rename_of_the_kit_goes_through_the_retrying_replace():
    """No module renames over a file with a bare os.replace (which Windows refuses while a
    scanner holds the target), except fsio itself."""
    from pathlib import Path

    package = Path(fsio.__file__).resolve().parents[1]
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "fsio.py" and "os.replace(" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_redirected_output_on_a_gbk_console_never_crashes():
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="gbk")
    never_fail_to_print(stream)
    print("得分 −3 ✓ 鄞州区", file=stream)
    stream.flush()
    assert raw.getvalue().decode("gbk") == "得分 ?3 ? 鄞州区\n"  # Chinese kept, the rest as ?


def test_utf8_streams_are_left_strict():
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    never_fail_to_print(stream, None)
    assert stream.errors == "strict"


def test_a_device_key_is_made_where_the_disk_has_no_hard_links(tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECT_KIT_KEY", str(tmp_path / "key" / "device.pem"))
    monkeypatch.setattr(signing, "_loaded", {})

    def no_links(src, dst):
        raise OSError(errno.EPERM, "Operation not permitted")  # what FAT/exFAT answers

    monkeypatch.setattr(os, "link", no_links)
    key = signing.device_key()
    assert key is not None
    assert (tmp_path / "key" / "device.pem").read_bytes().startswith(b"-----BEGIN PRIVATE KEY")
    assert [p.name for p in (tmp_path / "key").iterdir()] == ["device.pem"]  # no temp left
    monkeypatch.setattr(signing, "_loaded", {})
    assert signing.device_key().public_key == key.public_key  # the same key read back


def test_a_workspace_under_a_chinese_path_with_spaces(tmp_path):
    from inspect_kit.cli import cli

    folder = tmp_path / "关工委 检查" / "2026 年 数据"
    folder.mkdir(parents=True)
    runner = CliRunner()
    ws = ["--workspace", str(folder)]
    demo = runner.invoke(cli, [*ws, "demo", "--subjects", "3", "--raters", "2", "--rounds", "1"])
    assert demo.exit_code == 0, demo.output
    export = runner.invoke(cli, [*ws, "results", "export", "--format", "csv",
                                 "--out", str(folder / "导出 结果.csv")])  # fmt: skip
    assert export.exit_code == 0, export.output
    rows = (folder / "导出 结果.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) > 1  # a header and the demo's sheets
    listed = runner.invoke(cli, [*ws, "results", "list", "--json"])
    assert listed.exit_code == 0 and listed.output.strip().startswith("[")
