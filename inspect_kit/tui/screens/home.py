"""The home screen: forms (items, total), drafts (progress, last saved, a badge when blocked)
and recently finalized sheets. The store is read in a worker so the first frame is quick."""

from __future__ import annotations

import heapq
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Static

from inspect_kit.base.errors import InspectKitError
from inspect_kit.formfiles.form_cache import FormSummary
from inspect_kit.i18n.catalog import fmt_points, tr
from inspect_kit.tui.bindings import localize_bindings
from inspect_kit.tui.format import short_time
from inspect_kit.tui.home_cache import DraftRow, Lists
from inspect_kit.tui.index_rows import index_rows
from inspect_kit.tui.kit_app import KitApp
from inspect_kit.tui.screens.base import KitScreen
from inspect_kit.tui.user_text import plain, plain_cells
from inspect_kit.tui.widgets.footer import KitFooter
from inspect_kit.tui.widgets.plain import Plain

RECENT = 30
FOCUS_MARK = "▶ "
"""Put before the title of the list that has the focus (shown in text, not by colour alone)."""
READ_AHEAD_AFTER_S = 0.5
"""How long after the remembered lists are on screen the index rows are read behind them (a
read started at once would hold the start up: the process is busy until it is done)."""
SECTIONS = (("forms", "home.forms"), ("drafts", "home.drafts"), ("recent", "home.recent"))
COLUMNS = {
    "forms": ("form", "title", "items", "total"),
    "drafts": ("subject", "round", "progress", "state", "saved", "rater", "form"),
    "recent": ("subject", "score", "grade", "finalized", "rater", "form"),
}
"""Each list's columns (`col.*` keys)."""


@dataclass(frozen=True)
class HomeData:
    forms: list[FormSummary]
    broken: list[str]
    drafts: list[DraftRow]
    recent: list[dict[str, Any]]
    """Index rows (Store.summaries) of the newest finalized sheets, not full records."""
    sync: list[str] = field(default_factory=list)
    """One line per laptop that reported through the sync (tui/sync_watch.py)."""
    returned: frozenset[str] = frozenset()
    """Uuids of finalized sheets the office returned for correction (newest revision)."""
    returned_mine: tuple[str, ...] = ()
    """Subject names of the returned sheets of this laptop's rater (all when none is set),
    newest first: the home screen tells the rater."""


def load_home_data(app: KitApp) -> HomeData:
    """Everything the home screen shows, read in one go (runs in a worker thread); the lists
    are kept for the next start (tui/home_cache.py)."""
    from inspect_kit.tui import home_cache

    forms, broken = app.catalog.summaries()  # from the parsed-forms cache: nothing parsed
    key = home_cache.cache_key(app, [f.sha256 for f in forms])  # before reading: see there
    if key["main"] is None and key["drafts"] is None:
        lists: Lists = ([], [], frozenset(), ())  # a new workspace: no store yet
    else:
        lists = _read_lists(app)
    home_cache.save(app, key, lists)
    return _home_data(app, forms, broken, lists)


def remembered_home_data(app: KitApp) -> HomeData | None:
    """What the home screen showed last, if the files it was read from are unchanged (the
    start does not open the store then), else None."""
    from inspect_kit.tui import home_cache

    forms, broken = app.catalog.summaries()
    lists = home_cache.load(app, home_cache.cache_key(app, [f.sha256 for f in forms]))
    return None if lists is None else _home_data(app, forms, broken, lists)


def _home_data(app: KitApp, forms: list[FormSummary], broken: list[Any],
               lists: Lists) -> HomeData:  # fmt: skip
    from inspect_kit.tui.sync_watch import sync_lines

    drafts, recent, returned, mine = lists
    return HomeData(forms=sorted(forms, key=lambda f: f.form),
                    broken=[str(b).splitlines()[0] for b in broken], drafts=drafts,
                    recent=recent, returned=returned, returned_mine=mine,
                    sync=sync_lines(app.workspace, app.lang))  # fmt: skip


