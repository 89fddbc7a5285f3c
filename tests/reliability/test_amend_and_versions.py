"""Amend and void keep a trace (who, when, why); sheets keep the form version they were scored
under when the form file changes afterwards, and doctor recomputes them equal."""

from __future__ import annotations

import random

import pytest
from rel_helpers import assert_clean_failure, run_cli

from inspect_kit.demo.generator import fill_sheet
from inspect_kit.domain.answers import AnswerSet
from inspect_kit.domain.scoring import score
from inspect_kit.domain.sheet import Sheet
from inspect_kit.formfiles.catalog import FormCatalog
from inspect_kit.store.store import Store

pytestmark = pytest.mark.reliability

FORM = "edu-base-inspection"


def finalize_new(store: Store, loaded, subject: str, seed: int) -> dict:
    sheet = Sheet(
        form=loaded.form,
        form_sha256=loaded.sha256,
        subject=subject,
        subject_name=f"基地{subject}",
        rater="李评委",
        round="2026",
    )
    fill_sheet(sheet, 0.7, random.Random(seed), veto_rate=0)
    store.start_sheet(loaded, sheet)
    return store.finalize(sheet, loaded)


@pytest.fixture
def sheet_ws(workspace):
    store = Store(workspace)
    loaded = FormCatalog(workspace).get(FORM)
    doc = finalize_new(store, loaded, "eb-1", 1)
    assert run_cli(workspace, "config", "rater", "王秘书").exit_code == 0
    return workspace, store, doc


# ------------------------------------------------------------------ amend and void


def test_amend_opens_a_new_revision_and_keeps_the_old_one(sheet_ws):
    ws, store, doc = sheet_ws
    result = run_cli(ws, "results", "amend", doc["uuid"][:8], "--reason", "漏记一处扣分")
    assert result.exit_code == 0, result.output
    assert "在草稿列表中打开" in result.output  # no terminal: where the amendment continues
    assert "--answers" not in result.output  # that would start a second sheet
    assert f"--workspace {ws.root}" in result.output  # the command to open, pasteable

    draft = store.draft(doc["uuid"])
    assert (draft["revision"], draft["supersedes"], draft["amend_reason"]) == (2, 1, "漏记一处扣分")
    assert draft["status"] == "draft" and draft["form_sha256"] == doc["form_sha256"]
    assert draft["answers"] == doc["answers"] and draft["vetoes"] == doc["vetoes"]
    assert store.submission(doc["uuid"]) == doc  # the archive still holds revision 1 only

    sheet = store.load_sheet(draft)
    sheet.set_value("info-posted", 2)
    sheet.set_note("info-posted", "联系人未公示，开放时间未公示")
    store.finalize(sheet)
    revisions, events = store.history(doc["uuid"])
    assert [r["revision"] for r in revisions] == [1, 2]
    assert revisions[0] == doc  # never edited
    assert revisions[1]["answers"]["info-posted"]["value"] == 2

    result = run_cli(ws, "results", "void", doc["uuid"], "--reason", "重复录入")
    assert result.exit_code == 0, result.output
    shown = run_cli(ws, "results", "show", doc["uuid"]).output
    assert "已作废" in shown and "第 3 版" in shown
    lines = shown.splitlines()
    opened = next(line for line in lines if "开始修订" in line)
    assert "王秘书" in opened and "理由：漏记一处扣分" in opened and "第 2 版" in opened
    amended = next(line for line in lines if "  修订" in line)
    assert "理由：漏记一处扣分" in amended and "李评委" in amended
    voided = next(line for line in lines if "作废" in line and "理由" in line)
    assert "王秘书" in voided and "理由：重复录入" in voided
    assert all(line.strip()[:4] == "2026" or "T" in line for line in (opened, amended, voided))


def test_amend_needs_a_reason_and_creates_nothing_without_one(sheet_ws):
    ws, store, doc = sheet_ws
    for args in (
        ["results", "amend", doc["uuid"]],
        ["results", "amend", doc["uuid"], "--reason", "  "],
    ):
        text = assert_clean_failure(run_cli(ws, *args))
        assert "理由" in text
    assert store.drafts() == []


