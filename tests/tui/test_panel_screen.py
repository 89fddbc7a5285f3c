"""The panel view: its table equals compute_panel; charts and the meeting pack render in a worker
and the screen shows the paths written (or a plain-words error)."""

from __future__ import annotations

import pytest
from tui_helpers import settle, tui_app

from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
from inspect_kit.domain.panel import compute_panel
from inspect_kit.domain.panel_rounds import newest_round, rounds_for
from inspect_kit.tui.screens.dialogs import PickScreen
from inspect_kit.tui.screens.panel import PanelScreen

FORM = "edu-base-inspection"


@pytest.fixture
def panel_store(store):
    """4 subjects × 5 raters × 2 rounds per built-in form (trimmed mean applies)."""
    roster, finals, _ = build_demo(demo_forms(), DemoPlan(subjects=4, raters=5, rounds=2,
                                                          seed=11, drafts=0))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    return store


def table_rows(screen) -> list[list[str]]:
    table = screen.query_one("#panel-table")
    return [[str(c) for c in table.get_row_at(r)] for r in range(table.row_count)]


def expected_panel(store, builtin_forms, form_id: str, round_: str | None = None):
    records = store.submissions(form=form_id)
    return compute_panel(builtin_forms[form_id].form, records,
                         round_ or newest_round(records, form_id))  # fmt: skip


async def open_panel(app, pilot, form_id: str = FORM) -> PanelScreen:
    await settle(app, pilot)
    forms = app.screen.query_one("#forms")
    forms.focus()
    row = [forms.coordinate_to_cell_key((r, 0)).row_key.value for r in range(forms.row_count)]
    forms.move_cursor(row=row.index(form_id))
    await pilot.press("p")
    await settle(app, pilot)
    assert isinstance(app.screen, PanelScreen)
    return app.screen


async def test_panel_table_matches_compute_panel(workspace, panel_store, builtin_forms):
    app = tui_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_panel(app, pilot)
        expected = expected_panel(panel_store, builtin_forms, FORM)
        assert screen.round == expected.round  # the newest round by default
        rows = table_rows(screen)
        assert len(rows) == len(expected.subjects) == 4
        for row, subject in zip(rows, expected.subjects, strict=True):
            rank, name, score, grade, spread, veto, raters = row
            assert int(rank) == subject.rank
            assert name == subject.subject_name
            totals = raters.split()
            assert [float(t.strip("()")) for t in totals] == list(subject.rater_totals)
            # the trimmed mean (5 raters) drops one highest and one lowest: two in brackets
            assert sum(t.startswith("(") for t in totals) == len(subject.dropped) == 2
            assert float(score.split()[0]) == subject.final
            assert ("加分" in score) == bool(subject.bonus)  # 加分 earned of possible
            assert grade.split()[0] == subject.grade
            assert ("⚠" in spread) == subject.spread_flag
            assert float(spread.split()[0]) == subject.spread
            assert ("✗" in veto) == subject.vetoed
        # ranks never go down the table
        assert [int(r[0]) for r in rows] == sorted(int(r[0]) for r in rows)

        # the highlighted subject's raters below the table; leniency beside it
        await pilot.press("down")
        await settle(app, pilot)
        second = expected.subjects[1]
        text = str(screen.query_one("#panel-subject").content)
        assert second.subject_name in text
        assert all(sheet.rater in text for sheet in second.sheets)
        leniency = str(screen.query_one("#panel-leniency").content)
        assert all(x.rater in leniency for x in expected.leniency)

        # the older round
        older = rounds_for(panel_store.submissions(form=FORM), FORM)[0]
        screen.query_one("#panel-round").value = older
        await settle(app, pilot)
        assert screen.round == older
        old = expected_panel(panel_store, builtin_forms, FORM, older)
        assert [r[1] for r in table_rows(screen)] == [s.subject_name for s in old.subjects]
        assert [r[2].split()[0] for r in table_rows(screen)] == [
            s.fmt(s.final)
            for s in old.subjects  # the form's decimals
        ]


async def test_panel_reached_from_results_and_palette_form(workspace, panel_store):
    app = tui_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        app.screen.query_one("#filter-form").value = "four-oclock-school"
        await settle(app, pilot)
        app.screen.query_one("#results-table").focus()
        await pilot.press("p")
        await settle(app, pilot)
        assert isinstance(app.screen, PanelScreen)
        assert app.screen.form_id == "four-oclock-school"
        assert app.screen.rd.panel.subjects
        assert any("汇总" in c.title for c in app.get_system_commands(app.screen))


async def test_chart_action_writes_png(workspace, panel_store):
    app = tui_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_panel(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, PickScreen)
        await pilot.press("enter")  # the first kind: hist
        await settle(app, pilot)
        path = workspace.results_dir / "charts" / f"{FORM}-{screen.round}-hist.png"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert screen.last_written == [path]
        assert str(path) in str(screen.query_one("#panel-status").content)
        assert not screen.busy and not screen.query_one("#panel-progress").display

        # radar for the highlighted subject
        await pilot.press("down")
        subject = screen.selected_subject().subject
        screen.render_chart("radar")
        await settle(app, pilot)
        radar = workspace.results_dir / "charts" / f"{FORM}-{screen.round}-radar-{subject}.png"
        assert radar.read_bytes()[:4] == b"\x89PNG"


async def test_chart_failure_is_one_plain_line(workspace, panel_store):
    (workspace.results_dir / "charts").write_text("a file where the folder should be")
    app = tui_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_panel(app, pilot)
        screen.render_chart("ranking")
        await settle(app, pilot)
        status = str(screen.query_one("#panel-status").content)
        assert status.startswith("✗ 生成失败") and "Traceback" not in status
        assert not screen.busy and screen.last_written == []
        assert app.is_running


async def test_report_action_writes_pdf(workspace, panel_store):
    from pypdf import PdfReader

    app = tui_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_panel(app, pilot)
        seen: list[tuple[int, int]] = []
        show = screen._show_progress
        screen._show_progress = lambda done, total, what: (seen.append((done, total)),
                                                           show(done, total, what))  # fmt: skip
        await pilot.press("m")
        await settle(app, pilot)
        path = workspace.results_dir / f"{FORM}-{screen.round}-会议材料.pdf"
        pages = len(PdfReader(path).pages)
        assert pages > len(screen.rd.panel.subjects)
        assert seen[-1][0] == seen[-1][1] and len(seen) == seen[-1][1] + 1
        status = str(screen.query_one("#panel-status").content)
        assert str(path) in status and f"{pages} 页" in status


async def test_en_panel_shows_grades_by_the_forms_grade_en(workspace, panel_store, builtin_forms):
    form = builtin_forms[FORM].form
    english = {g.grade: g.grade_en for g in form.grades}
    app = tui_app(workspace, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_panel(app, pilot)
        expected = expected_panel(panel_store, builtin_forms, FORM)
        rows = table_rows(screen)
        for row, subject in zip(rows, expected.subjects, strict=True):
            assert row[3].startswith(english[subject.grade]), (row[3], subject.grade)
