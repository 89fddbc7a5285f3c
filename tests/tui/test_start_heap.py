"""The app's start moves the heap alive at that moment out of the cyclic collector's way, once
per process (tui/app.py `_settle_start_heap`), and nothing opened later is pinned by it: a
closed screen is still collected. Collection pauses only while the app is imported and built
(cli/tui_cmd.py `tui_app`)."""

from __future__ import annotations

import gc
import weakref

import pytest
from tui_helpers import settle, tui_app

from inspect_kit.tui import app as app_module


@pytest.fixture
def first_app_of_the_process(monkeypatch):
    monkeypatch.setattr(app_module, "_SETTLED", [False])
    yield
    gc.unfreeze()  # the rest of the test session collects as before


def test_collection_is_on_again_once_the_app_is_built_or_failed_to_build(workspace, monkeypatch):
    tui_app(workspace)
    assert gc.isenabled()

    def broken(*args, **kwargs):
        raise RuntimeError("no app")

    monkeypatch.setattr(app_module, "make_app", broken)
    with pytest.raises(RuntimeError):
        tui_app(workspace)
    assert gc.isenabled()


def test_the_first_app_settles_the_start_heap_and_later_ones_do_not(
    workspace, first_app_of_the_process
):
    tui_app(workspace)
    frozen = gc.get_freeze_count()
    assert frozen > 0
    gc.unfreeze()
    tui_app(workspace)
    assert gc.get_freeze_count() == 0


async def test_a_closed_screen_is_still_collected(workspace, first_app_of_the_process):
    app = tui_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")  # the results browser, opened after the start
        await settle(app, pilot)
        results = weakref.ref(app.screen)
        assert type(app.screen).__name__ == "ResultsScreen"
        app.pop_screen()
        await settle(app, pilot)
        gc.collect()
        assert results() is None