def test_amend_is_refused_twice_for_an_open_draft_and_for_a_void_sheet(sheet_ws):
    ws, store, doc = sheet_ws
    assert run_cli(ws, "results", "amend", doc["uuid"], "--reason", "一").exit_code == 0
    assert "未提交的修订草稿" in assert_clean_failure(
        run_cli(ws, "results", "amend", doc["uuid"], "--reason", "二")
    )
    store.delete_draft(doc["uuid"])
    store.void(doc["uuid"], "作废", "王秘书")
    assert "已作废" in assert_clean_failure(
        run_cli(ws, "results", "amend", doc["uuid"], "--reason", "三")
    )
    assert "没有编号" in assert_clean_failure(
        run_cli(ws, "results", "amend", "ffffffff-0000", "--reason", "四")
    )


# ------------------------------------------------------------------ form versions


def edit_form_to_v2(ws) -> None:
    """Lower every grade's threshold (the same answers now grade higher) and bump the version."""
    path = ws.forms_dir / f"{FORM}.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in [
        ("min: 90, section_min: 0.6}", "min: 10}"),
        ("min: 80, section_min: 0.6}", "min: 5}"),
        ("min: 60}", "min: 1}"),
        ("联系人公示", "联系人及电话公示"),
        ("\nversion: 2\n", "\nversion: 3\n"),  # the shipped form is v2
    ]:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def test_sheets_keep_their_scores_when_the_form_file_changes(workspace, builtin_forms):
    ws = workspace
    (ws.forms_dir / f"{FORM}.yaml").write_text(builtin_forms[FORM].source, encoding="utf-8")
    store = Store(ws)
    v1 = FormCatalog(ws).get(FORM)
    old = [finalize_new(store, v1, f"eb-{i}", i) for i in range(4)]
    assert not any(d["score"]["grade"] == "优秀" for d in old)

    edit_form_to_v2(ws)
    v2 = FormCatalog(ws).get(FORM)
    assert (v2.form.version, v2.sha256 != v1.sha256) == (3, True)
    result = run_cli(ws, "forms", "validate")
    assert result.exit_code == 0 and "version 没有增加" not in result.output
    # The new rules would grade the old answers differently: scoring under v2 would show.
    regraded = [score(v2.form, AnswerSet.from_record(d)).grade for d in old]
    assert regraded != [d["score"]["grade"] for d in old]

    for doc in old:
        stored = store.submission(doc["uuid"])
        assert stored["score"] == doc["score"] and stored["form_version"] == 2
        shown = run_cli(ws, "results", "show", doc["uuid"]).output
        assert f"[{FORM} v2]" in shown and f"等次：{doc['score']['grade']}" in shown
    new = finalize_new(store, v2, "eb-9", 9)
    assert new["form_version"] == 3 and new["score"]["grade"] == "优秀"
    assert sorted(v["version"] for v in store.form_versions(FORM)) == [2, 3]

    result = run_cli(ws, "doctor")
    assert result.exit_code == 0, result.output
    assert "5 个版本的分数重算一致" in result.output

    # An amendment of an old sheet stays under the version it was scored with.
    sheet = store.amend(old[0]["uuid"], "补记", "王秘书")
    assert sheet.form_sha256 == v1.sha256 and sheet.form.version == 2
    assert store.finalize(sheet)["form_version"] == 2

    path = ws.forms_dir / f"{FORM}.yaml"  # content changed again, version still 3
    path.write_text(path.read_text(encoding="utf-8").replace("及电话", "、电话"), encoding="utf-8")
    result = run_cli(ws, "forms", "validate")
    assert "version 没有增加" in result.output


async def test_amend_opens_the_tui_on_the_new_revision_under_the_old_form(sheet_ws):
    pytest.importorskip("inspect_kit.tui.app")
    from inspect_kit.cli import Kit
    from inspect_kit.cli.tui_cmd import tui_app

    ws, store, doc = sheet_ws
    sheet = store.amend(doc["uuid"], "补记扣分理由", "王秘书")
    kit = Kit(ws.root, ws.db_override, None)
    app = tui_app(kit, sheet.uuid)  # what `results amend` runs on a terminal
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        session = app.screen.session
        assert (session.sheet.uuid, session.sheet.revision) == (doc["uuid"], 2)
        assert session.sheet.amend_reason == "补记扣分理由"
        assert session.sheet.form_sha256 == doc["form_sha256"]
        session.close()
