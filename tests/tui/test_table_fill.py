"""The 活动台账 table on the fill screen: rows added, edited and deleted by keyboard, each change
in the drafts file at once; Enter and Tab on an empty table store nothing; a refused cell keeps
the editor open; hostile text in a cell is shown as typed, never as markup."""

from __future__ import annotations

import json

from tui_helpers import settle, table_row_keys, tui_app

from inspect_kit.services.drafts import DraftSession
from inspect_kit.tui.screens.row_editor import RowEditor
from inspect_kit.tui.widgets.table_rows import RowTable


def new_draft(workspace, store, edu_form) -> str:
    session = DraftSession.start(store, workspace, edu_form, subject="eb-002",
                                 subject_name="月湖红色记忆馆", rater="测试员",
                                 round="2026")  # fmt: skip
    session.close()
    return session.sheet.uuid


def stored(workspace) -> dict:
    """act-log as the drafts file holds it (read from disk, not from the screen)."""
    (draft,) = json.loads(workspace.drafts_path.read_text("utf-8"))["drafts"].values()
    return draft["answers"].get("act-log", {})


async def open_table(app, pilot) -> RowTable:
    app.screen.jump_to("act-log")
    await settle(app, pilot)
    table = app.screen.query_one("#item-act-log RowTable", RowTable)
    assert app.screen.focused is table
    return table


async def test_rows_added_edited_and_deleted_by_keyboard_are_what_the_drafts_hold(
    workspace, roster, edu_form
):
    uuid = new_draft(workspace, roster, edu_form)
    app = tui_app(workspace, open_draft=uuid)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        item = app.screen.sheet.form.item("act-log")
        table = await open_table(app, pilot)
        rows = [
            {"date": "2026年3月5日", "theme": "清明祭英烈", "people": "120"},
            {"date": "2026/4/1", "theme": "法治讲座", "people": "80"},
            {"date": "5月20日", "theme": "科普日", "people": "45"},
        ]
        for n, cells in enumerate(rows, start=1):
            await pilot.press(*table_row_keys(item, n, cells))
            await settle(app, pilot)
            assert len(stored(workspace)["value"]) == n  # each row saved as it is added
        assert table.row_count == 3
        # edit row 2 (cursor up one from the last added): a new count
        await pilot.press("up", "e")
        await settle(app, pilot)
        assert isinstance(app.screen, RowEditor)
        await pilot.press("enter", "enter", "ctrl+u", *"85", "ctrl+s")
        await settle(app, pilot)
        # delete row 1
        await pilot.press("up", "delete")
        await settle(app, pilot)
        # 2 rows → below the ≥5 band: 0 of 8, so Enter goes to the 扣分理由
        await pilot.press("enter", *"只有2场有完整记录")
        await settle(app, pilot)
    assert stored(workspace) == {
        "value": [
            {"date": "2026-04-01", "theme": "法治讲座", "people": 85},
            {"date": "2026-05-20", "theme": "科普日", "people": 45},
        ],
        "na": False,
        "note": "只有2场有完整记录",
    }


async def test_enter_and_tab_on_an_empty_table_store_nothing(workspace, roster, edu_form):
    uuid = new_draft(workspace, roster, edu_form)
    app = tui_app(workspace, open_draft=uuid)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await open_table(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.current_item == "act-themes"  # moved on
        app.screen.jump_to("act-log")
        await settle(app, pilot)
        await pilot.press("tab", "shift+tab", "up", "down")
        await settle(app, pilot)
        assert stored(workspace) == {}
        # the editor opened and cancelled stores nothing either
        await open_table(app, pilot)
        await pilot.press("a", *"2026-03-05", "enter", "escape")
        await settle(app, pilot)
        assert stored(workspace) == {}
        await pilot.press("n")  # "no records": the explicit empty answer
        await settle(app, pilot)
        assert stored(workspace)["value"] == []
        await pilot.press("0")  # N/A as on other items... not allowed on act-log
        await settle(app, pilot)
        assert stored(workspace)["value"] == [] and not stored(workspace)["na"]


async def test_a_refused_cell_keeps_the_editor_open_and_stores_nothing(workspace, roster,
                                                                       edu_form):  # fmt: skip
    uuid = new_draft(workspace, roster, edu_form)
    app = tui_app(workspace, open_draft=uuid)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await open_table(app, pilot)
        await pilot.press("a", *"3月32日", "enter", *"x", "enter", *"9.5", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, RowEditor)
        error = str(app.screen.query_one(".row-error").render())
        assert "第 1 行" not in error and "「日期」：没有“3月32日”这一天" in error
        assert stored(workspace) == {}
        await pilot.press("escape")
        await settle(app, pilot)


async def test_hostile_text_in_a_cell_is_shown_as_typed(workspace, roster, edu_form):
    uuid = new_draft(workspace, roster, edu_form)
    app = tui_app(workspace, open_draft=uuid)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        item = app.screen.sheet.form.item("act-log")
        table = await open_table(app, pilot)
        hostile = "紫荆[/red]学校[link=http://x]点我[/link]"
        await pilot.press(*table_row_keys(item, 1, {"theme": hostile}))
        await settle(app, pilot)
        cell = table.get_row_at(0)[2]
        assert str(cell) == hostile  # a Text, never parsed as markup
    assert stored(workspace)["value"][0]["theme"] == hostile
