"""The results browser's filter drop-downs are built on first use (widgets/lazy_select.py):
opening the browser builds none, and a filter chosen by keyboard or mouse lists exactly the
sheets the store holds for it."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Select
from tui_helpers import settle, tui_app

from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
from inspect_kit.tui.screens.results import ResultsScreen
from inspect_kit.tui.widgets.lazy_select import LazySelect


@pytest.fixture
def demo_store(store):
    roster, finals, _ = build_demo(demo_forms(), DemoPlan(subjects=3, raters=2, rounds=2, seed=7))
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    return store


async def open_results(app, pilot) -> ResultsScreen:
    await settle(app, pilot)
    await pilot.press("r")
    await settle(app, pilot)
    assert isinstance(app.screen, ResultsScreen)
    return app.screen


def face(screen, name: str) -> str:
    return str(screen.query_one(f"#filter-{name}", LazySelect).render())


async def test_the_browser_opens_with_no_select_built_and_the_table_focused(workspace,
                                                                           demo_store):  # fmt: skip
    app = tui_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_results(app, pilot)
        assert not screen.query(Select)
        assert isinstance(app.focused, DataTable)
        assert face(screen, "form").startswith("表单: 全部") and face(screen, "form").endswith("▼")
        await pilot.press("slash", "shift+tab")  # Tab passes through a filter: nothing built
        assert app.focused is screen.query_one("#filter-grade")
        await pilot.press("shift+tab")
        assert app.focused is screen.query_one("#filter-rater") and not screen.query(Select)


async def test_a_grade_chosen_by_keyboard_lists_that_grades_sheets(workspace, demo_store):
    app = tui_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_results(app, pilot)
        grades = sorted({d["score"]["grade"] for d in demo_store.submissions()})
        await pilot.press("slash", "shift+tab", "enter")  # the grade filter, opened
        await settle(app, pilot)
        select = screen.query_one("#filter-grade", LazySelect).select
        assert select is not None and select.expanded and app.focused is not None
        assert len(screen.query(Select)) == 1  # only the one used
        await pilot.press("down", "enter")  # below the "all" entry: the first grade
        await settle(app, pilot)
        assert select.value == grades[0] and not select.expanded
        assert screen.query_one("#filter-grade", LazySelect).value == grades[0]
        expected = {d["uuid"] for d in demo_store.submissions() if d["score"]["grade"] == grades[0]}
        assert expected and {d["uuid"] for d in screen.shown} == expected
        await pilot.press("tab")  # on to the subject box, as before it was built
        assert app.focused is screen.query_one("#filter-subject")

        await pilot.press("shift+tab", "enter", "up", "enter")  # back to "all"
        await settle(app, pilot)
        assert screen.query_one("#filter-grade", LazySelect).value is None
        assert len(screen.shown) == len(demo_store.submissions())


async def test_a_click_opens_the_list_and_a_form_chosen_filters_the_table(workspace,
                                                                          demo_store):  # fmt: skip
    app = tui_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_results(app, pilot)
        forms = sorted({d["form"] for d in demo_store.submissions()})
        await pilot.click("#filter-form")
        await settle(app, pilot)
        select = screen.query_one("#filter-form", LazySelect).select
        assert select is not None and select.expanded
        await pilot.press("down", "down", "enter")
        await settle(app, pilot)
        assert screen.query_one("#filter-form", LazySelect).value == forms[1]
        expected = {d["uuid"] for d in demo_store.submissions(form=forms[1])}
        assert {d["uuid"] for d in screen.shown} == expected
        table = screen.query_one("#results-table", DataTable)
        listed = {table.coordinate_to_cell_key((r, 0)).row_key.value
                  for r in range(table.row_count)}  # fmt: skip
        assert listed == expected


async def test_new_options_keep_a_value_still_offered_and_drop_one_gone(workspace, demo_store):
    app = tui_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_results(app, pilot)
        everything = list(screen.docs)
        raters = sorted({d["rater"] for d in everything})
        lazy = screen.query_one("#filter-rater", LazySelect)
        for built in (False, True):
            if built:
                await lazy.action_open()
                await pilot.press("escape")
                await settle(app, pilot)
            assert (lazy.select is not None) is built
            lazy.value = raters[0]
            await settle(app, pilot)
            assert {d["rater"] for d in screen.shown} == {raters[0]}
            screen.show_docs(list(everything))  # a reload: the same raters
            assert lazy.value == raters[0] and {d["rater"] for d in screen.shown} == {raters[0]}
            if lazy.select is not None:
                assert lazy.select.value == raters[0]
            else:
                assert face(screen, "rater").startswith(raters[0][:4])  # cut to its width
            others = [d for d in everything if d["rater"] != raters[0]]
            screen.show_docs(others)  # that rater's sheets are gone: the filter lets go
            assert lazy.value is None and len(screen.shown) == len(others)
            with pytest.raises(ValueError):
                lazy.value = raters[0]
            screen.show_docs(list(everything))
