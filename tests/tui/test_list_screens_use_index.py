"""The home screen's recent sheets and the results browser read the `sheets` index
(Store.summaries), never every full record (Store.submissions); the detail view still opens the
one sheet it shows."""

from __future__ import annotations

import pytest
from tui_helpers import settle, tui_app

from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
from inspect_kit.i18n.catalog import fmt_points, tr
from inspect_kit.store.store import Store
from inspect_kit.tui.format import short_time
from inspect_kit.tui.screens.home import RECENT
from inspect_kit.tui.screens.results import COLUMNS, ResultsScreen, SheetDetailScreen


@pytest.fixture
def archive(store):
    roster, finals, _ = build_demo(demo_forms(), DemoPlan(subjects=3, raters=2, rounds=2, seed=11,
                                                          drafts=0))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    docs = store.submissions()
    store.void(docs[0]["uuid"], "重复录入", "测试员")  # newest revision void: not "recent"
    return store


def rows(table) -> list[tuple[str, list[str]]]:
    out = []
    for r in range(table.row_count):
        key = table.coordinate_to_cell_key((r, 0)).row_key.value
        out.append((key, [str(c) for c in table.get_row_at(r)]))
    return out


async def fill_table(app, pilot, screen) -> None:
    """Scroll the results table to its end until every listed row is in it (a page at a time)."""
    table = screen.query_one("#results-table")
    for _ in range(len(screen.shown)):
        if table.row_count == len(screen.shown):
            return
        table.scroll_end(animate=False)
        await settle(app, pilot)
    raise AssertionError(f"scrolling filled {table.row_count} of {len(screen.shown)} rows")


@pytest.fixture
def no_full_records(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a list screen loaded every full record (Store.submissions)")

    monkeypatch.setattr(Store, "submissions", refuse)


async def test_home_recent_from_the_index(workspace, archive, no_full_records):
    finals = [d for d in _full_records(archive) if d["status"] == "final"]
    finals.sort(key=lambda d: d.get("finalized_at") or "", reverse=True)
    expected = []
    for d in finals[:RECENT]:
        s = d["score"]
        total = fmt_points(s["total"]) + (f"+{s['bonus']:g}" if s["bonus"] else "")
        grade = s["grade"] + (f" {tr('state.veto', 'zh')}" if s["vetoes"] else "")
        expected.append(
            (
                d["uuid"],
                [
                    d["subject_name"],
                    total,
                    grade,
                    short_time(d["finalized_at"]),
                    d["rater"],
                    d["form"],
                ],
            )
        )
    app = tui_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert rows(app.screen.query_one("#recent")) == expected
        assert len(expected) == RECENT


async def test_results_browser_from_the_index(workspace, archive, no_full_records):
    docs = _full_records(archive)
    app = tui_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        await fill_table(app, pilot, screen)
        shown = dict(rows(screen.query_one("#results-table")))
        assert set(shown) == {d["uuid"] for d in docs}
        for d in docs:
            cells = dict(zip(COLUMNS, shown[d["uuid"]], strict=True))
            assert cells["subject"] == d["subject_name"] and cells["form"] == d["form"]
            assert cells["score"] == fmt_points(d["score"]["final"])
            assert cells["grade"] == d["score"]["grade"]
            state = "state.void" if d["status"] == "void" else (
                "state.veto" if d["score"]["vetoes"] else "state.final")  # fmt: skip
            assert cells["state"] == tr(state, "zh")
        assert any(d["status"] == "void" for d in docs)
        grades = sorted({d["score"]["grade"] for d in docs})
        screen.query_one("#filter-grade").value = grades[0]
        await settle(app, pilot)
        await fill_table(app, pilot, screen)
        assert set(dict(rows(screen.query_one("#results-table")))) == {
            d["uuid"] for d in docs if d["score"]["grade"] == grades[0]}  # fmt: skip

        await pilot.press("enter")  # the detail view: one sheet, opened through its shard
        await settle(app, pilot)
        assert isinstance(app.screen, SheetDetailScreen)
        uuid = app.screen.sheet_uuid
        text = str(app.screen.query_one("#detail-text").content)
        doc = next(d for d in docs if d["uuid"] == uuid)
        assert doc["subject_name"] in text and doc["score"]["grade"] in text


_FULL = Store.submissions


def _full_records(store: Store) -> list[dict]:
    """Every newest revision as a full record, through the real method (patched on the class)."""
    return _FULL(store)
