"""Textual idioms the screens rely on: help next to the screen it explains, item changes as
one message class each (addressable by the item's id), one display for a failed worker, and
the app composed from what the CLI built."""

from __future__ import annotations

from textual import on
from textual.widgets import Static
from tui_helpers import settle, start_sheet, tui_app

from inspect_kit.base.errors import InspectKitError
from inspect_kit.i18n.catalog import tr
from inspect_kit.tui.screens.dialogs import HelpScreen
from inspect_kit.tui.screens.fill import FillScreen
from inspect_kit.tui.widgets.item_input import ItemInput


def _help_text(app) -> str:
    return "\n".join(str(w.content) for w in app.screen.query(Static))


async def test_help_shows_the_fill_screens_own_help_only_there(workspace, roster):
    app = tui_app(workspace)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        assert tr("help.fill").splitlines()[0] not in _help_text(app)
        await pilot.press("escape")
        await start_sheet(app, pilot)
        assert isinstance(app.screen, FillScreen)
        await pilot.press("f1")
        await settle(app, pilot)
        assert tr("help.fill").splitlines()[0] in _help_text(app)


async def test_item_messages_name_their_widget_as_control(workspace, roster):
    app = tui_app(workspace)
    async with app.run_test(size=(100, 40)) as pilot:
        await start_sheet(app, pilot)
        widget = app.screen.query_one("#item-sign-posted", ItemInput)
        messages = [
            ItemInput.ValueChanged(widget, "规范"), ItemInput.NoteChanged(widget, "x"),
            ItemInput.NotApplicableToggled(widget), ItemInput.PhotoAdded(widget, "p"),
            ItemInput.VetoChanged(widget, None), ItemInput.Advance(widget, False),
        ]  # fmt: skip
        assert all(m.control is widget for m in messages)
        on(ItemInput.NoteChanged, "#item-sign-posted")  # refused for a message without control
        assert len({type(m).handler_name for m in messages}) == len(messages)
        widget.post_message(ItemInput.NoteChanged(widget, "标牌破损"))
        await settle(app, pilot)
        assert app.screen.sheet.answer("sign-posted").note == "标牌破损"


async def test_a_failed_worker_is_shown_once_and_the_app_goes_on(workspace, roster, monkeypatch):
    def broken(app):
        raise InspectKitError("数据库损坏：测试")

    monkeypatch.setattr("inspect_kit.tui.screens.home.load_home_data", broken)
    app = tui_app(workspace)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        assert [n.message for n in app._notifications] == ["数据库损坏：测试"]
        assert app.is_running


async def test_the_store_is_opened_on_first_use_not_before_the_app(workspace, monkeypatch):
    opened: list[object] = []
    from inspect_kit.cli import Kit
    from inspect_kit.tui.app import make_app

    kit = Kit(workspace.root, workspace.db_override, None)

    def store():
        opened.append(kit.store)
        return kit.store

    app = make_app(kit.workspace, store=store, catalog=kit.catalog, settings=kit.settings)
    assert opened == [] and app.lang == "zh"
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        assert app.store is kit.store and len(opened) == 1