def _read_lists(app: KitApp) -> Lists:
    """(drafts, the newest finalized sheets, the returned ones' uuids, the subjects of this
    rater's returned sheets) from the store."""
    drafts: list[DraftRow] = []
    store = app.store
    for record in store.drafts():
        try:
            sheet = store.load_sheet(record, app.catalog.by_sha(record["form_sha256"]))
        except InspectKitError:
            continue
        score = sheet.score()
        drafts.append(DraftRow(sheet.uuid, sheet.subject_name, sheet.round, sheet.form.form,
                               sheet.rater, sheet.progress(score), short_time(sheet.saved_at),
                               bool(sheet.blockers(score))))  # fmt: skip
    # Index rows only (Store.summaries): no archive shard is opened for the home screen.
    finals = [row for row in index_rows(store) if row["status"] == "final"]
    # The newest first; only RECENT are listed, so the 100k others are not sorted (nlargest is
    # sorted(..., reverse=True)[:n], ties in the same order).
    recent = heapq.nlargest(RECENT, finals, key=_finalized)
    returned = sorted(returned_sheets(app, finals), key=_finalized, reverse=True)
    rater = app.settings.rater
    mine = tuple(d["subject_name"] for d in returned if not rater or d["rater"] == rater)
    return drafts, recent, frozenset(d["uuid"] for d in returned), mine


def _finalized(row: dict[str, Any]) -> str:
    return row.get("finalized_at") or ""


