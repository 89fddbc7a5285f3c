"""Names, rater names and notes are shown as typed, never as markup or terminal control: a
subject named `紫荆[/red]学校` neither crashes a screen nor turns into styling, links or actions."""

from __future__ import annotations

from dataclasses import replace

import pytest
from rich.text import Text
from textual.widgets import DataTable, OptionList, Static
from tui_helpers import settle, tui_app

from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms

pytestmark = pytest.mark.reliability

HOSTILE = [
    "紫荆[/red]学校",
    "[bold]粗体[/bold]基地",
    "[link=https://evil.example]点我[/link]",
    "[@click=app.quit]退出[/]",
    "标题\x1b]0;pwned\x07\x1b[2J基地",
]
SHOWN = [*HOSTILE[:4], "标题\ufffd\ufffd基地"]
RATER = "[red]张三[/red]\r李四"


@pytest.fixture
def hostile_store(store):
    roster, finals, _ = build_demo(demo_forms(), DemoPlan(subjects=5, raters=2, rounds=1,
                                                          seed=3, drafts=0))  # fmt: skip
    edu = [s for s in roster if s.kind == "education-base"][:5]
    names = dict(zip((s.id for s in edu), HOSTILE, strict=True))
    store.add_subjects([replace(s, name=names[s.id]) if s.id in names else s for s in roster])
    kept = []
    for sheet, loaded in finals:
        if sheet.subject in names:
            sheet.subject_name = names[sheet.subject]
            sheet.rater = RATER if sheet.rater == finals[0][0].rater else sheet.rater
            kept.append((sheet, loaded))
    store.bulk_finalize(kept)
    return store


def cells(table: DataTable, column: int) -> list[object]:
    return [table.get_cell_at((r, column)) for r in range(table.row_count)]


def assert_literal(cell: object, expected: set[str]) -> str:
    assert isinstance(cell, Text), cell  # a str cell would be parsed as markup
    assert cell.spans == [] and not cell.style, cell.spans  # no styling, link or action
    assert cell.plain in expected, cell.plain
    return cell.plain


async def test_hostile_names_render_literally_on_home_results_and_panel(workspace, hostile_store):
    expected = set(SHOWN)
    app = tui_app(workspace)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        recent = app.screen.query_one("#recent", DataTable)
        shown = {assert_literal(c, expected) for c in cells(recent, 0)}
        assert shown == expected
        raters = {str(c) for c in cells(recent, 4)}
        assert "[red]张三[/red]\ufffd李四" in raters
        screen_text = app.export_screenshot()
        assert "紫荆[/red]学校" in screen_text.replace("&#160;", " ")

        app.action_results()
        await settle(app, pilot)
        table = app.screen.query_one("#results-table", DataTable)
        assert {assert_literal(c, expected) for c in cells(table, 0)} == expected

        app.action_panel("edu-base-inspection")
        await settle(app, pilot)
        table = app.screen.query_one("#panel-table", DataTable)
        assert {assert_literal(c, expected) for c in cells(table, 1)} == expected
        subject = app.screen.query_one("#panel-subject", Static)
        assert isinstance(subject.content, Text)
        assert any(n in subject.content.plain for n in SHOWN)
        assert "\x1b" not in subject.content.plain
        assert app.is_running  # [@click=app.quit] did not run


async def test_hostile_names_in_the_new_sheet_subject_list(workspace, hostile_store):
    app = tui_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        listing = app.screen.query_one("#new-subjects", OptionList)
        prompts = [listing.get_option_at_index(i).prompt for i in range(listing.option_count)]
        assert all(isinstance(p, Text) and p.spans == [] for p in prompts)
        assert any(p.plain.startswith("紫荆[/red]学校") for p in prompts)
        assert not any("\x1b" in p.plain for p in prompts)
