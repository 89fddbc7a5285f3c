"""The results browser: filters, sorting, a sheet's detail; English chrome; help."""

from __future__ import annotations

import pytest
from tui_helpers import settle, tui_app

from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
from inspect_kit.tui.screens.dialogs import HelpScreen
from inspect_kit.tui.screens.home import READ_AHEAD_AFTER_S
from inspect_kit.tui.screens.results import PAGE, ResultsScreen, SheetDetailScreen


@pytest.fixture
def demo_store(store):
    roster, finals, drafts = build_demo(demo_forms(), DemoPlan(subjects=3, raters=2, rounds=2,
                                                               seed=7))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    for sheet in drafts:
        store.save_draft(sheet)
    return store


def table_uuids(screen) -> list[str]:
    """Every row the browser lists, in its order; the table holds the first page of them."""
    table = screen.query_one("#results-table")
    filled = [table.coordinate_to_cell_key((r, 0)).row_key.value for r in range(table.row_count)]
    listed = [d["uuid"] for d in screen.shown]
    assert filled == listed[: len(filled)] and len(filled) == min(len(listed), PAGE)
    return listed


async def test_results_browser_filters_and_sorts(workspace, demo_store):
    app = tui_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        everything = demo_store.submissions()
        assert len(table_uuids(screen)) == len(everything)

        screen.query_one("#filter-form").value = "edu-base-inspection"
        await settle(app, pilot)
        expected = {d["uuid"] for d in demo_store.submissions(form="edu-base-inspection")}
        assert set(table_uuids(screen)) == expected

        rater = everything[0]["rater"]
        screen.query_one("#filter-rater").value = rater
        await settle(app, pilot)
        expected = {
            d["uuid"] for d in demo_store.submissions(form="edu-base-inspection", rater=rater)
        }
        assert set(table_uuids(screen)) == expected and expected

        screen.query_one("#filter-rater").clear()
        grade = demo_store.submissions(form="edu-base-inspection")[0]["score"]["grade"]
        screen.query_one("#filter-grade").value = grade
        await settle(app, pilot)
        shown = [demo_store.submission(u) for u in table_uuids(screen)]
        assert shown and all(d["score"]["grade"] == grade for d in shown)

        screen.query_one("#filter-grade").clear()
        subject = everything[0]["subject_name"]
        screen.query_one("#filter-subject").value = subject[:3]
        await settle(app, pilot)
        assert all(subject[:3] in demo_store.submission(u)["subject_name"]
                   for u in table_uuids(screen))  # fmt: skip

        screen.query_one("#filter-subject").value = ""
        screen.sort_by("score")
        await settle(app, pilot)
        finals = [demo_store.submission(u)["score"]["final"] for u in table_uuids(screen)]
        assert finals == sorted(finals, reverse=True)
        screen.sort_by("score")
        await settle(app, pilot)
        finals = [demo_store.submission(u)["score"]["final"] for u in table_uuids(screen)]
        assert finals == sorted(finals)

        screen.query_one("#results-table").focus()
        await pilot.press("enter")
        await settle(app, pilot)
        detail = app.screen
        assert isinstance(detail, SheetDetailScreen)
        doc = demo_store.submission(table_uuids(screen)[0])
        text = str(detail.query_one("#detail-text").content)
        assert doc["subject_name"] in text and doc["score"]["grade"] in text
        assert "附件" in text and "记录" in text


async def test_english_chrome_and_help(workspace, demo_store):
    app = tui_app(workspace, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert str(app.screen.query_one("#home-title").content) == "Inspection scoring"
        assert app.screen.query_one("#drafts").row_count == len(demo_store.drafts())
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("enter")  # open the first draft
        await settle(app, pilot)
        assert "Score" in str(app.screen.query_one("#fill-score").content)


@pytest.mark.parametrize("remembered", [False, True])
async def test_rows_read_before_r_are_the_rows_the_browser_shows(
    workspace, demo_store, monkeypatch, remembered
):
    """Home read the rows (or read them ahead behind its remembered lists): `r` shows them from
    that read, without reading the files again."""
    from inspect_kit.store.store import Store

    if remembered:  # a start before this one kept the lists (tui/home_cache.py)
        first = tui_app(workspace)
        async with first.run_test(size=(120, 40)) as pilot:
            await settle(first, pilot)
    reads = []
    original = Store.summaries_and_review_states
    monkeypatch.setattr(Store, "summaries_and_review_states",
                        lambda self: reads.append(1) or original(self))  # fmt: skip
    app = tui_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(READ_AHEAD_AFTER_S + 0.1)  # the read behind remembered lists
        await settle(app, pilot)
        assert len(reads) == 1
        await pilot.press("r")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ResultsScreen) and len(reads) == 1
        assert len(table_uuids(screen)) == len(demo_store.submissions())
