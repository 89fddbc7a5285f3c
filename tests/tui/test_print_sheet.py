"""The sheet detail's print action writes that sheet's A4 检查记录表 (issue 12 item 7)."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from tui_helpers import settle, tui_app

from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
from inspect_kit.tui.screens.results import SheetDetailScreen


@pytest.fixture
def small_store(store):
    forms = [f for f in demo_forms() if f.form.form == "four-oclock-school"]
    roster, finals, _ = build_demo(forms, DemoPlan(subjects=1, raters=1, rounds=1, seed=3,
                                                   drafts=0, self_assessments=0))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    return store


async def test_p_prints_the_sheet_record(workspace, small_store):
    doc = small_store.submissions()[0]
    app = tui_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.push_screen(SheetDetailScreen(doc["uuid"]))
        await settle(app, pilot)
        await pilot.press("p")
        for _ in range(40):  # the worker typesets in a thread
            await settle(app, pilot)
            if list((workspace.results_dir / "prints").glob("*.pdf")):
                break
        [path] = list((workspace.results_dir / "prints").glob("*.pdf"))
        assert doc["uuid"][:8] in path.name
        text = "".join(p.extract_text() for p in PdfReader(path).pages)
        assert doc["subject_name"] in text and "检查记录表" in text
        assert isinstance(app.screen, SheetDetailScreen)
