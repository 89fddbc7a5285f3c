"""`inspect-kit fill` and `results import-sheets` through the CLI: no-TTY refusal, the plain
flow end to end (rater asked once, Ctrl-C exit 130, resume), the acceptance check that plain and
answer-file sheets score the same, and typed-up CSV sheets (good, bad, the export read back)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CTRL_C, DOWN, ENTER, FINALIZE, SPACE, none_of, pick
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from inspect_kit.base.config import load_settings, update_setting
from inspect_kit.cli import cli
from inspect_kit.store.store import Store, Subject

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit"))
from test_answer_files import GOOD

# The same answers as GOOD, keyed into the plain prompts (edu-base-inspection, in form order).
# Every list opens on "leave as it is", so option n is n DOWNs away (pick); an empty checklist
# is "none of these" ticked (none_of). The drill date is typed the Chinese way.
# fmt: off
EDU_KEYS = "".join([
    pick(1),                                      # sign-posted 规范
    DOWN, SPACE, ENTER, "未公示开放时间", ENTER,     # info-posted: tick 开放时间, its note
    pick(1),                                      # site-fixed 固定场所
    "1", ENTER, "一处灭火器过期", ENTER,              # site-safety 1 hazard, note
    "5", ENTER, pick(1), "0", ENTER, "2", ENTER,  # facility-theme, -updated 有, -repair, -youth
    pick(3),                                      # facility-access 不适用
    pick(1), "3", ENTER, pick(1), pick(1),        # team-leader 有, guides 3, wulao 有, training 有
    none_of(4),                                   # rules-posted: none of the four
    pick(1), "2026年3月1日", ENTER, pick(1),        # rules-emergency, drill date, rules-archive
    pick(1),                                      # rules-funds 经费稳定且专款专用
    pick(1), pick(1),                             # act-plan; act-log: 继续添加行, then 12 rows
    *[f"2026-{m:02d}-10{ENTER}主题教育{m}{ENTER}{20 + m}{ENTER}" for m in range(1, 13)],
    ENTER, ENTER,                                 # an empty first cell ends; 保持不变
    SPACE, DOWN, SPACE, DOWN, DOWN, DOWN, SPACE, ENTER,  # act-themes 爱国主义 法治 科普
    none_of(2), "310", ENTER,                     # act-partner none, act-open-days 310
    "6000", ENTER, "95", ENTER,                   # visitors, satisfaction
    none_of(4), pick(1),                          # out-archive none, out-report 已报送
    "1", ENTER, pick(2), pick(2),                 # bonus-award 1, brand 否, media 否
    ENTER,                                        # site-photos: none
    pick(2),                                      # rectify-needed 否
    "总体良好", ENTER, "王建国", ENTER,             # opinion; the signature is typed
    pick(1) * 5,                                  # five vetoes: 否
    FINALIZE,                                     # review: 提交, 确定提交
])
# fmt: on


@pytest.fixture
def ws(workspace):
    Store(workspace).add_subjects(
        [
            Subject("eb-001", "红星教育基地", "education-base"),
            Subject("eb-002", "青山教育基地", "education-base"),
        ]
    )
    return workspace


def invoke(workspace, *args):
    return CliRunner().invoke(cli, ["--workspace", str(workspace.root), *args])


@pytest.fixture
def plain(ws, monkeypatch):
    """Run `fill ... --plain` with keys from a pipe (the terminal check is what CliRunner lacks)."""
    monkeypatch.setattr("inspect_kit.cli.fill_cmd.require_terminal", lambda *a: None)

    def run(keys: str, *args: str):
        with create_pipe_input() as inp:
            inp.send_text(keys)
            inp.close()
            with create_app_session(input=inp, output=DummyOutput()):
                return invoke(ws, "fill", "edu-base-inspection", "--plain", *args)

    return run


def test_plain_without_a_terminal_exits_1_pointing_to_answers(ws):
    result = invoke(ws, "fill", "edu-base-inspection", "--subject", "eb-001", "--plain")
    assert result.exit_code == 1
    assert "需要在终端中运行" in result.output and "--answers" in result.output
    assert "Traceback" not in result.output


def test_plain_with_dev_null_stops_before_questionary_is_imported(ws):
    code = (
        "import sys\n"
        "from inspect_kit.cli import cli\n"
        f"try: cli(['--workspace', {str(ws.root)!r}, 'fill', 'edu-base-inspection', '--subject',"
        " 'eb-001', '--plain'])\n"
        "except SystemExit as e: print('exit', e.code, 'questionary' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout.strip() == "exit 1 False"
    assert "--answers" in proc.stderr and "Traceback" not in proc.stderr


def test_plain_or_answers_must_be_chosen(ws, tmp_path):
    assert invoke(ws, "fill", "edu-base-inspection", "--subject", "eb-001").exit_code == 2
    both = invoke(
        ws,
        "fill",
        "edu-base-inspection",
        "--subject",
        "eb-001",
        "--plain",
        "--answers",
        str(tmp_path / "a.yaml"),
    )
    assert both.exit_code == 2


def test_first_fill_asks_the_rater_once_and_ctrl_c_exits_130_with_the_resume_command(ws, plain):
    assert load_settings().rater == ""
    result = plain("王建国" + ENTER + pick(1) + CTRL_C, "--subject", "eb-001", "--round", "2026")
    assert result.exit_code == 130, result.output
    assert load_settings().rater == "王建国"
    (draft,) = Store(ws).drafts("edu-base-inspection")
    assert draft["rater"] == "王建国" and draft["answers"]["sign-posted"]["value"] == "规范"
    assert (
        "fill edu-base-inspection --subject eb-001 --rater 王建国 --round 2026 --plain"
        in result.output
    )

    # Second run: no rater question; the draft is offered and resumed (same uuid).
    result = plain(ENTER + EDU_KEYS, "--subject", "eb-001", "--round", "2026")
    assert result.exit_code == 0, result.output
    (doc,) = Store(ws).submissions()
    assert doc["uuid"] == draft["uuid"]
    assert Store(ws).drafts() == []


def test_plain_and_answer_file_sheets_store_equal_scores(ws, plain, tmp_path):
    update_setting("rater", "王建国")
    result = plain(EDU_KEYS, "--subject", "eb-001", "--round", "2026")
    assert result.exit_code == 0, result.output
    assert "一、有标牌：4 / 5" in result.output
    answers = tmp_path / "answers.yaml"
    answers.write_text(GOOD, encoding="utf-8")
    result = invoke(
        ws, "fill", "edu-base-inspection", "--subject", "eb-002", "--answers", str(answers)
    )
    assert result.exit_code == 0, result.output
    by_subject = {d["subject"]: d for d in Store(ws).submissions()}
    typed, filed = by_subject["eb-001"], by_subject["eb-002"]
    assert typed["score"] == filed["score"]
    assert typed["score"]["final"] == 99 and typed["score"]["grade"] == "优秀"
    strip = lambda answers: {k: {**v, "signed_at": None} for k, v in answers.items()}  # noqa: E731
    assert strip(typed["answers"]) == strip(filed["answers"])
    assert typed["vetoes"] == filed["vetoes"]


# ---------------------------------------------------------------- import-sheets


@pytest.fixture
def mini_ws(ws, mini_form):
    Store(ws).add_subjects([Subject("eb-003", "绿水教育基地", "education-base")])
    return ws


MINI_HEADER = (
    "subject,rater,round,a-yes,a-choice,a-choice.note,a-deduct,a-deduct.note,"
    "b-score,b-defects,b-need,veto:v-safety"
)


def test_import_sheets_stores_every_row(mini_ws, tmp_path):
    path = tmp_path / "paper.csv"
    path.write_text(
        "\n".join(
            [
                MINI_HEADER,
                "eb-001,王建国,2026,有,好,,0,,2,,否,否",
                "eb-002,王建国,2026,无,差,场所临时借用,1,一处隐患,1.5,甲制度、乙制度,否,是",
                ",,,,,,,,,,,",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = invoke(mini_ws, "results", "import-sheets", str(path), "--form", "mini")
    assert result.exit_code == 1  # a-yes 无 and 1.5 and the defects lose points without notes
    assert "paper.csv:3: a-yes: 扣了 2 分，需要写扣分理由（note）" in result.output
    assert "paper.csv:3: b-score: 扣了 0.5 分" in result.output
    assert Store(mini_ws).submissions() == []
    path.write_text(
        "\n".join(
            [
                MINI_HEADER + ",a-yes.note,b-score.note,b-defects.note",
                "eb-001,王建国,2026,有,好,,0,,2,,否,否,,,",
                "eb-002,李秀英,2026,无,差,场所临时借用,1,一处隐患,1.5,甲制度、乙制度,否,是,无牌,不足,缺制度",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = invoke(mini_ws, "results", "import-sheets", str(path), "--form", "mini")
    assert result.exit_code == 1  # an empty cell is "not answered", not "no defects"
    assert "paper.csv:2: b-defects: 必答项未回答" in result.output
    path.write_text(
        path.read_text(encoding="utf-8").replace("2,,否,否", "2,无,否,否"), encoding="utf-8"
    )
    result = invoke(mini_ws, "results", "import-sheets", str(path), "--form", "mini")
    assert result.exit_code == 0, result.output
    docs = {d["subject"]: d for d in Store(mini_ws).submissions()}
    assert docs["eb-001"]["score"]["total"] == 10
    assert docs["eb-001"]["answers"]["b-defects"]["value"] == []
    assert docs["eb-002"]["answers"]["b-defects"]["value"] == ["甲制度", "乙制度"]
    assert docs["eb-002"]["vetoes"]["v-safety"]["fired"] is True
    assert docs["eb-002"]["score"]["grade"] == "不合格"


def test_import_sheets_bad_rows_are_listed_by_row_and_column_and_nothing_is_stored(
    mini_ws, tmp_path
):
    path = tmp_path / "paper.csv"
    path.write_text(
        "\n".join(
            [
                MINI_HEADER + ",a-chioce.note",
                "eb-001,王建国,2026,有,好,,0,,2,,否,否,",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = invoke(mini_ws, "results", "import-sheets", str(path), "--form", "mini")
    assert result.exit_code == 1
    assert (
        "paper.csv:1: a-chioce.note: 表单 mini 没有题目 a-chioce（是不是 a-choice？）"
        in result.output
    )
    path.write_text(
        "\n".join(
            [
                MINI_HEADER,
                "eb-001,王建国,2026,有,好,,0,,2,无,否,否",
                "eb-404,王建国,2026,有,好,,0,,2,无,否,否",
                "eb-002,,2026,有,很好,,x,,9,丙制度,否,也许",
                "eb-003,王建国,2026,有,好,,0,,2,0,,否",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = invoke(mini_ws, "results", "import-sheets", str(path), "--form", "mini")
    out = result.output
    assert result.exit_code == 1
    assert "paper.csv:3: subject: 名册中没有对象 eb-404" in out
    assert "paper.csv:4: rater: 没有填评分人" in out
    assert "paper.csv:4: veto:v-safety: “也许”应为 是（一票否决）或 否" in out
    assert "paper.csv:4: a-choice: “很好”不是可选项" in out
    assert "paper.csv:4: a-deduct: “x”不是数字" in out
    assert "paper.csv:4: b-score: 得分应在 0 到 2 之间" in out
    assert "paper.csv:4: b-defects: “丙制度”不在扣分清单中" in out
    assert "paper.csv:5: b-need: 必答项未回答" in out
    assert "paper.csv:2:" not in out
    assert "没有导入任何评分表" in out
    assert Store(mini_ws).submissions() == []


def test_import_sheets_reads_back_the_csv_export(mini_ws, tmp_path, mini_form):
    from inspect_kit.exports.csv_export import write_csv

    src = tmp_path / "a.csv"
    src.write_text(
        "\n".join(
            [
                MINI_HEADER + ",a-yes.note,b-score.note,b-defects.note,b-what",
                "eb-001,王建国,2026,有,好,,0,,2,0,否,否,,,,",
                "eb-002,李秀英,2026,无,差,场所临时借用,1,'=一处隐患,1.5,甲制度,是,是,无牌,不足,缺制度,'@补台账",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = invoke(mini_ws, "results", "import-sheets", str(src), "--form", "mini")
    assert result.exit_code == 0, result.output
    stored = Store(mini_ws).submissions()
    assert {d["answers"]["a-deduct"]["note"] for d in stored} == {"", "=一处隐患"}
    assert {d["answers"].get("b-what", {}).get("value") for d in stored} == {None, "@补台账"}

    exported = tmp_path / "export.csv"
    write_csv(exported, stored, {mini_form.sha256: mini_form.form}, labels="ids")
    other = tmp_path / "other"
    (other / "forms").mkdir(parents=True)
    (other / "forms" / "mini.yaml").write_text(mini_form.source, encoding="utf-8")
    from inspect_kit.base.paths import Workspace

    Store(Workspace(other)).add_subjects(Store(mini_ws).subjects())
    result = CliRunner().invoke(
        cli,
        ["--workspace", str(other), "results", "import-sheets", str(exported), "--form", "mini"],
    )
    assert result.exit_code == 0, result.output
    assert "忽略的列" not in result.output
    back = {d["uuid"]: d for d in Store(Workspace(other)).submissions()}
    for doc in stored:
        assert back[doc["uuid"]]["score"] == doc["score"]
        assert {k: v["value"] for k, v in back[doc["uuid"]]["answers"].items()} == {
            k: v["value"] for k, v in doc["answers"].items()
        }
        assert back[doc["uuid"]]["vetoes"] == doc["vetoes"]
    again = CliRunner().invoke(
        cli,
        ["--workspace", str(other), "results", "import-sheets", str(exported), "--form", "mini"],
    )
    assert again.exit_code == 1 and "已在数据库中" in again.output
