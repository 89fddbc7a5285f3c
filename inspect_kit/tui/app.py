"""The Textual app: home, new sheet, fill, review, results. `make_app()` is shared by the CLI,
`results amend`, `serve` and the tests. Nothing here assumes a real terminal."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from functools import cached_property

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from inspect_kit.base.errors import InspectKitError
from inspect_kit.base.paths import Workspace
from inspect_kit.formfiles.catalog import FormCatalog
from inspect_kit.formfiles.loader import LoadedForm
from inspect_kit.i18n.catalog import localize_bindings, tr
from inspect_kit.services.draft_lock import holding
from inspect_kit.services.drafts import DraftSession
from inspect_kit.services.revisions import Revisions


class InspectApp(App[None]):
    # The home screen is the default screen, whose CSS_PATH Textual does not load: list it here.
    CSS_PATH = ["app.tcss", "screens/home.tcss"]
    BINDINGS = [
        Binding("f1,question_mark", "help", "帮助", id="app.help"),
    ]

    def __init__(self, workspace: Workspace, *, lang: str = "zh",
                 open_draft: str | None = None) -> None:  # fmt: skip
        super().__init__()
        from inspect_kit.store.database import long_running

        long_running()  # this process stays up: no heap freezes that would keep old screens
        self.workspace = workspace
        self.lang = lang
        self.initial_draft = open_draft
        self.forms: list[LoadedForm] = []
        self.title = tr("app.title", lang)
        localize_bindings(self, lang)

    # Built on first use so the first frame does not wait for disk reads.
    @cached_property
    def store(self):
        from inspect_kit.store.store import Store

        self.workspace.db_path.parent.mkdir(parents=True, exist_ok=True)
        return Store(self.workspace)

    @cached_property
    def revisions(self) -> Revisions:
        return Revisions(self.store, self.workspace, self.lang)

    @cached_property
    def catalog(self) -> FormCatalog:
        return FormCatalog(self.workspace)

    def get_default_screen(self) -> Screen:
        from inspect_kit.tui.screens.home import HomeScreen

        return HomeScreen(self.lang)

    def on_mount(self) -> None:
        if self.initial_draft:
            self.open_draft(self.initial_draft)

    # ------------------------------------------------------------ sheets

    def open_draft(self, sheet_uuid: str) -> bool:
        """Resume a draft on the fill screen (refused if another window has it open)."""
        try:
            session = DraftSession.resume(self.store, self.workspace, self.catalog, sheet_uuid,
                                          lang=self.lang)  # fmt: skip
        except InspectKitError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return False
        self._push_fill(session)
        return True

    def _push_fill(self, session: DraftSession) -> None:
        from inspect_kit.tui.screens.fill import FillScreen

        self.push_screen(FillScreen(session, self.lang))

    def action_new_sheet(self, form_id: str | None = None) -> None:
        from inspect_kit.base.config import load_settings
        from inspect_kit.domain.sheet import current_round
        from inspect_kit.tui.screens.new_sheet import NewSheetScreen

        if not self.forms:
            self.forms, _ = self.catalog.scan()
        settings = load_settings()
        screen = NewSheetScreen(self.forms, form_id, settings.rater,
                                settings.round or current_round(), self.lang)  # fmt: skip
        self.push_screen(screen, self.start_sheet)

    def start_sheet(self, request) -> None:
        if request is None:
            return
        from inspect_kit.base.config import load_settings, update_setting

        try:
            session = DraftSession.start(
                self.store, self.workspace, request.loaded, subject=request.subject.id,
                subject_name=request.subject.name, rater=request.rater, round=request.round,
                lang=self.lang,
            )  # fmt: skip
        except InspectKitError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        if load_settings().rater != request.rater:
            # Remembered for the next sheet; failing to remember must not stop the inspection.
            with contextlib.suppress(InspectKitError, OSError):
                update_setting("rater", request.rater)
        self._push_fill(session)

    def delete_draft(self, sheet_uuid: str) -> None:
        try:
            with holding(self.workspace, sheet_uuid, self.lang):
                self.store.delete_draft(sheet_uuid)
        except InspectKitError as exc:
            self.notify(str(exc), severity="error")

    # ------------------------------------------------------------ other screens

    def action_results(self) -> None:
        from inspect_kit.tui.screens.results import ResultsScreen

        if not isinstance(self.screen, ResultsScreen):
            self.push_screen(ResultsScreen(self.lang))

    def action_panel(self, form_id: str | None = None, round_: str | None = None) -> None:
        from inspect_kit.tui.screens.panel import PanelScreen

        if not isinstance(self.screen, PanelScreen):
            self.push_screen(PanelScreen(self.lang, form_id, round_))

    def action_home(self) -> None:
        from inspect_kit.tui.screens.fill import FillScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, FillScreen):
            self.pop_screen()

    def action_help(self) -> None:
        from inspect_kit.tui.screens.dialogs import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen, self.lang))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        lang = self.lang
        yield SystemCommand(tr("cmd.new", lang), tr("cmd.new_help", lang), self.action_new_sheet)
        yield SystemCommand(tr("cmd.results", lang), tr("cmd.results_help", lang),
                            self.action_results)  # fmt: skip
        yield SystemCommand(tr("cmd.panel", lang), tr("cmd.panel_help", lang), self.action_panel)
        from inspect_kit.tui.screens.panel import PanelScreen

        if isinstance(screen, PanelScreen):
            yield SystemCommand(tr("cmd.chart", lang), tr("cmd.chart_help", lang),
                                screen.action_chart)  # fmt: skip
            yield SystemCommand(tr("cmd.report", lang), tr("cmd.report_help", lang),
                                screen.action_report)  # fmt: skip
        yield SystemCommand(tr("cmd.home", lang), tr("cmd.home_help", lang), self.action_home)
        yield SystemCommand(tr("cmd.help", lang), tr("cmd.help_help", lang), self.action_help)
        yield from super().get_system_commands(screen)


def make_app(workspace: Workspace, *, lang: str = "zh", open_draft: str | None = None) -> App:
    """The TUI for a workspace; `open_draft` (a draft uuid) opens the fill screen on it."""
    return InspectApp(workspace, lang=lang, open_draft=open_draft)
