"""Office review in the app (issue 13): `o` approves and `t` returns with a reason, on the sheet
detail and from the results browser; the store holds signed events with who and when; a
returned sheet tells its rater why and its amendment starts with that reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import settle, tui_app

from inspect_kit.base.config import update_setting
from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
from inspect_kit.domain.sheet_review import APPROVED, RETURNED
from inspect_kit.tui.screens.dialogs import ConfirmScreen, ReasonScreen
from inspect_kit.tui.screens.fill import FillScreen
from inspect_kit.tui.screens.home import HomeScreen
from inspect_kit.tui.screens.results import ResultsScreen, SheetDetailScreen

FORM = "edu-base-inspection"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def reviewed_store(workspace, store):
    text = (REPO / "forms" / f"{FORM}.yaml").read_text(encoding="utf-8")
    (workspace.root / "forms" / f"{FORM}.yaml").write_text(
        text.replace("\ndeduction_note:", "\nreview: required\ndeduction_note:"), encoding="utf-8"
    )
    forms = [f for f in demo_forms() if f.form.form == FORM]
    roster, finals, _ = build_demo(forms, DemoPlan(subjects=2, raters=2, rounds=1, seed=3,
                                                   drafts=0, self_assessments=0))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    update_setting("reviewer", "办公室李")
    return store


def detail_text(app) -> str:
    return str(app.screen.query_one("#detail-text").content)


def decisions(store, uuid: str) -> list[tuple[str, int, str]]:
    return [(e["event"], e["revision"], e["by"]) for e in store.events(uuid)
            if e["event"] in (APPROVED, RETURNED)]  # fmt: skip


async def test_approve_and_return_from_the_app_are_stored_as_events(workspace, reviewed_store):
    store = reviewed_store
    first, second = sorted(store.submissions(), key=lambda d: d["uuid"])[:2]
    app = tui_app(workspace)
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(app, pilot)
        app.push_screen(SheetDetailScreen(first["uuid"]))
        await settle(app, pilot)
        assert "审核：待审核" in detail_text(app)
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#yes")
        await settle(app, pilot)
        assert isinstance(app.screen, SheetDetailScreen)
        assert store.review_state(first["uuid"], 1).state == "approved"
        assert decisions(store, first["uuid"]) == [(APPROVED, 1, "办公室李")]
        for _ in range(40):  # the detail re-reads the store when its file changes (a timer)
            if "审核：审核通过（办公室李" in detail_text(app):
                break
            await pilot.pause(0.1)
        assert "审核：审核通过（办公室李" in detail_text(app)
        await pilot.press("escape")
        await settle(app, pilot)

        # From the results browser: `t` on the highlighted sheet asks why, then returns it.
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultsScreen)
        table = app.screen.query_one("#results-table")
        keys = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]
        table.move_cursor(row=keys.index(second["uuid"]))
        states = {key: str(table.get_row_at(i)[3]) for i, key in enumerate(keys)}
        assert "审核通过" in states[first["uuid"]] and "待审核" in states[second["uuid"]]
        await pilot.press("t")
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonScreen)
        await pilot.press("enter")  # a return needs a reason: refused at the field
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonScreen)
        await pilot.press(*"照片不清", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SheetDetailScreen)
        state = store.review_state(second["uuid"], 1)
        assert state.state == "returned" and state.reason == "照片不清"
        assert decisions(store, second["uuid"]) == [(RETURNED, 1, "办公室李")]
        event = [e for e in store.events(second["uuid"]) if e["event"] == RETURNED][0]
        assert event["at"] and event["sig"] and event["reason"] == "照片不清"
        assert "已被退回：照片不清" in detail_text(app)

        # The rater corrects it: the amendment starts with the return's reason.
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonScreen)
        assert app.screen.query_one("#reason-input").value == "按退回意见修改：照片不清"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, FillScreen)
        draft = store.draft(second["uuid"])
        assert draft["revision"] == 2 and draft["amend_reason"] == "按退回意见修改：照片不清"

    # The panel counts the approved sheet and not the returned one.
    from inspect_kit.formfiles.catalog import FormCatalog
    from inspect_kit.services.panels import PanelsService

    view = PanelsService(store, FormCatalog(workspace)).panel(FORM)
    counted = {s.uuid for subject in view.panel.subjects for s in subject.sheets}
    assert first["uuid"] in counted and second["uuid"] not in counted
    assert view.review.returned == 1


async def test_the_home_screen_tells_the_rater_of_a_returned_sheet(workspace, reviewed_store):
    store = reviewed_store
    doc = store.submissions()[0]
    store.review(doc["uuid"], "returned", "办公室李", "第三项扣分理由不清")
    app = tui_app(workspace)
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        message = str(app.screen.query_one("#home-message").content)
        assert "1 张评分表被退回" in message and doc["subject_name"] in message
        recent = app.screen.query_one("#recent")
        keys = [
            recent.coordinate_to_cell_key((i, 0)).row_key.value for i in range(recent.row_count)
        ]
        grades = {key: str(recent.get_row_at(i)[2]) for i, key in enumerate(keys)}
        assert "退回" in grades[doc["uuid"]]
        assert sum("退回" in g for g in grades.values()) == 1
