"""The rules of the fill screen: refused input, notes, show_if, N/A, one window per draft."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import fill_current_sheet, settle, start_sheet, tui_app

from inspect_kit.services.draft_lock import DraftLocked, acquire_lock
from inspect_kit.services.drafts import DraftSession
from inspect_kit.tui.screens.fill import FillScreen
from inspect_kit.tui.screens.review import ReviewScreen


def stored(store, sheet_uuid: str) -> dict:
    return store.draft(sheet_uuid)["answers"]


async def test_out_of_range_score_is_refused_at_the_field(workspace, roster):
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_sheet(app, pilot)
        screen = app.screen
        screen.jump_to("facility-theme")  # score 0..5, step 0.5
        await pilot.pause()
        await pilot.press("7")
        await pilot.pause()
        status = str(screen.query_one("#item-facility-theme .item-status").content)
        assert "0 到 5" in status and "未保存" in status
        assert stored(roster, screen.sheet.uuid).get("facility-theme", {}).get("value") is None
        await pilot.press("backspace", *"4.5")
        await pilot.pause()
        assert stored(roster, screen.sheet.uuid)["facility-theme"]["value"] == 4.5
        assert "✗" not in str(screen.query_one("#item-facility-theme .item-status").content)


async def test_deduction_without_note_blocks_finalize(workspace, roster):
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_sheet(app, pilot)
        await fill_current_sheet(app, pilot)
        screen = app.screen
        screen.jump_to("site-fixed")
        await pilot.pause()
        await pilot.press("2")  # 临时或借用: loses 3 points, no 扣分理由 typed
        await settle(app, pilot)
        assert screen.record.missing_notes == ("site-fixed",)
        await pilot.press("f10")
        await settle(app, pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.query_one("#confirm").disabled
        await pilot.press("f10")  # confirming anyway does nothing
        await settle(app, pilot)
        assert app.screen is review and roster.submissions() == []
        await pilot.press("enter")  # the missing note is listed; Enter jumps to it
        await settle(app, pilot)
        assert app.screen is screen
        note = screen.query_one("#item-site-fixed .item-note")
        assert note.has_focus
        await pilot.press(*"借用社区活动室", "f10")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
    (doc,) = roster.submissions()
    assert doc["answers"]["site-fixed"] == {
        "value": "临时或借用",
        "na": False,
        "note": "借用社区活动室",
    }


async def test_show_if_shows_live_and_drops_hidden_answers(workspace, roster):
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_sheet(app, pilot)
        screen = app.screen
        screen.jump_to("rules-emergency")
        await pilot.pause()
        drill = screen.query_one("#item-rules-drill-date")
        assert not drill.display
        await pilot.press("1")  # 有预案有演练 → the drill date appears
        await settle(app, pilot)
        assert drill.display and screen.current_item == "rules-emergency"  # no auto-advance
        await pilot.press("enter")  # full marks: Enter goes on, to the drill date
        await settle(app, pilot)
        assert drill.display and screen.current_item == "rules-drill-date"
        await pilot.press(*"2026-04-20")
        await pilot.pause()
        assert stored(roster, screen.sheet.uuid)["rules-drill-date"]["value"] == "2026-04-20"
        screen.jump_to("rules-emergency")
        await pilot.pause()
        await pilot.press("3")  # 无预案 → hidden, and its answer is dropped
        await settle(app, pilot)
        assert not drill.display
        assert "rules-drill-date" not in stored(roster, screen.sheet.uuid)
        assert drill.query_one(".item-control").value == ""


async def test_na_leaves_the_item_out_and_rescales_the_section(workspace, roster):
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_sheet(app, pilot)
        screen = app.screen
        screen.jump_to("facility-theme")
        await pilot.pause()
        await pilot.press("5", "enter", "1", "enter", "0", "enter", "2", "enter")
        await settle(app, pilot)
        assert screen.current_item == "facility-access"
        await pilot.press("0")  # N/A
        await settle(app, pilot)
        answer = stored(roster, screen.sheet.uuid)["facility-access"]
        assert answer["na"] is True and answer["value"] is None
        section = next(s for s in screen.record.sections if s.id == "facilities")
        # 13 − 1 (access N/A) = 12 possible, all earned: scaled 12 / 12 × 13 = 13
        assert section.possible_raw == 12 and section.scaled == 13
        assert "不适用" in str(screen.query_one("#item-facility-access .item-status").content)
        await pilot.press("ctrl+t")  # toggled back: the item counts again
        await settle(app, pilot)
        assert stored(roster, screen.sheet.uuid)["facility-access"]["na"] is False
        await pilot.press("2")  # 无: 0 of 1
        await settle(app, pilot)
        section = next(s for s in screen.record.sections if s.id == "facilities")
        assert section.possible_raw == 13 and section.scaled == 12  # 12 of 13


async def test_a_draft_open_in_another_window_is_refused(workspace, roster):
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_sheet(app, pilot)
        sheet_uuid = app.screen.sheet.uuid
        await pilot.press("1")
        await settle(app, pilot)
        second = tui_app(workspace, open_draft=sheet_uuid)
        async with second.run_test(size=(80, 24)) as pilot2:
            await settle(second, pilot2)
            assert not isinstance(second.screen, FillScreen)
            messages = [n.message for n in second._notifications]
            assert any("已在另一个窗口或进程中打开" in m for m in messages), messages
        assert stored(roster, sheet_uuid)["sign-posted"]["value"] == "规范"
        await pilot.press("escape")  # leaving the sheet frees it
        await settle(app, pilot)
    third = tui_app(workspace, open_draft=sheet_uuid)
    async with third.run_test(size=(80, 24)) as pilot:
        await settle(third, pilot)
        assert isinstance(third.screen, FillScreen)


def test_lock_is_refused_across_handles(workspace):
    lock = acquire_lock(workspace, "abc")
    try:
        with pytest.raises(DraftLocked, match="已在另一个窗口或进程中打开"):
            acquire_lock(workspace, "abc")
        with pytest.raises(DraftLocked, match="open in another window or process"):
            acquire_lock(workspace, "abc", "en")
    finally:
        lock.release()
    acquire_lock(workspace, "abc").release()


def test_photos_are_copied_and_unsafe_names_refused(workspace, roster, edu_form, tmp_path):
    from inspect_kit.base.errors import AnswerError

    session = DraftSession.start(roster, workspace, edu_form, subject="eb-001", subject_name="x",
                                 rater="r", round="2026")  # fmt: skip
    try:
        photo = tmp_path / "标牌.jpg"
        photo.write_bytes(b"\xff\xd8\xffjpeg")
        session.add_photo("site-photos", str(photo))
        session.add_photo("site-photos", str(photo))  # same name again: kept apart
        folder = workspace.attachments_dir / session.sheet.uuid
        # the naming rule answer files and plain prompts use too (intake.attachments)
        assert sorted(p.name for p in folder.iterdir()) == ["标牌-2.jpg", "标牌.jpg"]
        answer = roster.draft(session.sheet.uuid)["answers"]["site-photos"]
        assert answer["attachments"] == ["标牌.jpg", "标牌-2.jpg"]
        with pytest.raises(AnswerError, match="找不到"):
            session.add_photo("site-photos", str(tmp_path / "missing.jpg"))
        with pytest.raises(AnswerError, match="不可用"):
            session.add_photo("site-photos", str(Path(tmp_path) / ".."))
        assert not (workspace.attachments_dir / "标牌.jpg").exists()
    finally:
        session.close()
