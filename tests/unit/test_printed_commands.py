"""Commands the kit prints can be pasted as they are: `inspect-kit` only when that name on PATH
runs this installation, else the installed script's path, else `python -m inspect_kit`; the
workspace, database and language of the run are kept."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from inspect_kit.base import invocation
from inspect_kit.cli import Kit, cli


@pytest.fixture(autouse=True)
def _fresh():
    invocation.kit_executable.cache_clear()
    yield
    invocation.kit_executable.cache_clear()


def fake_script(folder: Path, python: str) -> Path:
    script = folder / "inspect-kit"
    script.write_text(f"#!{python}\nimport sys\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_the_bare_name_when_path_runs_this_installation(tmp_path, monkeypatch):
    fake_script(tmp_path, sys.executable)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert invocation.kit_executable() == ("inspect-kit",)
    assert invocation.command_line(["results", "list"]) == "inspect-kit results list"


def test_another_installation_on_path_is_not_trusted(tmp_path, monkeypatch):
    other = tmp_path / "other"
    other.mkdir()
    fake_script(other, "/usr/bin/python3-somewhere-else")
    monkeypatch.setenv("PATH", str(other))
    monkeypatch.setattr(sys, "argv", ["/nowhere/__main__.py"])
    words = invocation.kit_executable()
    assert words != ("inspect-kit",)
    beside = Path(sys.executable).parent / "inspect-kit"
    assert words == ((str(beside),) if beside.exists() else (sys.executable, "-m", "inspect_kit"))


def test_the_running_scripts_full_path_when_not_on_path(tmp_path, monkeypatch):
    venv_bin = tmp_path / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    script = fake_script(venv_bin, sys.executable)
    monkeypatch.setenv("PATH", "/usr/bin")
    monkeypatch.setattr(sys, "argv", [str(script), "demo"])
    assert invocation.kit_executable() == (str(script.resolve()),)


def test_python_m_when_no_script_exists(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "/usr/bin")
    monkeypatch.setattr(sys, "argv", ["-m"])
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python3"))
    assert invocation.kit_executable() == (str(tmp_path / "python3"), "-m", "inspect_kit")


def test_words_are_quoted_only_when_needed():
    line = invocation.command_line(["fill", "edu", "--rater", "王建国", "--reason", "漏记 一处"])
    assert line.endswith("fill edu --rater 王建国 --reason '漏记 一处'")
    assert shlex.split(line)[-2:] == ["--reason", "漏记 一处"]


def test_kit_command_keeps_workspace_db_and_language(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    here = Kit(tmp_path, None, None).command("results", "list")
    assert here.endswith("inspect-kit results list") or here.endswith("-m inspect_kit results list")
    elsewhere = Kit(tmp_path / "ws", tmp_path / "x.json", "en").command("demo")
    assert f"--workspace {tmp_path / 'ws'} --db {tmp_path / 'x.json'} --lang en demo" in elsewhere


def test_demo_prints_commands_that_run(tmp_path):
    result = CliRunner().invoke(cli, ["--workspace", str(tmp_path), "demo", "--subjects", "1",
                                      "--raters", "1", "--rounds", "1"])  # fmt: skip
    assert result.exit_code == 0, result.output
    line = result.output.strip().splitlines()[-1]
    listed = line.split("查看：", 1)[1].split("    打开界面：")[0]
    words = shlex.split(listed)
    assert words[-4:] == ["--workspace", str(tmp_path), "results", "list"]
    run = subprocess.run(words, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "edu-base-inspection" in run.stdout


# ------------------------------------------------------------------ tables by display width


def test_tables_align_chinese_and_latin_by_display_width():
    from inspect_kit.base.textwidth import width
    from inspect_kit.cli.tables import table_lines

    lines = table_lines([["eb-001", "东钱湖青少年科普教育基地", "96.5+5", "优秀"],
                         ["eb-1002", "Moon Lake base", "7", "Pass"]],
                        ["id", "名称", "得分", "等次"], align="<<><")  # fmt: skip
    # left-aligned columns start, the right-aligned score ends, at one display column
    starts = [_column_starts(line) for line in lines]
    assert len({(s[1], s[3]) for s in starts}) == 1, lines
    assert len({width(line[: line.index(grade)].rstrip()) for line, grade in
                zip(lines, ["等次", "优秀", "Pass"], strict=True)}) == 1, lines  # fmt: skip
    assert width(lines[1]) > len(lines[1])  # the Chinese row really is wider than its length
    assert lines[2].split("  ")[0] == "eb-1002"
    assert lines[1].index("96.5+5") < lines[1].index("优秀")


def _column_starts(line: str) -> list[int]:
    """Display columns where a cell starts (after a run of 2+ spaces)."""
    from inspect_kit.base.textwidth import width

    starts, col, spaces = [0], 0, 0
    for char in line:
        if char == " ":
            spaces += 1
        else:
            if spaces >= 2:
                starts.append(col)
            spaces = 0
        col += width(char)
    return starts


def test_results_list_lines_up_chinese_names(tmp_path):
    from inspect_kit.base.textwidth import width

    runner = CliRunner()
    base = ["--workspace", str(tmp_path)]
    assert runner.invoke(cli, [*base, "demo", "--subjects", "3", "--raters", "2",
                               "--rounds", "1"]).exit_code == 0  # fmt: skip
    out = runner.invoke(cli, [*base, "results", "list", "--form", "edu-base-inspection"]).output
    lines = out.splitlines()[:-1]
    grade_col = {width(line[: line.index(grade)]) for line in lines[1:]
                 for grade in ("优秀", "良好", "合格", "不合格") if grade in line}  # fmt: skip
    assert len(grade_col) == 1, lines
    assert lines[0].startswith("编号") and out.splitlines()[-1].startswith("共 ")
    en = runner.invoke(cli, [*base, "--lang", "en", "results", "list"]).output.splitlines()
    assert en[0].startswith("Sheet") and en[-1].endswith("sheet(s)")
    assert any(g in line for line in en for g in ("Excellent", "Good", "Pass", "Fail"))
    assert not any(g in line for line in en for g in ("优秀", "良好", "合格"))


def test_the_offline_kits_launcher_when_the_app_was_started_through_it(tmp_path, monkeypatch):
    launcher = tmp_path / "检查 工具" / "inspect-kit.sh"
    launcher.parent.mkdir()
    launcher.write_text("#!/bin/sh\n", encoding="utf-8")
    monkeypatch.setenv("INSPECT_KIT_LAUNCHER", str(launcher))
    assert invocation.kit_executable() == (str(launcher.resolve()),)
    assert invocation.command_line(["demo"]) == f"{shlex.quote(str(launcher.resolve()))} demo"


def test_a_launcher_that_no_longer_exists_is_not_printed(tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECT_KIT_LAUNCHER", str(tmp_path / "gone.bat"))
    assert str(tmp_path) not in " ".join(invocation.kit_executable())


def test_commands_inside_messages_are_made_runnable_and_prose_is_left(tmp_path, monkeypatch):
    launcher = tmp_path / "inspect-kit.sh"
    launcher.write_text("#!/bin/sh\n", encoding="utf-8")
    monkeypatch.setenv("INSPECT_KIT_LAUNCHER", str(launcher))
    prose = "inspect-kit 离线安装包 inspect-kit-offline-0.1.0.zip results/inspect-kit.json"
    text = "运行 `inspect-kit doctor --list`；inspect-kit sync init。" + prose
    out = invocation.runnable_text(text, {"doctor", "sync"})
    run = launcher.resolve()
    assert out == f"运行 `{run} doctor --list`；{run} sync init。" + prose


def test_a_hint_printed_by_the_installed_command_can_be_pasted(tmp_path):
    """The real entry point (not CliRunner): a message's `inspect-kit sync init` is printed with
    the words that run this installation when the bare name is not on PATH."""
    env = {**os.environ, "PATH": "/usr/bin:/bin", "INSPECT_KIT_CONFIG": str(tmp_path / "c.json"),
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}  # fmt: skip
    env.pop("INSPECT_KIT_LAUNCHER", None)
    done = subprocess.run([sys.executable, "-m", "inspect_kit", "--workspace", str(tmp_path),
                           "sync", "status"], env=env, capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    beside = Path(sys.executable).parent / "inspect-kit"
    words = str(beside) if beside.exists() else f"{sys.executable} -m inspect_kit"
    assert f"{words} sync init" in done.stdout + done.stderr, done.stdout + done.stderr
