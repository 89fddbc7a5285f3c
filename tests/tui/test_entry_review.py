"""Review before finalize lists every answer, and the fill screen at 80x24 always shows the
focused field; a property test: moving keys alone never answer anything (issue 11)."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import DataTable
from tui_helpers import fill_current_sheet, settle, start_sheet, tui_app

from inspect_kit.domain.model import NoteItem
from inspect_kit.services.drafts import DraftSession
from inspect_kit.store.store import Store
from inspect_kit.tui.screens.fill import FillScreen
from inspect_kit.tui.screens.review import ReviewScreen
from inspect_kit.tui.widgets.item_input import ItemInput

MOVES = ["enter", "tab", "ctrl+n", "ctrl+b", "pagedown", "pageup", "up", "down", "left", "right"]


def new_draft(workspace, store, edu_form) -> str:
    session = DraftSession.start(store, workspace, edu_form, subject="eb-002",
                                 subject_name="月湖红色记忆馆", rater="测试员",
                                 round="2026")  # fmt: skip
    session.close()
    return session.sheet.uuid


def assert_on_screen(screen, widget) -> None:
    region = widget.region
    items = screen.query_one("#items")
    assert region.height > 0, widget
    assert items.scrollable_content_region.contains_region(region), (widget, region)
    assert screen.region.contains_region(region)


async def test_review_lists_every_answer_and_jumps_to_a_line(workspace, roster):
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_sheet(app, pilot)
        screen = app.screen
        await fill_current_sheet(app, pilot, deduct={"sign-posted": "无牌",
                                                     "team-training": "未培训"})  # fmt: skip
        await pilot.press("f10")
        await settle(app, pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        sheet, record = screen.sheet, screen.sheet.score()
        rows = {r.key: r for r in review.rows}
        visible = sheet.visible()
        expected = [i.id for _, i in sheet.form.iter_items()
                    if i.id in visible and not isinstance(i, NoteItem)]  # fmt: skip
        assert all(i in rows for i in expected)
        assert all(v.id in rows for v in sheet.form.vetoes)
        assert rows["sign-posted"].answer == "无牌" and rows["sign-posted"].points == "0/3"
        assert rows["sign-posted"].note == "无牌"
        assert rows["team-training"].note == "未培训"
        assert rows["veto-safety"].answer == "未发生"
        assert rows["inspector-signature"].answer.startswith("测试员")
        table = review.query_one("#review-table", DataTable)
        assert table.row_count == len(review.rows)
        summary = str(review.query_one("#review-summary").content)
        assert f"总分 {record.total:g}" in summary and record.grade in summary
        assert review.screen.region.contains_region(table.region)
        # jump: put the cursor on 3.1 and press Enter → back on that item
        table.focus()
        table.move_cursor(row=[r.key for r in review.rows].index("facility-theme"))
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, FillScreen) and app.screen.current_item == "facility-theme"
        assert_on_screen(app.screen, app.screen.focused)
    assert Store(workspace).submissions() == []  # nothing finalized by reviewing


async def test_focused_field_is_on_screen_for_the_first_item_of_every_type(
    workspace, roster, edu_form
):
    uuid = new_draft(workspace, roster, edu_form)
    form = edu_form.form
    firsts: dict[str, str] = {}
    for _, item in form.iter_items():
        if not isinstance(item, NoteItem):
            firsts.setdefault(type(item).__name__, item.id)
    firsts["Veto"] = form.vetoes[0].id
    app = tui_app(workspace, open_draft=uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        # show_if items (a date, the 整改 text) need their condition: answer it, explicitly
        for condition in ("rules-emergency", "rectify-needed"):
            screen.jump_to(condition)
            await settle(app, pilot)
            await pilot.press("1")
            await settle(app, pilot)
        for kind, item_id in firsts.items():
            screen.jump_to(item_id)
            await settle(app, pilot)
            focused = screen.focused
            owner = next(a for a in focused.ancestors if isinstance(a, ItemInput))
            assert owner.item_id == item_id, kind
            assert_on_screen(screen, focused)
        # and the 扣分理由 after a loss: Enter goes there, and it is in view
        screen.jump_to("team-guides")
        await settle(app, pilot)
        await pilot.press("1", "enter")
        await settle(app, pilot)
        note = screen.query_one("#item-team-guides .item-note")
        assert note.has_focus
        assert_on_screen(screen, note)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(keys=st.lists(st.sampled_from(MOVES), min_size=1, max_size=80))
def test_moving_keys_alone_never_answer(workspace, roster, edu_form, keys):
    # One draft for all examples: as long as nothing is ever answered, each starts clean.
    if not hasattr(workspace, "_uuid"):
        object.__setattr__(workspace, "_uuid", new_draft(workspace, roster, edu_form))
    uuid = workspace._uuid

    async def run() -> None:
        app = tui_app(workspace, open_draft=uuid)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            for key in keys:
                await pilot.press(key)
            await settle(app, pilot)

    asyncio.run(run())
    draft = Store(workspace).draft(uuid)
    assert all(a.get("value") is None and not a.get("na") for a in draft["answers"].values())
    assert all(v.get("fired") is None for v in draft["vetoes"].values())
