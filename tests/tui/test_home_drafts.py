"""The home screen's draft list: Enter resumes a draft, Delete removes it after a confirmation,
and a draft open in another window is neither resumed nor deleted."""

from __future__ import annotations

from textual.widgets import Button, DataTable
from tui_helpers import settle, tui_app

from inspect_kit.services.draft_lock import acquire_lock
from inspect_kit.services.drafts import DraftSession
from inspect_kit.tui.screens.dialogs import ConfirmScreen
from inspect_kit.tui.screens.fill import FillScreen

REFUSED = "已在另一个窗口或进程中打开"


def _a_draft(roster, workspace, edu_form) -> str:
    session = DraftSession.start(roster, workspace, edu_form, subject="eb-001",
                                 subject_name="东钱湖青少年科普教育基地", rater="测试员",
                                 round="2026")  # fmt: skip
    session.set_value("sign-posted", "规范")
    session.close()
    return session.sheet.uuid


async def _focus_drafts(app, pilot) -> None:
    await settle(app, pilot)
    app.screen.query_one("#drafts", DataTable).focus()
    await pilot.pause()


async def test_enter_on_a_draft_resumes_it(workspace, roster, edu_form):
    sheet_uuid = _a_draft(roster, workspace, edu_form)
    app = tui_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await _focus_drafts(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, FillScreen)
        assert app.screen.sheet.uuid == sheet_uuid
    assert roster.draft(sheet_uuid)["answers"]["sign-posted"]["value"] == "规范"


async def test_delete_removes_the_draft_after_yes(workspace, roster, edu_form):
    _a_draft(roster, workspace, edu_form)
    app = tui_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await _focus_drafts(app, pilot)
        await pilot.press("delete")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        app.screen.query_one("#yes", Button).press()
        await settle(app, pilot)
        assert app.screen.query_one("#drafts", DataTable).row_count == 0
    assert roster.drafts() == []


async def test_a_draft_open_elsewhere_is_neither_resumed_nor_deleted(workspace, roster, edu_form):
    sheet_uuid = _a_draft(roster, workspace, edu_form)
    lock = acquire_lock(workspace, sheet_uuid)  # another window has it
    try:
        app = tui_app(workspace)
        async with app.run_test(size=(100, 30)) as pilot:
            await _focus_drafts(app, pilot)
            await pilot.press("enter")
            await settle(app, pilot)
            assert not isinstance(app.screen, FillScreen)
            await pilot.press("delete")
            await settle(app, pilot)
            app.screen.query_one("#yes", Button).press()
            await settle(app, pilot)
            messages = [n.message for n in app._notifications]
            assert sum(REFUSED in m for m in messages) == 2, messages
    finally:
        lock.release()
    assert [d["uuid"] for d in roster.drafts()] == [sheet_uuid]
