"""The command palette (Ctrl+P) in the interface language: its placeholder, its "no matches"
line, its keys, and the system commands the kit offers in place of Textual's English ones.

Textual's Keys panel and theme picker are left out: the kit's own help (F1) lists the keys in
the interface language, and theme names exist only in English.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.align import Align
from rich.text import Text
from textual import events
from textual.app import SystemCommand
from textual.binding import ActiveBinding
from textual.command import CommandList, CommandPalette
from textual.screen import Screen
from textual.widgets.option_list import Option

from inspect_kit.i18n.catalog import tr
from inspect_kit.tui.bindings import localize_active

if TYPE_CHECKING:
    from inspect_kit.tui.kit_app import KitApp

SCREENSHOT = "kit-screenshot"
"""Delivery name of the palette's screenshot (Textual words its own "screenshot" in English)."""


class KitCommandPalette(CommandPalette):
    """Textual's palette with the kit's wording."""

    def __init__(self, lang: str) -> None:
        super().__init__(id="--command-palette", placeholder=tr("palette.placeholder", lang))
        self.lang = lang

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return localize_active(super().active_bindings, self.lang)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own version adds a fixed English "No matches found" line; this is the same
        # countdown with the line in the interface language.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(tr("palette.no_matches", self.lang), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )  # fmt: skip
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


def system_commands(app: KitApp, screen: Screen) -> Iterable[SystemCommand]:
    """Quit, maximize/minimize and screenshot, worded in the app's language."""
    lang = app.lang
    yield SystemCommand(tr("cmd.quit", lang), tr("cmd.quit_help", lang), app.action_quit)
    if screen.maximized is not None:
        yield SystemCommand(tr("cmd.minimize", lang), tr("cmd.minimize_help", lang),
                            screen.action_minimize)  # fmt: skip
    elif screen.focused is not None and screen.focused.allow_maximize:
        yield SystemCommand(tr("cmd.maximize", lang), tr("cmd.maximize_help", lang),
                            screen.action_maximize)  # fmt: skip
    yield SystemCommand(tr("cmd.screenshot", lang), tr("cmd.screenshot_help", lang),
                        lambda: app.set_timer(0.1, lambda: save_screenshot(app)))  # fmt: skip


def save_screenshot(app: KitApp) -> None:
    """The screen as SVG: saved to the downloads folder, or offered by the browser (serve)."""
    from datetime import datetime
    from io import StringIO

    app.deliver_text(StringIO(app.export_screenshot()), open_method="browser",
                     save_filename=f"inspect-kit-{datetime.now():%Y%m%d-%H%M%S}.svg",
                     mime_type="image/svg+xml", name=SCREENSHOT)  # fmt: skip


def delivery_done(app: KitApp, event: events.DeliveryComplete) -> None:
    if event.name == SCREENSHOT:
        app.notify(tr("screenshot.saved", app.lang, path=str(event.path or "")))


def delivery_failed(app: KitApp, event: events.DeliveryFailed) -> None:
    if event.name == SCREENSHOT:
        app.notify(tr("screenshot.failed", app.lang), severity="error")


def quit_hint(app: KitApp) -> None:
    """Ctrl+C does not quit a Textual app; say which key does, in the app's language."""
    for active in app.active_bindings.values():
        if active.binding.action in ("quit", "app.quit"):
            app.notify(tr("app.quit_hint", app.lang, keys=app.get_key_display(active.binding)))
            return