def returned_sheets(app: KitApp, finals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The final sheets whose newest revision the office returned, in the order given."""
    from inspect_kit.domain.sheet_review import state_of
    from inspect_kit.tui.review_states import review_states

    states = review_states(app.store)
    if not states:
        return []
    return [d for d in finals if state_of(states, d["uuid"], d["revision"]).state == "returned"]


class HomeScreen(KitScreen[None]):
    """The lists; what is picked here is opened by the app (see its `on_home_screen_*`)."""

    class _FromHome(Message):
        """A request from the home screen, handled by the app (`control` is the screen)."""

        def __init__(self, home: HomeScreen) -> None:
            super().__init__()
            self.home = home

        @property
        def control(self) -> HomeScreen:
            return self.home

    class NewSheet(_FromHome):
        """Start a sheet, on this form if one is given."""

        def __init__(self, home: HomeScreen, form_id: str | None) -> None:
            super().__init__(home)
            self.form_id = form_id

    class OpenDraft(_FromHome):
        """Resume this draft on the fill screen."""

        def __init__(self, home: HomeScreen, sheet_uuid: str) -> None:
            super().__init__(home)
            self.sheet_uuid = sheet_uuid

    class DeleteDraft(_FromHome):
        """The user confirmed deleting this draft; the lists are read again afterwards."""

        def __init__(self, home: HomeScreen, sheet_uuid: str) -> None:
            super().__init__(home)
            self.sheet_uuid = sheet_uuid

    class ShowResults(Message):
        """Open the results browser."""

    class ShowPanel(Message):
        """Open the panel view, on this form if one is given."""

        def __init__(self, home: HomeScreen, form_id: str | None) -> None:
            super().__init__()
            self.home, self.form_id = home, form_id

        @property
        def control(self) -> HomeScreen:
            return self.home

    BINDINGS = [
        Binding("n", "new_sheet", "新建", id="home.new"),
        Binding("r", "results", "结果", id="home.results"),
        Binding("p", "panel", "汇总", id="home.panel"),
        Binding("z", "rectify", "整改", id="home.rectify"),
        Binding("f5", "refresh", "刷新", id="home.refresh"),
        Binding("delete", "delete_draft", "删除草稿", id="home.delete_draft", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: HomeData | None = None
        self._refocus = False
        self._started = False
        localize_bindings(self, self.lang)

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Plain(tr("app.title", lang), id="home-title")
        yield Plain("", id="home-sync")  # which laptop reported what and when (hidden: no sync)
        for table_id, key in SECTIONS:
            yield Plain(tr(key, lang), id=f"{table_id}-heading", classes="home-heading")
            yield DataTable(id=table_id, cursor_type="row", zebra_stripes=True)
        yield Plain("", id="home-message")
        yield KitFooter()

    def on_mount(self) -> None:
        lang = self.lang
        for table_id, keys in COLUMNS.items():
            # Text, not str: a str label is parsed as markup (and loads rich's emoji table).
            labels = [plain(tr(f"col.{key}", lang)) for key in keys]
            self.query_one(f"#{table_id}", DataTable).add_columns(*labels)
        # Unchanged files: the lists as read last time (~5 ms: one small file, no store), put
        # in the tables just after the first layout. Before it, or posted from a thread, they
        # cost the first frame a second pass over the tables (20-40 ms of a ~280 ms start).
        try:
            remembered = remembered_home_data(self.app)
        except Exception:  # whatever it is, the worker's read of the store meets and reports it
            remembered = None
        if remembered is None:
            self.query_one("#home-message", Static).update(tr("home.loading", lang))
            self.reload()
        else:
            self.call_after_refresh(self._show_remembered, remembered)

    def on_screen_resume(self) -> None:
        if self._started:  # back from another screen: a sheet may have changed the lists
            self._refocus = True  # the drafts list is what matters now
            self.reload()
        self._started = True  # Textual resumes the default screen once at the start

    class Loaded(Message):
        """The reload worker read the lists."""

        def __init__(self, data: HomeData) -> None:
            super().__init__()
            self.data = data

    @work(thread=True, exclusive=True, group="home", exit_on_error=False)
    def reload(self) -> None:
        """Read the lists in a thread; a failure is shown by the app's one error display."""
        self.post_message(self.Loaded(load_home_data(self.app)))

    def on_home_screen_loaded(self, event: HomeScreen.Loaded) -> None:
        self.show_data(event.data)

    def _show_remembered(self, data: HomeData) -> None:
        self.show_data(data)
        # The rows behind them once the start is over: the first frame never waits for them.
        self.set_timer(READ_AHEAD_AFTER_S, self.read_ahead, name="read-ahead")

    @work(thread=True, exclusive=True, group="read-ahead", exit_on_error=False)
    def read_ahead(self) -> None:
        """After a start that listed the remembered lists without the store: read the index
        rows now, while the user looks at them, as every later list does (the results browser
        `r`, this screen again on return or F5), so the first of those finds them read."""
        from inspect_kit.tui.index_rows import lists

        # Nothing is shown from here: a damaged file is reported by the screen that lists it.
        with suppress(InspectKitError, OSError):
            lists(self.app.store)

    def show_data(self, data: HomeData) -> None:
        first = self.data is None or self._refocus
        self._refocus = False
        self.data = data
        lang = self.lang
        forms = self.query_one("#forms", DataTable)
        forms.clear()
        for form in data.forms:
            total = fmt_points(form.total) + (f"+{form.bonus_cap:g}" if form.bonus_cap else "")
            forms.add_row(*plain_cells([form.form, form.title_for(lang), str(form.item_count),
                                        total]), key=form.form)  # fmt: skip
        drafts = self.query_one("#drafts", DataTable)
        drafts.clear()
        for row in data.drafts:
            state = tr("state.blocked" if row.blocked else "state.ready", lang)
            cells = [row.subject, row.round, f"{row.progress:.0%}", state, row.saved, row.rater,
                     row.form]  # fmt: skip
            drafts.add_row(*plain_cells(cells), key=row.uuid)
        recent = self.query_one("#recent", DataTable)
        recent.clear()
        for doc in data.recent:
            total = fmt_points(doc["total"]) + (f"+{doc['bonus']:g}" if doc["bonus"] else "")
            grade = self.app.grade_name(doc["form"], doc["grade"])
            grade += f" {tr('state.veto', lang)}" if doc["vetoed"] else ""
            if doc["uuid"] in data.returned:
                grade += f" · {tr('oreview.state.returned', lang)}"
            recent.add_row(*plain_cells([doc["subject_name"], total, grade,
                                         short_time(doc.get("finalized_at")), doc["rater"],
                                         doc["form"]]), key=doc["uuid"])  # fmt: skip
        message = ""
        if data.broken:
            message = tr("home.broken", lang, n=len(data.broken), first=data.broken[0])
        elif data.returned_mine:
            message = tr("oreview.home.returned", lang, n=len(data.returned_mine),
                         subject=data.returned_mine[0])  # fmt: skip
        elif not data.drafts:
            message = tr("home.no_drafts", lang)
        self.query_one("#home-message", Static).update(plain(message))
        sync_line = self.query_one("#home-sync", Static)
        sync_line.update(plain("\n".join(data.sync)))
        sync_line.display = bool(data.sync)
        if first or not isinstance(self.focused, DataTable):
            (drafts if data.drafts else forms).focus()

    def on_descendant_focus(self) -> None:
        self._mark_focused_heading()

    def on_descendant_blur(self) -> None:
        self._mark_focused_heading()

    def _mark_focused_heading(self) -> None:
        """Mark the focused list's title with ▶ (and a class for its style)."""
        focused = self.focused
        for table_id, key in SECTIONS:
            marked = focused is not None and focused.id == table_id
            heading = self.query_one(f"#{table_id}-heading", Static)
            heading.update((FOCUS_MARK if marked else "") + tr(key, self.lang))
            heading.set_class(marked, "-focused")

    # ------------------------------------------------------------ actions

    @on(DataTable.RowSelected, "#forms")
    def _form_picked(self, event: DataTable.RowSelected) -> None:
        self.post_message(self.NewSheet(self, str(event.row_key.value)))

    @on(DataTable.RowSelected, "#drafts")
    def _draft_picked(self, event: DataTable.RowSelected) -> None:
        self.post_message(self.OpenDraft(self, str(event.row_key.value)))

    @on(DataTable.RowSelected, "#recent")
    def _recent_picked(self, event: DataTable.RowSelected) -> None:
        from inspect_kit.tui.screens.results import SheetDetailScreen

        self.app.push_screen(SheetDetailScreen(str(event.row_key.value)))

    def action_new_sheet(self) -> None:
        forms = self.query_one("#forms", DataTable)
        form_id = None
        if forms.row_count and forms.has_focus:
            form_id = str(forms.coordinate_to_cell_key(forms.cursor_coordinate).row_key.value)
        self.post_message(self.NewSheet(self, form_id))

    def action_results(self) -> None:
        self.post_message(self.ShowResults())

    def action_panel(self) -> None:
        """The panel view; for the highlighted form when the forms list has the focus."""
        forms = self.query_one("#forms", DataTable)
        form_id = None
        if forms.row_count and forms.has_focus:
            form_id = str(forms.coordinate_to_cell_key(forms.cursor_coordinate).row_key.value)
        self.post_message(self.ShowPanel(self, form_id))

    def action_rectify(self) -> None:
        """The 整改 screen: open and overdue rectification items."""
        from inspect_kit.tui.screens.rectify import RectifyScreen

        self.app.push_screen(RectifyScreen())

    def action_refresh(self) -> None:
        self.reload()

    def action_delete_draft(self) -> None:
        from inspect_kit.tui.screens.dialogs import ConfirmScreen

        drafts = self.query_one("#drafts", DataTable)
        if not drafts.has_focus or not drafts.row_count:
            return
        uuid = str(drafts.coordinate_to_cell_key(drafts.cursor_coordinate).row_key.value)
        row = next((r for r in (self.data.drafts if self.data else []) if r.uuid == uuid), None)
        question = (
            f"删除草稿“{row.subject if row else uuid[:8]}”？此操作不能撤销。"
            if self.lang != "en"
            else f"Delete the draft for {row.subject if row else uuid[:8]}? This cannot be undone."
        )

        def done(yes: bool | None) -> None:
            if yes:
                self.post_message(self.DeleteDraft(self, uuid))

        self.app.push_screen(ConfirmScreen(question), done)
