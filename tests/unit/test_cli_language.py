"""`--help`, usage lines and usage errors in the interface language: every command and option
has help in Chinese and in English, and the Chinese UI shows none of click's English defaults."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from inspect_kit.cli import cli
from inspect_kit.cli.click_i18n import KitHelpFormatter

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3,}")
CLICK_ENGLISH = ("Usage:", "Options:", "Commands:", "Show this message", "Show the version",
                 "[required]", "[default:", " TEXT", " INTEGER", " FILE", " DIRECTORY",
                 "[OPTIONS]", "COMMAND [ARGS]", "Error:", "Try '", "Missing", "No such",
                 "Invalid value", "is not one of")  # fmt: skip


def command_paths(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    ctx = click.Context(group)
    found = [path]
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            found += command_paths(command, (*path, name))
        else:
            found.append((*path, name))
    return found


PATHS = command_paths(cli)


def run(*args: str, lang: str | None = "zh"):
    prefix = ["--lang", lang] if lang else []
    return CliRunner().invoke(cli, [*prefix, *args], prog_name="inspect-kit")


def resolve(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), name)
        assert found is not None
        command = found
    return command


def test_the_walk_finds_every_command():
    assert len(PATHS) > 25 and ("results", "void") in PATHS and ("forms", "validate") in PATHS


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "inspect-kit")
def test_every_help_is_chinese_in_zh_and_english_in_en(path):
    zh = run(*path, "--help")
    assert zh.exit_code == 0, zh.output
    assert not [phrase for phrase in CLICK_ENGLISH if phrase in zh.output], zh.output
    assert zh.output.startswith("用法：inspect-kit") and "选项：" in zh.output
    command = resolve(path)  # as the zh run left it
    assert CJK.search(command.help or ""), (path, command.help)
    for param in command.params:
        if isinstance(param, click.Option):
            assert CJK.search(param.help or ""), (path, param.opts, param.help)

    en = run(*path, "--help", lang="en")
    assert en.exit_code == 0, en.output
    assert en.output.startswith("Usage: inspect-kit") and "Options:" in en.output
    assert "用法" not in en.output and "选项：" not in en.output
    command = resolve(path)
    first_line = (command.help or "").split("\n", 1)[0]
    assert LATIN.search(first_line) and not CJK.search(first_line), (path, first_line)
    for param in command.params:
        if isinstance(param, click.Option):
            # (Chinese may appear as data: a default file name, an example answer)
            assert LATIN.search(CJK.sub("", param.help or "")), (path, param.opts, param.help)


def test_the_settings_language_decides_without_lang(monkeypatch, tmp_path):
    assert run("results", "--help", lang=None).output.startswith("用法：")
    run("config", "lang", "en", lang=None)
    assert run("results", "--help", lang=None).output.startswith("Usage:")
    assert run("results", "--help", lang="zh").output.startswith("用法：")  # --lang wins


def test_a_missing_option_is_reported_in_chinese():
    result = run("results", "void", "abc")
    assert result.exit_code == 2
    assert "用法：inspect-kit results void [选项] 评分表编号" in result.output
    assert "运行 'inspect-kit results void --help' 查看帮助。" in result.output
    assert "错误：缺少选项 '--reason'。" in result.output
    assert not LATIN.sub("", result.output.replace("inspect-kit", "")).count("Error")


@pytest.mark.parametrize(("args", "zh"), [
    (("--lang", "fr", "results", "list"),
     "错误：'--lang' 的取值无效：'fr' 不在可选值 'zh', 'en' 之中。"),
    (("resuts",), "错误：没有命令 'resuts'。"),
    (("results", "list", "--frm", "x"), "错误：没有选项 '--frm'。 你是不是想用 '--form'？"),
    (("serve", "--port", "0"), "错误：'--port' 的取值无效：0 不在范围 1<=x<=65535 之内。"),
    (("results", "list", "--status"), "错误：选项 '--status' 需要一个值。"),
    (("results", "show"), "错误：缺少参数 '评分表编号'。"),
])  # fmt: skip
def test_usage_errors_in_chinese(args, zh):
    result = CliRunner().invoke(cli, list(args), prog_name="inspect-kit")
    assert result.exit_code == 2
    assert zh in result.output, result.output
    assert "Error" not in result.output and "Usage" not in result.output


def test_usage_errors_in_english():
    result = run("results", "void", "abc", lang="en")
    assert result.exit_code == 2
    assert "Usage: inspect-kit results void [OPTIONS] SHEET_UUID" in result.output
    assert "Error: Missing option '--reason'." in result.output
    assert not CJK.search(result.output)


def test_help_wraps_chinese_by_display_width():
    formatter = KitHelpFormatter(width=40)
    formatter.write_dl(
        [("--out 文件", "输出文件夹（默认 <工作区>/results/charts/），不存在时自动创建。")]
    )
    lines = formatter.getvalue().splitlines()
    assert len(lines) > 1
    from inspect_kit.base.textwidth import width

    assert all(width(line) <= 42 for line in lines), lines  # one closing mark may overhang
    assert not any(line.strip()[:1] in "，。）" for line in lines)


def test_no_terminal_is_explained_in_the_interface_language(tmp_path):
    base = ["--workspace", str(tmp_path)]
    zh = CliRunner().invoke(cli, [*base, "tui"], prog_name="inspect-kit")
    assert zh.exit_code == 1 and "全屏界面需要在终端中运行" in zh.output
    en = CliRunner().invoke(cli, [*base, "--lang", "en", "tui"], prog_name="inspect-kit")
    assert en.exit_code == 1 and "The full-screen app needs a terminal" in en.output
    assert not CJK.search(en.output), en.output


def test_panel_table_in_english(tmp_path):
    """`--lang en panel`: the kit's words, the form's English grades and title; names as typed."""
    from inspect_kit.base.paths import Workspace
    from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
    from inspect_kit.store.store import Store

    ws = tmp_path / "ws"
    (ws / "forms").mkdir(parents=True)
    store = Store(Workspace(ws))
    roster, finals, _ = build_demo(demo_forms(), DemoPlan(subjects=3, raters=3, rounds=1,
                                                          drafts=0))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    result = run("--workspace", str(ws), "panel", "edu-base-inspection", lang="en")
    assert result.exit_code == 0, result.output
    title, counts, rule, tally = result.output.split("\n")[:4]
    assert not CJK.search(title) and counts.split(" (")[0].endswith("raters"), (title, counts)
    assert rule.startswith("Rule: ") and not CJK.search(rule) and tally.startswith("Grades: ")
    assert "Rank" in result.output and "Panel score" in result.output
    assert "Rater leniency" in result.output and "评委宽严度" not in result.output
    words = set(re.findall(r"[\u4e00-\u9fff]+", result.output))  # names stay as typed
    assert not {"优秀", "良好", "合格", "不合格", "等次"} & words, words
