"""Terminal escape sequences in names, rater names and notes never reach the terminal: every
listing prints them neutralised (issue 16: OSC title, clear screen, CR, backspace)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from rel_helpers import assert_clean_failure, run_cli

from inspect_kit.base.safe_text import safe_json, safe_text
from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
from inspect_kit.store.store import Store

pytestmark = pytest.mark.reliability

EVIL_NAME = "月湖\x1b]0;pwned\x07基地\x1b[2J\x1b[H"
EVIL_RATER = "张三\rEVIL\x08\x08\x9b31m"
EVIL_NOTE = "标牌\x1b]8;;https://evil.example\x1b\\点我\x1b]8;;\x1b\\缺失\u202e"
CONTROL = ["\x1b", "\r", "\x08", "\x07", "\x9b", "\u202e"]


def assert_no_control(text: str) -> None:
    found = [c for c in CONTROL if c in text]
    assert not found, (found, text)


@pytest.fixture
def evil_workspace(workspace):
    roster, finals, _ = build_demo(demo_forms(), DemoPlan(subjects=2, raters=2, rounds=1,
                                                          seed=5, drafts=0))  # fmt: skip
    target = next(s for s in roster if s.kind == "education-base")
    store = Store(workspace)
    store.add_subjects([replace(s, name=EVIL_NAME) if s is target else s for s in roster])
    kept = []
    for sheet, loaded in finals:
        if sheet.subject == target.id:
            sheet.subject_name, sheet.rater = EVIL_NAME, EVIL_RATER
            sheet.set_note("sign-posted", EVIL_NOTE)
        kept.append((sheet, loaded))
    store.bulk_finalize(kept)
    return workspace, next(s.uuid for s, _ in kept if s.subject == target.id)


def test_safe_text_neutralises_every_sequence():
    assert safe_text(EVIL_NAME) == "月湖\ufffd基地\ufffd\ufffd"
    assert safe_text(EVIL_RATER) == "张三\ufffdEVIL\ufffd\ufffd\ufffd"
    assert safe_text("第一行\n第二行") == "第一行 第二行"
    assert safe_text("第一行\n第二行", multiline=True) == "第一行\n第二行"
    assert safe_text("紫荆[/red]学校") == "紫荆[/red]学校"  # markup is the TUI's business
    text = safe_json(json.dumps({"n": EVIL_RATER}, ensure_ascii=False))
    assert_no_control(text)
    assert json.loads(text) == {"n": EVIL_RATER}  # the same data once parsed


@pytest.mark.parametrize("args", [
    ("subjects", "list"),
    ("subjects", "list", "--json"),
    ("results", "list"),
    ("results", "list", "--json"),
    ("panel", "edu-base-inspection"),
    ("panel", "edu-base-inspection", "--json"),
    ("results", "conflicts"),
    ("doctor",),
])  # fmt: skip
def test_listings_print_names_without_control_characters(evil_workspace, args):
    workspace, _ = evil_workspace
    result = run_cli(workspace, *args)
    assert result.exit_code == 0, result.output
    assert_no_control(result.output)
    if args[0] in ("subjects", "results") and args[1] == "list" and "--json" not in args:
        assert "月湖\ufffd基地" in result.output


def test_show_prints_names_and_notes_neutralised(evil_workspace):
    workspace, sheet_uuid = evil_workspace
    for args in (("results", "show", sheet_uuid), ("results", "show", sheet_uuid, "--json")):
        result = run_cli(workspace, *args)
        assert result.exit_code == 0, result.output
        assert_no_control(result.output)
    text = run_cli(workspace, "results", "show", sheet_uuid).output
    assert "月湖\ufffd基地" in text and "张三\ufffdEVIL" in text
    shown = json.loads(run_cli(workspace, "results", "show", sheet_uuid, "--json").output)
    assert shown["rater"] == EVIL_RATER  # --json keeps the data exact, only escaped
    assert shown["answers"]["sign-posted"]["note"] == EVIL_NOTE


def test_subjects_add_and_errors_echo_names_neutralised(evil_workspace):
    workspace, _ = evil_workspace
    result = run_cli(workspace, "subjects", "add", "--id", "x-1", "--name", EVIL_NAME,
                     "--kind", "education-base")  # fmt: skip
    assert result.exit_code == 0 and "已添加 x-1 月湖\ufffd基地" in result.output
    assert_no_control(result.output)
    failed = run_cli(workspace, "subjects", "add", "--id", "坏\x1b]0;t\x07", "--name", "n",
                     "--kind", "education-base")  # fmt: skip
    assert_no_control(assert_clean_failure(failed))
