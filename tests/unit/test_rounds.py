"""The one round rule (base/rounds.py, README "Rounds"): a year or a year and its half, read
leniently, stored in one spelling, refused everywhere a round enters; a filter naming a round
without data exits 1 with the rounds that have data (issue 11 item 7)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from inspect_kit.base.config import load_settings, update_setting
from inspect_kit.base.rounds import RoundError, check_round_filter, normalize_round, parse_round
from inspect_kit.cli import cli
from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
from inspect_kit.store.store import Store, Subject

FORM = "edu-base-inspection"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("2026", "2026"),
        (2026, "2026"),
        (" 2026 ", "2026"),
        ("２０２６", "2026"),
        ("2026年", "2026"),
        ("2026-1", "2026-1"),
        ("2026-02", "2026-2"),
        ("2026 - 2", "2026-2"),
        ("2026－1", "2026-1"),
        ("2026上半年", "2026-1"),
        ("2026年下半年", "2026-2"),
    ],
)
def test_rounds_that_follow_the_rule_are_stored_in_one_spelling(raw, stored):
    assert normalize_round(raw) == stored
    assert parse_round(raw) == stored


@pytest.mark.parametrize(
    "raw", ["李明华", "2026/27", "abc", "26", "20261", "2026-3", "2026-0", "1899", "2100", "", None]
)
def test_anything_else_is_refused_in_plain_words(raw):
    assert normalize_round(raw) is None
    with pytest.raises(RoundError) as info:
        parse_round(raw)
    assert info.value.code == "round.bad_format"
    assert "2026-1" in str(info.value) and "2026-1" in info.value.render("en")


def test_a_filter_names_a_round_with_data_or_is_told_which_have():
    assert check_round_filter("2026", ["2025", "2026"]) == "2026"
    assert check_round_filter("2026上半年", ["2026-1"]) == "2026-1"
    assert check_round_filter("第一轮", ["第一轮"]) == "第一轮"  # a round stored before the rule
    with pytest.raises(RoundError) as info:
        check_round_filter("2031", ["2025", "2026"])
    assert info.value.code == "round.no_data" and "2025、2026" in str(info.value)
    assert "rounds with data: 2025, 2026" in info.value.render("en")
    with pytest.raises(RoundError) as info:
        check_round_filter("abc", [])
    assert info.value.code == "round.bad_filter"


def test_the_default_round_setting_follows_the_rule():
    assert update_setting("round", "2026上半年").round == "2026-1"
    with pytest.raises(RoundError):
        update_setting("round", "李明华")
    assert load_settings().round == "2026-1"


# ------------------------------------------------------------------ the commands


@pytest.fixture
def demo_ws(workspace):
    store = Store(workspace)
    roster, finals, _ = build_demo(
        [f for f in demo_forms() if f.form.form == FORM],
        DemoPlan(subjects=2, raters=2, rounds=2, seed=3, drafts=0, self_assessments=0),
        last_round=2026,
    )
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    return workspace


def run(workspace, *args):
    return CliRunner().invoke(cli, ["--workspace", str(workspace.root), *args])


@pytest.mark.parametrize(
    "command",
    [
        ["panel", FORM],
        ["chart", FORM, "--kind", "hist"],
        ["report", FORM],
        ["results", "list"],
        ["results", "list", "--form", FORM],
        ["results", "export", "--format", "csv", "--out", "x.csv"],
    ],
)
@pytest.mark.parametrize(("round_", "code"), [("2031", "没有数据"), ("abc", "不符合格式")])
def test_filters_naming_a_round_without_data_exit_1_with_the_rounds_that_have(
    demo_ws, command, round_, code
):
    result = run(demo_ws, *command, "--round", round_)
    assert result.exit_code == 1, result.output
    assert code in result.output and "有数据的轮次：2025、2026" in result.output
    assert "Traceback" not in result.output
    assert not (demo_ws.root / "x.csv").exists()


def test_the_english_message_comes_from_the_catalog(demo_ws):
    result = run(demo_ws, "--lang", "en", "panel", FORM, "--round", "2031")
    assert result.exit_code == 1
    assert "Round 2031 has no data; rounds with data: 2025, 2026" in result.output


def test_a_filter_in_another_spelling_finds_the_round(demo_ws):
    result = run(demo_ws, "results", "list", "--round", "２０２５")
    assert result.exit_code == 0 and "共 4 张" in result.output


def test_fill_refuses_a_round_off_the_rule_and_stores_nothing(workspace):
    store = Store(workspace)
    store.add_subjects([Subject("eb-001", "红星教育基地", "education-base")])
    answers = workspace.root / "a.yaml"
    answers.write_text("rater: 王建国\nfinalize: false\n", encoding="utf-8")
    result = run(workspace, "fill", FORM, "--subject", "eb-001", "--round", "2026/27",
                 "--answers", str(answers))  # fmt: skip
    assert result.exit_code == 1 and "“2026/27”不符合格式" in result.output
    answers.write_text("rater: 王建国\nround: 李明华\nfinalize: false\n", encoding="utf-8")
    result = run(workspace, "fill", FORM, "--subject", "eb-001", "--answers", str(answers))
    assert result.exit_code == 1
    assert "a.yaml:2: round: 轮次“李明华”不符合格式" in result.output
    assert Store(workspace).drafts() == []
    answers.write_text("rater: 王建国\nround: 2026上半年\nfinalize: false\n", encoding="utf-8")
    result = run(workspace, "fill", FORM, "--subject", "eb-001", "--answers", str(answers))
    assert result.exit_code == 0, result.output
    assert [d["round"] for d in Store(workspace).drafts()] == ["2026-1"]


def test_csv_sheet_import_refuses_a_bad_round_on_its_line(demo_ws, tmp_path):
    out = tmp_path / "ids.csv"
    assert run(demo_ws, "results", "export", "--format", "csv", "--labels", "ids",
               "--out", str(out)).exit_code == 0  # fmt: skip
    other = tmp_path / "other"
    (other / "results").mkdir(parents=True)
    Store(type(demo_ws)(other)).add_subjects(Store(demo_ws).subjects())
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("round")] = "2026/27"
    cells[header.index("uuid")] = ""
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([lines[0], ",".join(cells)]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--workspace", str(other), "results", "import-sheets",
                                      str(bad), "--form", FORM])  # fmt: skip
    assert result.exit_code == 1
    assert "bad.csv:2" in result.output and "“2026/27”不符合格式" in result.output
    assert Store(type(demo_ws)(other)).submissions() == []
