"""The base of every screen: the typed app (`getters.app`), the language held once on the app,
the screen's own help text, its keys worded in that language (footer, help), and forwarding
of failed workers to the app's one error display."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import getters
from textual.binding import ActiveBinding
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from inspect_kit.i18n.catalog import tr
from inspect_kit.tui.bindings import localize_active
from inspect_kit.tui.kit_app import KitApp

ResultT = TypeVar("ResultT")


class KitScreen(Screen[ResultT]):
    app = getters.app(KitApp)
    HELP_KEY: ClassVar[str | None] = None
    """The `tr` key of help about this screen, shown under its key list by the help screen."""

    @property
    def lang(self) -> str:
        return self.app.lang

    def help_text(self) -> str:
        return tr(self.HELP_KEY, self.lang) if self.HELP_KEY else ""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """What the footer and the help screen list, in the interface language."""
        return localize_active(super().active_bindings, self.lang)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.worker_failed(event.worker, event.worker.error)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        """Show the error (once, by the app); screens that show more extend this."""
        self.app.show_error(error)


class KitModal(ModalScreen[ResultT]):
    app = getters.app(KitApp)
    HELP_KEY: ClassVar[str | None] = None
    """The `tr` key of help about this dialog, shown under its key list by the help screen."""

    @property
    def lang(self) -> str:
        return self.app.lang

    def help_text(self) -> str:
        return tr(self.HELP_KEY, self.lang) if self.HELP_KEY else ""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """What the footer and the help screen list, in the interface language."""
        return localize_active(super().active_bindings, self.lang)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.app.show_error(event.worker.error)
