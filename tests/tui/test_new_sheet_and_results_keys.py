"""Issue 11 items 7-9 in the TUI, asserted on the drafts file: the new-sheet dialog refuses a
round off the rule (a rater's name typed into it), offers the existing draft instead of a second
one, never offers an existing id as a new subject; the home list shows the round; the results
browser's `/`, `v` and `a` work from the list."""

from __future__ import annotations

import pytest
from tui_helpers import settle, start_sheet, tui_app

from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
from inspect_kit.store.store import Store
from inspect_kit.tui.screens.dialogs import PickScreen, ReasonScreen
from inspect_kit.tui.screens.fill import FillScreen
from inspect_kit.tui.screens.new_sheet import ADD, NewSheetScreen
from inspect_kit.tui.screens.results import ResultsScreen, SheetDetailScreen


async def test_a_raters_name_typed_into_the_round_starts_no_sheet(workspace, roster):
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_sheet(app, pilot, round_="李明华")
        screen = app.screen
        assert isinstance(screen, NewSheetScreen)  # still the dialog, saying why
        error = str(screen.query_one("#new-error").render())
        assert "“李明华”不符合格式" in error
        assert screen.query_one("#new-round").has_focus
        assert Store(workspace).drafts() == []

        screen.query_one("#new-round").value = ""
        await pilot.press(*"2026上半年", "enter")  # Enter in the round field starts the sheet
        await settle(app, pilot)
        assert isinstance(app.screen, FillScreen)
    (draft,) = Store(workspace).drafts()
    assert (draft["subject"], draft["rater"], draft["round"]) == ("eb-002", "测试员", "2026-1")


async def test_a_second_sheet_for_the_same_key_offers_the_existing_draft(workspace, roster):
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_sheet(app, pilot)
        first = app.screen.sheet.uuid
        await pilot.press("escape")  # back home, the draft kept
        await settle(app, pilot)
        drafts_table = app.screen.query_one("#drafts")
        assert [str(c) for c in drafts_table.get_row_at(0)][:2] == ["月湖红色记忆馆", "2026"]

        await start_sheet(app, pilot)  # the same form, subject, rater and round again
        assert isinstance(app.screen, PickScreen)
        assert "已有您的一份草稿" in app.screen.title_text
        await pilot.press("down", "enter")  # "go back": the dialog again, nothing started
        await settle(app, pilot)
        assert isinstance(app.screen, NewSheetScreen)
        assert [d["uuid"] for d in Store(workspace).drafts()] == [first]

        await pilot.press("enter")  # Enter in the round field again: the offer again
        await settle(app, pilot)
        assert isinstance(app.screen, PickScreen)
        await pilot.press("enter")  # "open that draft"
        await settle(app, pilot)
        assert isinstance(app.screen, FillScreen) and app.screen.sheet.uuid == first
    assert [d["uuid"] for d in Store(workspace).drafts()] == [first]


async def test_an_existing_id_or_name_is_not_offered_as_a_new_subject(workspace, roster):
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        for typed in ("EB-001", "月湖红色记忆馆"):
            app.screen.query_one("#new-filter").value = ""
            await pilot.press(*typed)
            await pilot.pause()
            listing = app.screen.query_one("#new-subjects")
            ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
            assert ADD not in ids and len(ids) == 1
        app.screen.query_one("#new-filter").value = ""
        await pilot.press(*"新阵地")
        await pilot.pause()
        listing = app.screen.query_one("#new-subjects")
        assert listing.get_option_at_index(0).id == ADD  # a new name may still be added
    assert len(Store(workspace).subjects()) == 2


@pytest.fixture
def finals(store):
    roster, sheets, _ = build_demo(demo_forms(), DemoPlan(subjects=2, raters=2, rounds=1, seed=5,
                                                          drafts=0))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(sheets)
    return store


async def open_results(app, pilot) -> ResultsScreen:
    await settle(app, pilot)
    await pilot.press("r")
    await settle(app, pilot)
    assert isinstance(app.screen, ResultsScreen)
    return app.screen


def highlighted(screen) -> str:
    table = screen.query_one("#results-table")
    return str(table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value)


async def test_slash_goes_to_the_text_filter(workspace, finals):
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_results(app, pilot)
        await pilot.press("slash")
        assert screen.query_one("#filter-subject").has_focus
        name = finals.submissions()[0]["subject_name"]
        await pilot.press(*name, "enter")  # typed into the filter; Enter back to the list
        await settle(app, pilot)
        assert screen.query_one("#results-table").has_focus
        shown = {finals.submission(u)["subject_name"] for u in screen_uuids(screen)}
        assert shown == {name}


def screen_uuids(screen) -> list[str]:
    table = screen.query_one("#results-table")
    return [table.coordinate_to_cell_key((r, 0)).row_key.value for r in range(table.row_count)]


async def test_v_and_a_work_from_the_list(workspace, finals):
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_results(app, pilot)
        await pilot.press("down")
        target = highlighted(screen)
        await pilot.press("v")
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonScreen)
        await pilot.press(*"重复录入", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SheetDetailScreen) and app.screen.sheet_uuid == target
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        other = next(u for u in screen_uuids(screen) if u != target)
        table = screen.query_one("#results-table")
        table.move_cursor(row=screen_uuids(screen).index(other))
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonScreen)
        await pilot.press(*"复核后更正", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, FillScreen) and app.screen.sheet.uuid == other
    store = Store(workspace)
    voided = store.submission(target)
    assert (voided["status"], voided["amend_reason"]) == ("void", "重复录入")
    (amend,) = store.drafts()
    assert (amend["uuid"], amend["revision"], amend["amend_reason"]) == (other, 2, "复核后更正")
