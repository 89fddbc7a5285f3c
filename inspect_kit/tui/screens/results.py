"""The results browser: finalized sheets filterable by form, round, subject, rater and grade,
sortable by any column. Every row is filtered and sorted, but the table is filled a page at a
time (more as the cursor nears the end), so 10 000 sheets open as fast as 100. One sheet's
detail is `sheet_detail.SheetDetailScreen` (re-exported here)."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from inspect_kit.i18n.catalog import fmt_points, tr
from inspect_kit.tui.bindings import localize_bindings
from inspect_kit.tui.format import short_time
from inspect_kit.tui.index_rows import index_rows, signature
from inspect_kit.tui.screens.base import KitScreen
from inspect_kit.tui.screens.sheet_detail import SheetDetailScreen, detail_lines
from inspect_kit.tui.user_text import plain_cells
from inspect_kit.tui.widgets.footer import KitFooter
from inspect_kit.tui.widgets.lazy_select import LazySelect
from inspect_kit.tui.widgets.plain import Plain

__all__ = ["COLUMNS", "ResultsScreen", "SheetDetailScreen", "detail_lines", "filter_docs"]

COLUMNS = ("subject", "score", "grade", "state", "round", "rater", "form", "finalized")
FILTERS = ("form", "round", "rater", "grade")
PAGE = 60
"""Rows put in the table at first and each time the cursor (or the scroll) comes near the last
one: a DataTable row costs about a millisecond to add, so 10 000 at once took seconds."""
AHEAD = 10
"""How near the last filled row the cursor or the scroll comes before the next page is added."""


def _state(doc: dict[str, Any]) -> str:
    return "state.void" if doc["status"] == "void" else (
        "state.veto" if doc["vetoed"] else "state.final")  # fmt: skip


SORT_KEYS = {
    "subject": lambda d: d["subject_name"],
    "score": lambda d: (d["final"] is None, d["final"] or 0),
    "grade": lambda d: d["grade"], "state": _state, "round": lambda d: str(d["round"]),
    "rater": lambda d: d["rater"], "form": lambda d: d["form"],
    "finalized": lambda d: d.get("finalized_at") or "",
}  # fmt: skip
"""Sort keys read from the index row itself (no cell is formatted to sort 10 000 rows)."""


def row_values(doc: dict[str, Any], lang: str) -> dict[str, Any]:
    """The table cells of one index row (Store.summaries), not a full record."""
    state = _state(doc)
    return {
        "subject": doc["subject_name"], "form": doc["form"], "round": doc["round"],
        "rater": doc["rater"], "score": doc["final"], "grade": doc["grade"],
        "state": tr(state, lang), "finalized": short_time(doc.get("finalized_at")),
    }  # fmt: skip


def filter_docs(docs: list[dict[str, Any]], *, form: str | None = None, round: str | None = None,
                rater: str | None = None, grade: str | None = None,
                subject: str = "") -> list[dict[str, Any]]:  # fmt: skip
    needle = subject.strip().lower()
    return [d for d in docs
            if (form is None or d["form"] == form) and (round is None or d["round"] == round)
            and (rater is None or d["rater"] == rater)
            and (grade is None or d["grade"] == grade)
            and (not needle or needle in d["subject_name"].lower()
                 or needle in d["subject"].lower())]  # fmt: skip


class ResultsScreen(KitScreen[None]):
    class ShowPanel(Message):
        """Open the panel view of this form and round (None: the app picks)."""

        def __init__(self, screen: ResultsScreen, form_id: str | None,
                     round_: str | None) -> None:  # fmt: skip
            super().__init__()
            self.screen, self.form_id, self.round = screen, form_id, round_

        @property
        def control(self) -> ResultsScreen:
            return self.screen

    class Loaded(Message):
        """The load worker read the index rows, the office review states and the forms that
        require review."""

        def __init__(self, docs: list[dict[str, Any]], states: dict[Any, Any],
                     required: frozenset[str]) -> None:  # fmt: skip
            super().__init__()
            self.docs, self.states, self.required = docs, states, required

    CSS_PATH = "results.tcss"
    BINDINGS = [
        Binding("escape", "back", "返回", id="results.back"),
        Binding("s", "sort", "排序", id="results.sort"),
        Binding("slash,ctrl+f", "filter", "筛选", id="results.filter"),
        Binding("p", "panel", "汇总", id="results.panel"),
        Binding("a", "amend", "修订", id="results.amend"),
        Binding("v", "void", "作废", id="results.void"),
        Binding("o", "approve", "审核通过", id="results.approve"),
        Binding("t", "return_sheet", "退回", id="results.return_sheet"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.docs: list[dict[str, Any]] = []
        self.shown: list[dict[str, Any]] = []
        """The filtered rows in sorted order; the table holds the first `filled` of them."""
        self.filled = 0
        self.read_from: tuple[Any, ...] | None = None
        """The database file version the rows were read from (index_rows.signature)."""
        self.sort_column = "finalized"
        self.sort_reverse = True
        self.reviews: dict[Any, Any] = {}
        """(uuid, revision) → office review state (read by load)."""
        self.review_forms: frozenset[str] = frozenset()
        """Forms that say `review: required`."""
        localize_bindings(self, self.lang)

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Plain(tr("results.title", lang), id="results-title")
        with Horizontal(id="results-filters"):
            for name in FILTERS:
                # Built into a real Select when first used: four cost ~80 ms at every opening.
                yield LazySelect(f"{tr('col.' + name, lang)}: {tr('results.all', lang)}",
                                 id=f"filter-{name}")  # fmt: skip
            yield Input(placeholder=tr("results.subject_filter", lang), id="filter-subject",
                        compact=True)  # fmt: skip
        yield DataTable(id="results-table", cursor_type="row", zebra_stripes=True)
        yield Plain(tr("home.loading", lang), id="results-count")
        yield KitFooter()

    def on_mount(self) -> None:
        table = self.query_one("#results-table", DataTable)
        for name in COLUMNS:
            table.add_column(tr(f"col.{name}", self.lang), key=name)
        table.focus()
        self.watch(table, "scroll_y", self._scrolled, init=False)  # the wheel, too
        self.load()  # the store is opened in the worker: this frame does not wait for it

    @work(thread=True, exclusive=True, group="results", exit_on_error=False)
    def load(self) -> None:
        # Index rows only: the shards are opened by the detail view, one sheet at a time. The
        # rows and the review states come in one message: the table is drawn once, not once
        # without the states and again with them (a full draw costs a tenth of a second). Both
        # come from one read of the files, cached per file version (index_rows.read_lists), so
        # what the home screen just read is reused.
        from inspect_kit.tui.review_states import review_states

        store = self.app.store
        self.read_from = signature(store)
        docs = index_rows(store)
        states = dict(review_states(store))
        forms, _ = self.app.catalog.summaries()  # from the parsed-forms cache: nothing parsed
        required = frozenset(f.form for f in forms if f.review_required)
        self.post_message(self.Loaded(docs, states, required))

    def on_results_screen_loaded(self, event: ResultsScreen.Loaded) -> None:
        self.reviews, self.review_forms = event.states, event.required
        self.show_docs(event.docs)

    def on_screen_resume(self) -> None:
        # A sheet may have been amended, voided or reviewed meanwhile: read again if changed.
        if self.docs and (self.read_from is None or self.read_from != signature(self.app.store)):
            self.load()

    def show_docs(self, docs: list[dict[str, Any]]) -> None:
        self.docs = docs
        values = {
            "form": sorted({d["form"] for d in docs}),
            "round": sorted({d["round"] for d in docs}, reverse=True),
            "rater": sorted({d["rater"] for d in docs}),
            "grade": sorted({d["grade"] for d in docs}),
        }
        for name in FILTERS:
            choices = [(v, v) for v in values[name]]
            self.query_one(f"#filter-{name}", LazySelect).set_options(choices)
        self.apply_filters()

    def _filter_value(self, name: str) -> str | None:
        value = self.query_one(f"#filter-{name}", LazySelect).value
        return None if value is None else str(value)

    def apply_filters(self) -> None:
        self.shown = filter_docs(
            self.docs, form=self._filter_value("form"), round=self._filter_value("round"),
            rater=self._filter_value("rater"), grade=self._filter_value("grade"),
            subject=self.query_one("#filter-subject", Input).value,
        )  # fmt: skip
        self._render_rows()

    def _render_rows(self) -> None:
        key = SORT_KEYS[self.sort_column]
        self.shown.sort(key=key, reverse=self.sort_reverse)
        table = self.query_one("#results-table", DataTable)
        table.clear()
        self.filled = 0
        self._fill_more()
        self._show_count()

    def _fill_more(self) -> None:
        """Add the next page of sorted rows to the table."""
        table = self.query_one("#results-table", DataTable)
        lang = self.lang
        page = self.shown[self.filled : self.filled + PAGE]
        for doc in page:
            values = row_values(doc, lang)
            values["grade"] = self.app.grade_name(doc["form"], values["grade"])
            if review := self._review_word(doc):  # a plain 已提交 says no more than it
                plain_final = _state(doc) == "state.final"
                values["state"] = review if plain_final else f"{values['state']} · {review}"
            cells = [fmt_points(values[c]) if c == "score" else values[c] for c in COLUMNS]
            table.add_row(*plain_cells(cells), key=doc["uuid"])
        self.filled += len(page)

    def _review_word(self, doc: dict[str, Any]) -> str:
        from inspect_kit.domain.sheet_review import listed_state

        if not (self.reviews or self.review_forms):
            return ""
        state = listed_state(doc, self.reviews, doc["form"] in self.review_forms)
        return tr(f"oreview.state.{state}", self.lang) if state else ""

    def _show_count(self) -> None:
        lang = self.lang
        arrow = "↓" if self.sort_reverse else "↑"
        column = tr(f"col.{self.sort_column}", lang)
        self.query_one("#results-count", Static).update(
            f"{tr('results.count', lang, n=len(self.shown))} · "
            f"{tr('results.sorted', lang, col=column)} {arrow}"
        )

    @on(DataTable.RowHighlighted, "#results-table")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if self.filled < len(self.shown) and event.cursor_row >= self.filled - AHEAD:
            self._fill_more()

    def _scrolled(self, scroll_y: float) -> None:
        table = self.query_one("#results-table", DataTable)
        if self.filled < len(self.shown) and scroll_y >= table.max_scroll_y - AHEAD:
            self._fill_more()

    @on(LazySelect.Changed)
    @on(Input.Changed, "#filter-subject")
    def _filters_changed(self) -> None:
        self.apply_filters()

    @on(Input.Submitted, "#filter-subject")
    def _subject_done(self) -> None:
        self.query_one("#results-table").focus()

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        self.sort_by(str(event.column_key.value))

    def sort_by(self, column: str) -> None:
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, column in ("score", "finalized")
        self._render_rows()

    def action_sort(self) -> None:
        table = self.query_one("#results-table", DataTable)
        self.sort_by(COLUMNS[table.cursor_column] if table.cursor_type == "cell" else
                     COLUMNS[(COLUMNS.index(self.sort_column) + 1) % len(COLUMNS)])  # fmt: skip

    def action_filter(self) -> None:
        """`/` (or Ctrl+F): the subject text filter; Tab goes on to the drop-downs."""
        self.query_one("#filter-subject").focus()

    def _highlighted(self) -> str | None:
        table = self.query_one("#results-table", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value)

    def action_amend(self) -> None:
        """`a` in the list: the highlighted sheet's detail, asking for the amendment reason."""
        if (uuid := self._highlighted()) is not None:
            self.app.push_screen(SheetDetailScreen(uuid, then="amend"))

    def action_void(self) -> None:
        """`v` in the list: the highlighted sheet's detail, asking for the void reason."""
        if (uuid := self._highlighted()) is not None:
            self.app.push_screen(SheetDetailScreen(uuid, then="void"))

    def action_approve(self) -> None:
        """`o` in the list: the highlighted sheet's detail, asking to approve it."""
        if (uuid := self._highlighted()) is not None:
            self.app.push_screen(SheetDetailScreen(uuid, then="approve"))

    def action_return_sheet(self) -> None:
        """`t` in the list: the highlighted sheet's detail, asking why it is returned."""
        if (uuid := self._highlighted()) is not None:
            self.app.push_screen(SheetDetailScreen(uuid, then="return_sheet"))

    def action_panel(self) -> None:
        """The panel of the filtered form and round, else of the highlighted sheet's."""
        form, round_ = self._filter_value("form"), self._filter_value("round")
        uuid = self._highlighted()
        if form is None and uuid is not None:
            doc = next((d for d in self.shown if d["uuid"] == uuid), None)
            if doc is not None:
                form, round_ = doc["form"], round_ or doc["round"]
        self.post_message(self.ShowPanel(self, form, round_))

    @on(DataTable.RowSelected, "#results-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(SheetDetailScreen(str(event.row_key.value)))

    def action_back(self) -> None:
        self.dismiss(None)
