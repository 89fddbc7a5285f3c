"""`inspect-kit tui` (and plain `inspect-kit`): the full-screen app, composed from the Kit."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

import click

from inspect_kit.cli import Kit, pass_kit, require_terminal

if TYPE_CHECKING:
    from inspect_kit.tui.app import InspectApp


def tui_app(kit: Kit, open_draft: str | None = None) -> InspectApp:
    """The app on the Kit's workspace, catalog and settings; the store opens on first use so
    the first frame does not wait for it. Shared by `tui`, `results amend` and the tests."""
    # What is imported here lives as long as the process: no collection passes while it loads
    # (the app then moves it out of the collector's way, tui/app.py _settle_start_heap).
    collecting = gc.isenabled()
    gc.disable()
    try:
        from inspect_kit.tui.app import make_app  # textual only loads here

        return make_app(kit.workspace, store=lambda: kit.store, catalog=kit.catalog,
                        settings=kit.settings, lang=kit.lang, open_draft=open_draft)  # fmt: skip
    finally:
        if collecting:
            gc.enable()


@click.command()
@click.option("--draft", "open_draft", default=None, help="Open this draft (uuid) directly.")
@pass_kit
def tui(kit: Kit, open_draft: str | None) -> None:
    """全屏界面 / the full-screen app: fill, resume drafts, browse results."""
    from inspect_kit.i18n.catalog import tr

    fill = kit.command("fill", "FORM", "--subject", "ID", "--answers", "FILE")
    hint = tr("cli.tui.no_terminal", kit.lang, tui=kit.command(), fill=fill)
    require_terminal(tr("cli.what.tui", kit.lang), hint, kit.lang)
    tui_app(kit, open_draft).run()
