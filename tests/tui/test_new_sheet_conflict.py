"""回避 on the new-sheet dialog: pick the subject, type the rater, press 申报回避, give the
reason; the declaration is an event in the store and the panel leaves that rater's sheet out."""

from __future__ import annotations

from tui_helpers import settle, tui_app

from inspect_kit.domain.conflicts import active_conflicts
from inspect_kit.store.store import Store
from inspect_kit.tui.screens.dialogs import ReasonScreen
from inspect_kit.tui.screens.new_sheet import NewSheetScreen


async def test_declaring_a_conflict_from_the_new_sheet_dialog(workspace, roster):
    app = tui_app(workspace)
    async with app.run_test(size=(90, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, NewSheetScreen)
        screen.query_one("#new-conflict").press()  # nothing chosen yet: said, nothing stored
        await settle(app, pilot)
        assert "先选择对象" in str(screen.query_one("#new-error").render())
        await pilot.press(*"月湖", "enter")
        await pilot.pause()
        screen.query_one("#new-rater").value = "李评委"
        screen.query_one("#new-conflict").press()
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonScreen)
        await pilot.press("enter")  # an empty reason is refused in the dialog
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonScreen)
        await pilot.press(*"亲属在该馆工作", "enter")
        await settle(app, pilot)
        assert app.screen is screen
        assert "李评委" in str(screen.query_one("#new-chosen").render())
    (conflict,) = active_conflicts(Store(workspace).events())
    assert (conflict.form, conflict.subject, conflict.rater, conflict.reason) == (
        "edu-base-inspection", "eb-002", "李评委", "亲属在该馆工作")  # fmt: skip
