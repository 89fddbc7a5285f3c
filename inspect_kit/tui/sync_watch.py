"""The open app and the several-laptops sync: while the app runs in a workspace set up for sync,
a timer looks at the inbox every few seconds and imports what Syncthing delivered (in a worker
thread, through services/inbox.py, as `sync import` does), then tells the user and refreshes the
home screen; the home screen shows one line per paired device (services/sync_status.py).

The app does not start Syncthing: `inspect-kit sync run` (or Syncthing run as a service) does.
"""

from __future__ import annotations

from inspect_kit.base.paths import Workspace
from inspect_kit.base.sync_config import sync_enabled
from inspect_kit.i18n.catalog import tr
from inspect_kit.tui.format import short_time
from inspect_kit.tui.kit_app import KitApp

EVERY_S = 5.0
MAX_LINES = 6


def sync_lines(workspace: Workspace, lang: str) -> list[str]:
    """One line per device that reported (or is paired), newest first; [] before sync init."""
    if not sync_enabled(workspace):
        return []
    from inspect_kit.services.sync_status import sync_status

    status = sync_status(workspace, live=False)
    if status is None:
        return []
    rows = sorted(status.devices, key=lambda d: d.last_import or "", reverse=True)
    lines = []
    for d in rows[:MAX_LINES]:
        extra = "".join(
            tr(key, lang, n=n)
            for key, n in (("sync.app.pending", d.pending),
                           ("sync.app.quarantined", d.quarantined),
                           ("sync.app.conflicts", d.conflicts))
            if n
        )  # fmt: skip
        lines.append(tr("sync.app.line", lang, name=d.name or d.device_id[:7],
                        last=short_time(d.last_import) if d.last_import else "—",
                        imported=d.imported, sheets=d.sheets, extra=extra))  # fmt: skip
    return lines


def watch_inbox(app: KitApp) -> None:
    """Start the timer (only in a workspace set up for sync)."""
    if sync_enabled(app.workspace):
        app.set_interval(EVERY_S, lambda: _look(app), name="sync-inbox")


def _look(app: KitApp) -> None:
    app.run_worker(lambda: _import(app), thread=True, exclusive=True, group="sync-inbox",
                   exit_on_error=False)  # fmt: skip


def _import(app: KitApp) -> None:
    from inspect_kit.services.inbox import import_inbox
    from inspect_kit.services.outbox import flush_unsent

    flush_unsent(app.store, app.workspace)  # sheets a killed process left unsent
    result = import_inbox(app.store, app.workspace, who=app.settings.rater or "")
    if result.imported or result.quarantined:
        app.call_from_thread(_tell, app, len(result.imported), result.sheets_added,
                             len(result.quarantined))  # fmt: skip


def _tell(app: KitApp, bundles: int, sheets: int, quarantined: int) -> None:
    if bundles:
        app.notify(tr("sync.app.imported", app.lang, bundles=bundles, sheets=sheets))
    if quarantined:
        app.notify(tr("sync.app.quarantine_note", app.lang, n=quarantined), severity="warning")
    reload = getattr(app.screen, "reload", None)  # the home screen's lists, read again
    if callable(reload) and type(app.screen).__name__ == "HomeScreen":
        reload()
