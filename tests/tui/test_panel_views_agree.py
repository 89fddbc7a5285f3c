"""Every view of a panel reads the panels service: for each built-in form on demo data, the CLI
`panel --json`, the chart data, the pack's cover counts and the TUI panel screen show the same
subjects in the same order with the same scores and grades."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner
from tui_helpers import settle, tui_app

from inspect_kit.charts import data as chart_data
from inspect_kit.cli import cli
from inspect_kit.demo.generator import demo_forms
from inspect_kit.formfiles.catalog import FormCatalog
from inspect_kit.services.panels import PanelsService
from inspect_kit.store.store import Store
from inspect_kit.tui.screens.panel import PanelScreen

FORMS = sorted(f.form.form for f in demo_forms())


@pytest.fixture
def demo_workspace(workspace):
    result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), "demo", "--subjects",
                                      "4", "--raters", "5", "--rounds", "1"])  # fmt: skip
    assert result.exit_code == 0, result.output
    return workspace


def cli_panel(workspace, form_id: str) -> dict:
    result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), "panel", form_id,
                                      "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def tui_rows(screen: PanelScreen) -> list[tuple[str, float, str]]:
    """(subject id, panel score, grade) of each row of the screen's table, top to bottom."""
    table = screen.query_one("#panel-table")
    rows = []
    for index, key in enumerate(table.rows):
        cells = [str(c) for c in table.get_row_at(index)]
        rows.append((str(key.value), float(cells[2].split()[0]), cells[3].split()[0]))
    return rows


async def test_cli_charts_pack_and_tui_read_the_same_panel(demo_workspace):
    ws = demo_workspace
    panels = PanelsService(Store(ws), FormCatalog(ws))
    expected: dict[str, list[tuple[str, float, str]]] = {}
    for form_id in FORMS:
        view = panels.panel(form_id)
        rows = [(s.subject, s.final, s.grade) for s in view.panel.subjects]
        assert rows, form_id
        expected[form_id] = rows
        counts = Counter(grade for _, _, grade in rows)

        data = cli_panel(ws, form_id)  # `inspect-kit panel --json`
        assert data["round"] == view.round
        assert [(s["subject"], s["final"], s["grade"]) for s in data["subjects"]] == rows

        ranking = chart_data.ranking_data(view)  # the ranking chart
        assert [(r.subject, r.score, r.grade) for r in ranking.rows] == rows
        hist = chart_data.hist_data(view)  # the histogram
        assert sorted(hist.scores) == sorted(score for _, score, _ in rows)
        assert sum(b.count for b in hist.bands) == len(rows)
        # the pack's cover shows the view's grade counts
        assert {g: n for g, n in view.grade_counts.items() if n} == dict(counts)

    app = tui_app(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.action_panel(FORMS[0])
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, PanelScreen)
        for form_id in FORMS:
            if screen.form_id != form_id:
                screen.query_one("#panel-form").value = form_id
                await settle(app, pilot)
            assert screen.form_id == form_id
            assert tui_rows(screen) == expected[form_id], form_id
            assert screen.rd is not None
            assert screen.rd.grade_counts == panels.panel(form_id).grade_counts
