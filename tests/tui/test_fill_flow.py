"""Whole-sheet flows driven by keyboard through Pilot, asserted on what the store holds."""

from __future__ import annotations

import json

from tui_helpers import fill_current_sheet, settle, start_sheet, tui_app

from inspect_kit.base.config import load_settings
from inspect_kit.domain.answers import AnswerSet
from inspect_kit.domain.scoring import score
from inspect_kit.store.store import Store
from inspect_kit.tui.screens.fill import FillScreen
from inspect_kit.tui.screens.review import ReviewScreen


async def test_whole_edu_sheet_filled_by_keyboard_and_finalized(workspace, roster):
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_sheet(app, pilot)
        assert isinstance(app.screen, FillScreen)
        visited = await fill_current_sheet(
            app, pilot, deduct={"sign-posted": "标牌破损", "facility-theme": "展陈陈旧"}
        )
        assert "inspector-signature" in visited and "veto-inactive" in visited
        await pilot.press("f10")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("enter")  # the confirm button has focus when nothing blocks
        await settle(app, pilot)
        assert not isinstance(app.screen, (FillScreen, ReviewScreen))

    docs = roster.submissions()
    assert len(docs) == 1
    doc = docs[0]
    form = roster.stored_form(doc["form_sha256"])
    recomputed = score(form, AnswerSet.from_record(doc))
    # sign-posted 无牌 loses 3 (5 points over 5 raw), facility-theme 4 of 5 loses 1 (13 over 13).
    assert {k: v.lost for k, v in recomputed.items.items() if v.lost} == {
        "sign-posted": 3, "facility-theme": 1}  # fmt: skip
    assert doc["score"]["total"] == recomputed.total == 96.0
    assert doc["score"]["final"] == recomputed.final
    assert doc["score"]["grade"] == recomputed.grade
    assert doc["subject"] == "eb-002" and doc["rater"] == "测试员" and doc["round"] == "2026"
    assert doc["answers"]["sign-posted"]["note"] == "标牌破损"
    assert doc["answers"]["facility-theme"]["value"] == 4
    assert doc["vetoes"]["veto-safety"]["fired"] is False
    assert recomputed.complete and not recomputed.missing_notes
    assert roster.drafts() == []
    assert [e["event"] for e in roster.events(doc["uuid"])] == ["finalized"]
    assert load_settings().rater == "测试员"  # remembered for the next sheet


async def test_every_answer_is_in_drafts_json_at_once(workspace, roster):
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_sheet(app, pilot)
        raw = json.loads(workspace.drafts_path.read_text(encoding="utf-8"))
        (draft,) = raw["drafts"].values()
        assert draft["answers"] == {}
        await pilot.press("1")  # sign-posted: 规范
        await pilot.pause()
        raw = json.loads(workspace.drafts_path.read_text(encoding="utf-8"))
        (draft,) = raw["drafts"].values()
        assert draft["answers"]["sign-posted"]["value"] == "规范"
        # A typed field is saved on every keystroke, not on Enter or blur.
        app.screen.jump_to("facility-theme")
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        (draft,) = json.loads(workspace.drafts_path.read_text("utf-8"))["drafts"].values()
        assert draft["answers"]["facility-theme"]["value"] == 4
        assert draft["position"] == "facility-theme"
        assert "已保存" in str(app.screen.query_one("#fill-status").content)


async def test_resume_restores_answers_and_position(workspace, roster):
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_sheet(app, pilot)
        await pilot.press("1", "enter")  # sign-posted 规范, Enter goes on to info-posted
        await pilot.pause()
        await pilot.press("4", "enter")  # info-posted: 以上都没有 (nothing missing), on
        await pilot.pause()
        await pilot.press("ctrl+down")  # skip to site-safety
        await pilot.pause()
        await pilot.press("1")  # a hazard found: typed, not yet Enter
        await pilot.pause()
        sheet_uuid = app.screen.sheet.uuid
        assert app.screen.current_item == "site-safety"
    # The first app is gone (as after a killed terminal); a new one resumes the draft.
    app2 = tui_app(workspace, open_draft=sheet_uuid)
    async with app2.run_test(size=(80, 24)) as pilot:
        await settle(app2, pilot)
        screen = app2.screen
        assert isinstance(screen, FillScreen)
        assert screen.current_section == "site"
        assert screen.current_item == "site-safety"
        assert screen.sheet.answer("sign-posted").value == "规范"
        assert screen.sheet.answer("info-posted").value == []
        assert screen.sheet.answer("site-safety").value == 1
        control = screen.query_one("#item-site-safety .item-control")
        assert control.value == "1" and control.has_focus


async def test_home_lists_draft_with_blocked_badge(workspace, roster):
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_sheet(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        drafts = app.screen.query_one("#drafts")
        assert drafts.row_count == 1
        row = [str(c) for c in drafts.get_row_at(0)]
        assert row[0] == "月湖红色记忆馆" and row[1] == "2026" and row[5] == "测试员"
        assert "未完成" in row[3]  # the round column comes second
        await pilot.press("enter")  # resume from the list
        await settle(app, pilot)
        assert isinstance(app.screen, FillScreen)


async def test_enter_on_a_resumed_choice_keeps_the_stored_answer(workspace, roster):
    # Regression: the option cursor started on option 1, so Enter on a resumed item
    # silently replaced 不规范 with 规范.
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_sheet(app, pilot)
        await pilot.press("3")  # sign-posted: 不规范 (loses 2 points)
        await pilot.pause()
        sheet_uuid = app.screen.sheet.uuid
    app2 = tui_app(workspace, open_draft=sheet_uuid)
    async with app2.run_test(size=(80, 24)) as pilot:
        await settle(app2, pilot)
        screen = app2.screen
        screen.query_one("#item-sign-posted Choices").focus()
        await pilot.pause()
        await pilot.press("enter")  # keeps the answer; it lost points, so Enter goes to the note
        await pilot.pause()
        assert screen.query_one("#item-sign-posted .item-note").has_focus
        await pilot.press(*"字迹褪色")
        await pilot.pause()
    draft = Store(workspace).draft(sheet_uuid)
    assert draft["answers"]["sign-posted"]["value"] == "不规范"
    assert draft["answers"]["sign-posted"]["note"] == "字迹褪色"
