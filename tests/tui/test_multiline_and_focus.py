"""A multiline text item is a TextArea saved per keystroke; the home screen names its focused list
in text, not by colour alone."""

from __future__ import annotations

from textual.widgets import DataTable, TextArea
from tui_helpers import settle, start_sheet, tui_app

from inspect_kit.tui.screens.fill import FillScreen
from inspect_kit.tui.widgets.section_nav import VETO_SECTION


def stored(store, sheet_uuid: str) -> dict:
    return store.draft(sheet_uuid)["answers"]


async def test_multiline_text_item_is_a_text_area_saved_on_every_keystroke(workspace, roster):
    # edu-base-inspection: 检查意见 (inspector-opinion) is `multiline: true`.
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_sheet(app, pilot)
        screen = app.screen
        assert isinstance(screen, FillScreen)
        uuid = screen.sheet.uuid
        screen.jump_to("inspector-opinion")
        await pilot.pause()
        box = screen.query_one("#item-inspector-opinion .item-control")
        assert isinstance(box, TextArea) and box.has_focus and box.soft_wrap
        await pilot.press("台")
        await pilot.pause()
        assert stored(roster, uuid)["inspector-opinion"]["value"] == "台"
        await pilot.press("账", "enter", "齐")  # Enter is a new line, not "next item"
        await pilot.pause()
        assert stored(roster, uuid)["inspector-opinion"]["value"] == "台账\n齐"
        assert screen.current_item == "inspector-opinion"
        await pilot.press("ctrl+n")  # the screen's next-item key works inside the box
        await pilot.pause()
        assert screen.current_item == "inspector-signature"
        assert not box.has_focus
        box.focus()
        await pilot.pause()
        await pilot.press("pagedown")  # and so does the next-section key
        await settle(app, pilot)
        assert screen.current_section == VETO_SECTION
    # Resumed, the box shows the saved text.
    app2 = tui_app(workspace, open_draft=uuid)
    async with app2.run_test(size=(80, 24)) as pilot:
        await settle(app2, pilot)
        box = app2.screen.query_one("#item-inspector-opinion .item-control", TextArea)
        assert box.text == "台账\n齐"


def _marked(screen) -> list[str]:
    """Ids of the lists whose title carries the focus mark."""
    return [t for t in ("forms", "drafts", "recent")
            if str(screen.query_one(f"#{t}-heading").content).startswith("▶")]  # fmt: skip


async def test_home_marks_the_focused_list_title_in_text(workspace, roster):
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen.focused, DataTable) and screen.focused.id == "forms"
        assert _marked(screen) == ["forms"]
        screen.query_one("#drafts").focus()
        await pilot.pause()
        assert _marked(screen) == ["drafts"]
        assert str(screen.query_one("#drafts-heading").content) == "▶ 草稿（未提交）"
        screen.query_one("#recent").focus()
        await pilot.pause()
        assert _marked(screen) == ["recent"]
        assert str(screen.query_one("#forms-heading").content) == "表单"
