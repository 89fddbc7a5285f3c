"""Layout snapshots: home (80x24, 120x40), fill, review and panel at 80x24 (sync: snap_compare
runs the app)."""

from __future__ import annotations

import pytest
from textual.widgets import Input
from tui_helpers import tui_app

from inspect_kit.services.drafts import DraftSession

FIXED_TIME = "2026-05-01T09:30:00+08:00"


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr("inspect_kit.store.store.now_iso", lambda: FIXED_TIME)


async def _steady(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()
    await pilot.pause()


def test_home_screen_layout(snap_compare, workspace, roster):
    assert snap_compare(tui_app(workspace), terminal_size=(80, 24), run_before=_steady)


def test_fill_screen_layout(snap_compare, workspace, roster, edu_form, fixed_clock):
    session = DraftSession.start(roster, workspace, edu_form, subject="eb-002",
                                 subject_name="月湖红色记忆馆", rater="测试员",
                                 round="2026")  # fmt: skip
    session.set_value("sign-posted", "基本规范")
    session.set_position("info-posted")
    session.close()
    app = tui_app(workspace, open_draft=session.sheet.uuid)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_steady)


def test_home_screen_layout_wide(snap_compare, workspace, roster):
    assert snap_compare(tui_app(workspace), terminal_size=(120, 40), run_before=_steady)


def _draft_with_a_deduction(roster, workspace, edu_form) -> str:
    session = DraftSession.start(roster, workspace, edu_form, subject="eb-002",
                                 subject_name="月湖红色记忆馆", rater="测试员",
                                 round="2026")  # fmt: skip
    session.set_value("sign-posted", "基本规范")
    session.set_position("sign-posted")
    session.close()
    return session.sheet.uuid


def test_review_screen_layout(snap_compare, workspace, roster, edu_form, fixed_clock):
    app = tui_app(workspace, open_draft=_draft_with_a_deduction(roster, workspace, edu_form))

    async def review(pilot) -> None:
        await _steady(pilot)
        await pilot.press("f10")
        await _steady(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=review)


def test_panel_screen_layout(snap_compare, workspace, store):
    from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms

    forms = [f for f in demo_forms() if f.form.form == "edu-base-inspection"]
    roster, finals, _ = build_demo(forms, DemoPlan(subjects=5, raters=5, rounds=1, seed=5,
                                                   drafts=0), last_round=2026)  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)

    async def panel(pilot) -> None:
        await _steady(pilot)
        await pilot.press("p")
        await _steady(pilot)

    assert snap_compare(tui_app(workspace), terminal_size=(80, 24), run_before=panel)
