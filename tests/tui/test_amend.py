"""Amend and void from the sheet detail: a required reason, the store's revisions and events,
the fill screen on the new draft, the history shown with who, when and why."""

from __future__ import annotations

import pytest
from tui_helpers import settle, tui_app

from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
from inspect_kit.tui.screens.dialogs import ReasonScreen
from inspect_kit.tui.screens.fill import FillScreen
from inspect_kit.tui.screens.results import SheetDetailScreen


@pytest.fixture
def small_store(store):
    forms = [f for f in demo_forms() if f.form.form == "four-oclock-school"]
    roster, finals, _ = build_demo(forms, DemoPlan(subjects=2, raters=2, rounds=1, seed=3,
                                                   drafts=0, self_assessments=0))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    return store


async def open_detail(app, pilot, sheet_uuid: str) -> SheetDetailScreen:
    await settle(app, pilot)
    app.push_screen(SheetDetailScreen(sheet_uuid))
    await settle(app, pilot)
    assert isinstance(app.screen, SheetDetailScreen)
    return app.screen


def detail_text(app) -> str:
    return str(app.screen.query_one("#detail-text").content)


async def test_amend_needs_a_reason_and_opens_the_new_draft(workspace, small_store):
    doc = small_store.submissions()[0]
    app = tui_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_detail(app, pilot, doc["uuid"])
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonScreen)
        await pilot.press("enter")  # empty: refused, the dialog stays
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonScreen)
        assert "理由不能为空" in str(app.screen.query_one("#reason-error").content)
        await pilot.press(*"  ", "enter")  # blanks only: refused too
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonScreen)
        assert small_store.drafts() == []

        await pilot.press(*"漏记一处扣分", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, FillScreen)
        sheet = app.screen.sheet
        assert (sheet.uuid, sheet.revision, sheet.supersedes) == (doc["uuid"], 2, 1)
        assert sheet.amend_reason == "漏记一处扣分"
        draft = small_store.draft(doc["uuid"])
        assert draft["revision"] == 2 and draft["amend_reason"] == "漏记一处扣分"
        assert small_store.submission(doc["uuid"])["revision"] == 1  # the old one is kept
        opened = [e for e in small_store.events(doc["uuid"]) if e["event"] == "amend_opened"]
        assert len(opened) == 1 and opened[0]["reason"] == "漏记一处扣分"

        # back on the detail: the history says who opened the amendment and why
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, SheetDetailScreen)
        text = detail_text(app)
        assert "开始修订" in text and "漏记一处扣分" in text and "第 2 版" in text
        assert "未提交的修订草稿" in text

        # a second amendment while the first is open is refused in plain words
        await pilot.press("a")
        await settle(app, pilot)
        await pilot.press(*"再改", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SheetDetailScreen)
        assert len([d for d in small_store.drafts() if d["uuid"] == doc["uuid"]]) == 1


async def test_amended_draft_finalizes_as_revision_two(workspace, small_store):
    doc = small_store.submissions()[0]
    app = tui_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_detail(app, pilot, doc["uuid"])
        await pilot.press("a")
        await settle(app, pilot)
        await pilot.press(*"复核后更正", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, FillScreen)
        await pilot.press("f10")
        await settle(app, pilot)
        await pilot.press("f10")  # confirm on the review screen
        await settle(app, pilot)
        assert isinstance(app.screen, SheetDetailScreen)
        newest = small_store.submission(doc["uuid"])
        assert (newest["revision"], newest["status"]) == (2, "final")
        assert newest["amend_reason"] == "复核后更正"
        revisions, events = small_store.history(doc["uuid"])
        assert [r["revision"] for r in revisions] == [1, 2]
        amended = [e for e in events if e["event"] == "amended"]
        assert amended and amended[0]["reason"] == "复核后更正"
        text = detail_text(app)
        assert "修订" in text and "v1" in text and "v2" in text and "复核后更正" in text


async def test_void_needs_a_reason(workspace, small_store):
    doc = small_store.submissions()[0]
    app = tui_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_detail(app, pilot, doc["uuid"])
        await pilot.press("v")
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonScreen)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonScreen)
        await pilot.press("escape")  # cancelled: nothing changes
        await settle(app, pilot)
        assert small_store.submission(doc["uuid"])["status"] == "final"

        await pilot.press("v")
        await settle(app, pilot)
        await pilot.press(*"重复录入", "enter")
        await settle(app, pilot)
        voided = small_store.submission(doc["uuid"])
        assert (voided["revision"], voided["status"]) == (2, "void")
        assert voided["amend_reason"] == "重复录入"
        revisions, events = small_store.history(doc["uuid"])
        assert [r["status"] for r in revisions] == ["final", "void"]
        assert [e["reason"] for e in events if e["event"] == "voided"] == ["重复录入"]
        text = detail_text(app)
        assert "作废" in text and "重复录入" in text and "已作废" in text

        # a void sheet cannot be amended
        await pilot.press("a")
        await settle(app, pilot)
        await pilot.press(*"改", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SheetDetailScreen)
        assert small_store.drafts() == []


async def test_detail_in_english(workspace, small_store):
    doc = small_store.submissions()[0]
    small_store.void(doc["uuid"], "entered twice", "Li")
    app = tui_app(workspace, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_detail(app, pilot, doc["uuid"])
        text = detail_text(app)
        assert "Total:" in text and "Grade:" in text and "History:" in text
        assert "voided" in text and "entered twice" in text and "Li" in text
        assert "总分：" not in text and "记录：" not in text and "附件：" not in text
