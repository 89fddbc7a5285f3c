"""The results browser over 10 000 sheets (issue 11 item 9): every row is filtered and sorted,
the table is filled a page at a time, so it opens as fast as a small one. The store is built the
way the benchmark builds its big archives (benchmarks/bench.py build_archive)."""

from __future__ import annotations

import time

import pytest
from tui_helpers import settle, tui_app

from benchmarks.bench import build_archive
from inspect_kit.base.paths import Workspace
from inspect_kit.store.store import Store
from inspect_kit.tui.screens.results import PAGE, ResultsScreen

CPU_LIMIT_S = 1.0
"""CPU seconds to open the browser on 10 000 sheets (0.25-0.4 s measured here; filling the whole
DataTable took several seconds). CPU, not wall time: the test machine is shared."""


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Workspace:
    root = tmp_path_factory.mktemp("big")
    archive = build_archive(root, 10_000)
    assert archive.sheets == 10_000
    return Workspace(root)


async def test_ten_thousand_sheets_open_a_page_at_a_time(big):
    rows = Store(big).summaries()
    app = tui_app(big)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        wall, cpu = time.perf_counter(), time.process_time()
        await pilot.press("r")
        await settle(app, pilot)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        table = screen.query_one("#results-table")
        assert len(screen.shown) == len(rows) > 9000 and table.row_count == PAGE
        assert f"共 {len(rows)} 张" in str(screen.query_one("#results-count").render())
        newest = max(rows, key=lambda r: r["finalized_at"])["finalized_at"]
        first = table.coordinate_to_cell_key((0, 0)).row_key.value
        assert next(r for r in rows if r["uuid"] == first)["finalized_at"] == newest
        print(f"results browser on {len(rows)} sheets: {wall:.3f} s wall, {cpu:.3f} s CPU")
        assert cpu < CPU_LIMIT_S

        await pilot.press(*["pagedown"] * 4)  # the cursor near the last filled row: one more page
        await settle(app, pilot)
        assert table.row_count == 2 * PAGE and table.cursor_row >= PAGE - 10
        table.scroll_end(animate=False)  # so does scrolling to the end (the mouse wheel)
        await settle(app, pilot)
        assert table.row_count == 3 * PAGE

        name = rows[-1]["subject_name"]
        await pilot.press("slash", *name, "enter")  # the text filter runs over every row
        await settle(app, pilot)
        wanted = [r for r in rows if name in r["subject_name"]]
        assert len(screen.shown) == len(wanted) and table.row_count == min(PAGE, len(wanted))
        shown = {table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)}
        assert shown <= {r["uuid"] for r in wanted}
