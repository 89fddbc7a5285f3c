"""The Textual app: home, new sheet, fill, review, results, and moving between them.
`make_app()` is shared by the CLI, `results amend`, `serve` and the tests; it receives the
store, catalog and settings the CLI built. Nothing here assumes a real terminal."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from inspect_kit.base.errors import InspectKitError
from inspect_kit.i18n.catalog import tr
from inspect_kit.tui import palette
from inspect_kit.tui.bindings import localize_bindings
from inspect_kit.tui.kit_app import KitApp

if TYPE_CHECKING:
    from inspect_kit.base.config import Settings
    from inspect_kit.base.paths import Workspace
    from inspect_kit.formfiles.catalog import FormCatalog
    from inspect_kit.services.drafts import DraftSession  # the store loads after the first frame
    from inspect_kit.store.store import Store
    from inspect_kit.tui.screens.home import HomeScreen
    from inspect_kit.tui.screens.new_sheet import NewSheetRequest
    from inspect_kit.tui.screens.results import ResultsScreen, SheetDetailScreen


_SETTLED = [False]


def _settle_start_heap() -> None:
    """Move what is alive when the first app is built (the modules and classes imported for it,
    the catalog) out of the cyclic collector's way: it lives as long as the process, yet a full
    collection during the first frame walked all of it (15 ms of the 10k first frame). Objects
    still die by reference count; only cycles alive now stay. Once per process, before any
    screen exists, so no screen or later data is ever pinned (tests build many apps)."""
    if not _SETTLED[0]:
        _SETTLED[0] = True
        gc.freeze()


class InspectApp(KitApp):
    # The home screen is the default screen, whose CSS_PATH Textual does not load: list it here.
    # The results browser's too: a screen's own CSS_PATH, read when it is first pushed, makes
    # Textual parse the whole stylesheet again and restyle every widget (~45 ms at each first
    # `r`); read with the rest it costs the start ~2 ms. (A screen's CSS is global either way.)
    CSS_PATH = ["app.tcss", "screens/home.tcss", "screens/results.tcss"]
    BINDINGS = [
        Binding("f1,question_mark", "help", "帮助", id="app.help"),
    ]

    def __init__(self, workspace: Workspace, *, store: Callable[[], Store], catalog: FormCatalog,
                 settings: Settings, lang: str, open_draft: str | None = None) -> None:  # fmt: skip
        super().__init__(workspace, store=store, catalog=catalog, settings=settings, lang=lang)
        from inspect_kit.store.parsing import long_running  # not the database module: no tinydb yet

        long_running()  # this process stays up: no heap freezes that would keep old screens
        _settle_start_heap()
        self.initial_draft = open_draft
        self.title = tr("app.title", lang)
        localize_bindings(self, lang)

    def get_default_screen(self) -> Screen:
        from inspect_kit.tui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        from inspect_kit.tui.sync_watch import watch_inbox

        watch_inbox(self)  # imports what other laptops sent, while the app is open
        if self.initial_draft:
            self.open_draft(self.initial_draft)

    # ------------------------------------------------------------ sheets

    def open_draft(self, sheet_uuid: str) -> bool:
        """Resume a draft on the fill screen (refused if another window has it open)."""
        try:
            session = self.drafts.resume(sheet_uuid)
        except InspectKitError as exc:
            self.notify(exc.render(self.lang), severity="error", timeout=10)
            return False
        self._push_fill(session)
        return True

    def _push_fill(self, session: DraftSession) -> None:
        from inspect_kit.tui.screens.fill import FillScreen

        self.push_screen(FillScreen(session))

    def action_new_sheet(self, form_id: str | None = None) -> None:
        from inspect_kit.domain.sheet import current_round
        from inspect_kit.tui.screens.new_sheet import NewSheetScreen

        self.forms, _ = self.catalog.scan()  # parsed once per text (formfiles.form_cache)
        settings = self.settings
        screen = NewSheetScreen(self.forms, form_id, settings.rater,
                                settings.round or current_round())  # fmt: skip
        self.push_screen(screen, self.start_sheet)

    def start_sheet(self, request: NewSheetRequest | None) -> None:
        if request is None:
            return
        from inspect_kit.base.config import update_setting

        try:
            session = self.drafts.start(
                request.loaded, subject=request.subject.id, subject_name=request.subject.name,
                rater=request.rater, round=request.round,
            )  # fmt: skip
        except InspectKitError as exc:
            self.notify(exc.render(self.lang), severity="error", timeout=10)
            return
        if self.settings.rater != request.rater:
            # Remembered for the next sheet; failing to remember must not stop the inspection.
            with contextlib.suppress(InspectKitError, OSError):
                self.settings = update_setting("rater", request.rater)
        self._push_fill(session)

    def delete_draft(self, sheet_uuid: str) -> None:
        try:
            self.drafts.delete(sheet_uuid)
        except InspectKitError as exc:
            self.notify(exc.render(self.lang), severity="error")

    # ------------------------------------------------------------ what the screens ask for

    def on_home_screen_new_sheet(self, event: HomeScreen.NewSheet) -> None:
        self.action_new_sheet(event.form_id)

    def on_home_screen_open_draft(self, event: HomeScreen.OpenDraft) -> None:
        self.open_draft(event.sheet_uuid)

    def on_home_screen_delete_draft(self, event: HomeScreen.DeleteDraft) -> None:
        self.delete_draft(event.sheet_uuid)
        event.control.reload()

    def on_home_screen_show_results(self) -> None:
        self.action_results()

    def on_home_screen_show_panel(self, event: HomeScreen.ShowPanel) -> None:
        self.action_panel(event.form_id)

    def on_results_screen_show_panel(self, event: ResultsScreen.ShowPanel) -> None:
        self.action_panel(event.form_id, event.round)

    def on_sheet_detail_screen_amended(self, event: SheetDetailScreen.Amended) -> None:
        self.open_draft(event.sheet_uuid)  # the same path as make_app(open_draft=...)

    # ------------------------------------------------------------ other screens

    def action_results(self) -> None:
        from inspect_kit.tui.screens.results import ResultsScreen

        if not isinstance(self.screen, ResultsScreen):
            self.push_screen(ResultsScreen())

    def action_panel(self, form_id: str | None = None, round_: str | None = None) -> None:
        from inspect_kit.tui.screens.panel import PanelScreen

        if not isinstance(self.screen, PanelScreen):
            self.push_screen(PanelScreen(form_id, round_))

    def action_home(self) -> None:
        from inspect_kit.tui.screens.fill import FillScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, FillScreen):
            self.pop_screen()

    def action_help(self) -> None:
        from inspect_kit.tui.screens.dialogs import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

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
        yield from palette.system_commands(self, screen)  # in place of Textual's English ones

    def action_command_palette(self) -> None:
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(palette.KitCommandPalette(self.lang))

    def action_help_quit(self) -> None:
        palette.quit_hint(self)

    @on(events.DeliveryComplete)
    def _screenshot_saved(self, event: events.DeliveryComplete) -> None:
        palette.delivery_done(self, event)

    @on(events.DeliveryFailed)
    def _screenshot_failed(self, event: events.DeliveryFailed) -> None:
        palette.delivery_failed(self, event)


def make_app(workspace: Workspace, *, store: Callable[[], Store], catalog: FormCatalog,
             settings: Settings, lang: str | None = None,
             open_draft: str | None = None) -> InspectApp:  # fmt: skip
    """The TUI for a workspace, on what the CLI built: `store` opens the Store on first use
    (so the first frame does not wait for it), `lang` defaults to the settings' language, and
    `open_draft` (a draft uuid) opens the fill screen on it."""
    return InspectApp(workspace, store=store, catalog=catalog, settings=settings,
                      lang=lang or settings.lang, open_draft=open_draft)  # fmt: skip
