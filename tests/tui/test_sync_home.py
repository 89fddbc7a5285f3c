"""The open app imports what the sync delivered and shows which laptop reported, on the home
screen; without sync set up it shows nothing of it and starts no timer."""

from __future__ import annotations

import asyncio
import shutil

from textual.widgets import DataTable, Static
from tui_helpers import settle, tui_app

from inspect_kit.base.paths import Workspace
from inspect_kit.base.sync_config import Peer, SyncPaths, SyncSettings, save_sync_settings
from inspect_kit.demo.generator import DemoPlan, build_demo
from inspect_kit.services.drafts import DraftsService
from inspect_kit.services.outbox import outbox_bundles
from inspect_kit.store.store import Store
from inspect_kit.tui import sync_watch

OFFICE = "OFFICE1-AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD-EEEEEEE-FFFFFFF-GGGGGGG"
LAPTOP = "LAPTOP1-AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD-EEEEEEE-FFFFFFF-GGGGGGG"


def _laptop_bundle(tmp_path, edu_form, monkeypatch):
    root = tmp_path / "laptop"
    (root / "forms").mkdir(parents=True)
    laptop = Workspace(root)
    save_sync_settings(laptop, SyncSettings(LAPTOP, "127.0.0.1:1"))
    roster, finals, _ = build_demo([edu_form], DemoPlan(subjects=2, raters=1, rounds=1, seed=3))
    with monkeypatch.context() as m:
        m.setenv("INSPECT_KIT_KEY", str(tmp_path / "laptop-key.pem"))
        store = Store(laptop)
        store.add_subjects(roster)
        DraftsService(store, laptop, None).finalize_many(finals)  # type: ignore[arg-type]
    (bundle,) = outbox_bundles(laptop, LAPTOP)
    return bundle, {d["uuid"] for d in store.submissions()}


async def test_the_app_imports_arriving_bundles_and_names_the_laptop(
    workspace, edu_form, tmp_path, monkeypatch
):
    monkeypatch.setattr(sync_watch, "EVERY_S", 0.2)
    bundle, uuids = _laptop_bundle(tmp_path, edu_form, monkeypatch)
    settings = SyncSettings(OFFICE, "127.0.0.1:1", peers={LAPTOP: Peer("王建国的电脑")})
    save_sync_settings(workspace, settings)
    app = tui_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        line = app.screen.query_one("#home-sync", Static)
        assert line.display and "王建国的电脑" in str(line.render()) and "—" in str(line.render())
        inbox = SyncPaths.of(workspace).inbox / LAPTOP
        inbox.mkdir(parents=True)
        shutil.copy2(bundle, inbox / bundle.name)  # Syncthing delivers it
        for _ in range(50):
            await asyncio.sleep(0.1)
            await settle(app, pilot)
            if "已导入 1 包" in str(line.render()):
                break
        shown = str(line.render())
        assert "王建国的电脑" in shown and f"已导入 1 包 / {len(uuids)} 张" in shown, shown
        recent = app.screen.query_one("#recent", DataTable)
        assert recent.row_count == len(uuids)  # the home lists were read again
    stored = {d["uuid"] for d in Store(workspace).submissions()}
    assert stored == uuids


async def test_without_sync_the_home_screen_shows_no_sync_line(workspace, store):
    app = tui_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert not app.screen.query_one("#home-sync", Static).display
        assert not [t for t in app._timers if getattr(t, "name", "") == "sync-inbox"]
    assert not (workspace.root / "sync").exists()
