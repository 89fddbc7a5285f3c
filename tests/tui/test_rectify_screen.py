"""整改 in the app (issue 13): F6 marks deductions 需整改 on the fill screen, finalizing makes the
items, the 整改 screen lists them (overdue first by the set clock), and a re-inspection of the
same unit shows them and verifies one."""

from __future__ import annotations

from tui_helpers import fill_current_sheet, settle, start_sheet, tui_app

from inspect_kit.base import clock
from inspect_kit.services.rectify import RectifyService
from inspect_kit.tui.screens.fill import FillScreen
from inspect_kit.tui.screens.rectify import RectifyScreen
from inspect_kit.tui.screens.rectify_dialogs import MarkScreen


async def _mark(app, pilot, item_id: str, deadline: str | None = None) -> None:
    app.screen.jump_to(item_id)
    await pilot.pause()
    await pilot.press("f6")
    await settle(app, pilot)
    assert isinstance(app.screen, MarkScreen)
    if deadline is not None:
        field = app.screen.query_one("#mark-deadline")
        field.value = ""
        await pilot.press(*deadline)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, FillScreen)


async def test_marked_deductions_become_items_listed_and_verified(workspace, roster):
    clock.set_today("2026-06-01")
    try:
        app = tui_app(workspace)
        async with app.run_test(size=(100, 30)) as pilot:
            await start_sheet(app, pilot)
            await fill_current_sheet(
                app, pilot, deduct={"sign-posted": "标牌破损", "facility-theme": "展陈陈旧"}
            )
            await _mark(app, pilot, "sign-posted", "2026-06-10")
            await _mark(app, pilot, "facility-theme")
            # a full-marks item cannot be marked
            app.screen.jump_to("site-fixed")
            await pilot.pause()
            await pilot.press("f6")
            await settle(app, pilot)
            assert (
                isinstance(app.screen, FillScreen) and "site-fixed" not in app.screen.sheet.rectify
            )
            assert set(app.screen.sheet.rectify) == {"sign-posted", "facility-theme"}
            await pilot.press("f10")
            await settle(app, pilot)
            await pilot.press("enter")
            await settle(app, pilot)

            items = RectifyService(roster).listed()
            by_item = {x.item.item: x.item for x in items}
            # the two marks, and the sheet's own 整改事项 text (typed by the filler) as a third
            assert set(by_item) == {"sign-posted", "facility-theme", None}
            assert by_item[None].requirement == "整改台账"
            assert by_item["sign-posted"].deadline == "2026-06-10"
            assert "标牌破损" in by_item["sign-posted"].requirement

            clock.set_today("2026-06-20")  # past the first deadline
            await pilot.press("z")
            await settle(app, pilot)
            assert isinstance(app.screen, RectifyScreen)
            table = app.screen.query_one("#rectify-table")
            assert table.row_count == 3
            # the filler typed 2026-05-01 as the sheet's 整改期限: the unmarked default
            assert by_item["facility-theme"].deadline == "2026-05-01"
            rows = app.screen.shown_rows()
            assert all(x.overdue for x in rows)  # 05-01, 05-01 and 06-10, all before 06-20
            assert [x.item.deadline for x in rows] == ["2026-05-01", "2026-05-01", "2026-06-10"]
            assert "⚠" in str(table.get_row_at(0)[3])
            await pilot.press("s")  # by district: same unit, still both
            assert app.screen.sort == "district" and table.row_count == 3
            await pilot.press("escape")
            await settle(app, pilot)

            # a re-inspection of the same unit: the fill screen says what is open, F9 lists it
            await start_sheet(app, pilot, rater="复查员")
            assert isinstance(app.screen, FillScreen)
            await pilot.press("f9")
            await settle(app, pilot)
            assert isinstance(app.screen, RectifyScreen) and app.screen.subject == "eb-002"
            checked = app.screen.shown_rows()[0].item.uuid  # the cursor's row
            await pilot.press("v")
            await settle(app, pilot)
            await pilot.press("enter")  # 复查通过 (the first choice) on the overdue item
            await settle(app, pilot)
            await settle(app, pilot)
        done = RectifyService(roster).listed(status="done")
        assert [x.item.uuid for x in done] == [checked]
        assert done[0].item.last.by == "复查员"
    finally:
        clock.set_today(None)
