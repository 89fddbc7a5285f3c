"""The results browser: finalized sheets filterable by form, round, subject, rater and grade,
sortable by any column; and one sheet's detail (sections, deductions, vetoes, attachments,
history)."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable, Footer, Input, Select, Static

from inspect_kit.base.errors import InspectKitError
from inspect_kit.i18n.catalog import fmt_points, tr
from inspect_kit.tui.bindings import localize_bindings
from inspect_kit.tui.format import short_time
from inspect_kit.tui.kit_app import KitApp
from inspect_kit.tui.screens.base import KitScreen
from inspect_kit.tui.user_text import plain, plain_cells
from inspect_kit.tui.widgets.plain import Plain

COLUMNS = ("subject", "score", "grade", "state", "round", "rater", "form", "finalized")
FILTERS = ("form", "round", "rater", "grade")


def row_values(doc: dict[str, Any], lang: str) -> dict[str, Any]:
    """The table cells of one index row (Store.summaries), not a full record."""
    state = "state.void" if doc["status"] == "void" else (
        "state.veto" if doc["vetoed"] else "state.final")  # fmt: skip
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
        """The load worker read the index rows."""

        def __init__(self, docs: list[dict[str, Any]]) -> None:
            super().__init__()
            self.docs = docs

    CSS_PATH = "results.tcss"
    BINDINGS = [
        Binding("escape", "back", "返回", id="results.back"),
        Binding("s", "sort", "排序", id="results.sort"),
        Binding("slash,ctrl+f", "filter", "筛选", id="results.filter"),
        Binding("p", "panel", "汇总", id="results.panel"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.docs: list[dict[str, Any]] = []
        self.shown: list[dict[str, Any]] = []
        self.sort_column = "finalized"
        self.sort_reverse = True
        localize_bindings(self, self.lang)

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Plain(tr("results.title", lang), id="results-title")
        with Horizontal(id="results-filters"):
            for name in FILTERS:
                yield Select([], prompt=f"{tr('col.' + name, lang)}: {tr('results.all', lang)}",
                             id=f"filter-{name}", compact=True)  # fmt: skip
            yield Input(placeholder=tr("results.subject_filter", lang), id="filter-subject",
                        compact=True)  # fmt: skip
        yield DataTable(id="results-table", cursor_type="row", zebra_stripes=True)
        yield Plain(tr("home.loading", lang), id="results-count")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#results-table", DataTable)
        for name in COLUMNS:
            table.add_column(tr(f"col.{name}", self.lang), key=name)
        table.focus()
        self.load()

    @work(thread=True, exclusive=True, group="results", exit_on_error=False)
    def load(self) -> None:
        # Index rows only: the shards are opened by the detail view, one sheet at a time.
        self.post_message(self.Loaded(self.app.store.summaries(status=None)))

    def on_results_screen_loaded(self, event: ResultsScreen.Loaded) -> None:
        self.show_docs(event.docs)

    def on_screen_resume(self) -> None:
        if self.docs:
            self.load()  # a sheet may have been amended or voided meanwhile

    def show_docs(self, docs: list[dict[str, Any]]) -> None:
        self.docs = docs
        values = {
            "form": sorted({d["form"] for d in docs}),
            "round": sorted({d["round"] for d in docs}, reverse=True),
            "rater": sorted({d["rater"] for d in docs}),
            "grade": sorted({d["grade"] for d in docs}),
        }
        for name in FILTERS:
            select = self.query_one(f"#filter-{name}", Select)
            keep = None if select.is_blank() else select.value
            with select.prevent(Select.Changed):
                select.set_options([(plain(v), v) for v in values[name]])
                if keep in values[name]:
                    select.value = keep
        self.apply_filters()

    def _filter_value(self, name: str) -> str | None:
        select = self.query_one(f"#filter-{name}", Select)
        return None if select.is_blank() else str(select.value)

    def apply_filters(self) -> None:
        self.shown = filter_docs(
            self.docs, form=self._filter_value("form"), round=self._filter_value("round"),
            rater=self._filter_value("rater"), grade=self._filter_value("grade"),
            subject=self.query_one("#filter-subject", Input).value,
        )  # fmt: skip
        self._render_rows()

    def _render_rows(self) -> None:
        lang = self.lang
        rows = [(doc, row_values(doc, lang)) for doc in self.shown]
        rows.sort(key=lambda pair: (pair[1][self.sort_column] is None, pair[1][self.sort_column]),
                  reverse=self.sort_reverse)  # fmt: skip
        table = self.query_one("#results-table", DataTable)
        table.clear()
        for doc, values in rows:
            cells = [fmt_points(values[c]) if c == "score" else values[c] for c in COLUMNS]
            table.add_row(*plain_cells(cells), key=doc["uuid"])
        arrow = "↓" if self.sort_reverse else "↑"
        column = tr(f"col.{self.sort_column}", lang)
        self.query_one("#results-count", Static).update(
            f"{tr('results.count', lang, n=len(rows))} · {tr('results.sorted', lang, col=column)} {arrow}"  # noqa: E501
        )

    @on(Select.Changed)
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
        self.query_one("#filter-form").focus()

    def action_panel(self) -> None:
        """The panel of the filtered form and round, else of the highlighted sheet's."""
        form, round_ = self._filter_value("form"), self._filter_value("round")
        table = self.query_one("#results-table", DataTable)
        if form is None and table.row_count:
            uuid = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
            doc = next((d for d in self.shown if d["uuid"] == uuid), None)
            if doc is not None:
                form, round_ = doc["form"], round_ or doc["round"]
        self.post_message(self.ShowPanel(self, form, round_))

    @on(DataTable.RowSelected, "#results-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(SheetDetailScreen(str(event.row_key.value)))

    def action_back(self) -> None:
        self.dismiss(None)


def detail_lines(app: KitApp, sheet_uuid: str, lang: str) -> list[str]:
    """The sheet as text: score, sections, deductions with notes, vetoes, attachments, history
    (every revision with its reason, and who did what when and why)."""
    from inspect_kit.domain.sheet_text import sheet_lines

    store = app.store
    doc = store.submission(sheet_uuid)
    revisions, events = store.history(doc["uuid"])
    form = store.stored_form(doc["form_sha256"])
    lines = sheet_lines(form, doc, events, lang=lang)
    attachments = [(item_id, name) for item_id, answer in doc["answers"].items()
                   for name in answer.get("attachments") or ()]  # fmt: skip
    folder = app.workspace.attachments_dir / doc["uuid"]
    colon = ":" if lang == "en" else "："
    lines += ["", f"{tr('detail.attachments', lang)}{colon}"]
    lines += [f"  {folder / name}" for _, name in attachments] or [f"  {tr('detail.none', lang)}"]
    if len(revisions) > 1:
        lines += ["", f"{tr('detail.history', lang)}{colon}"]
        for rev in revisions:
            state = tr("state.void" if rev["status"] == "void" else "state.final", lang)
            reason = rev.get("amend_reason") or ""
            why = f"  {tr('review.reason', lang)}{colon}{reason}" if reason else ""
            when = short_time(rev.get("finalized_at"))
            lines.append(f"  v{rev['revision']}  {state}  {rev['score']['final']:g} "
                         f"{rev['score']['grade']}  {when}{why}")  # fmt: skip
    draft = next((d for d in store.drafts() if d["uuid"] == doc["uuid"]), None)
    if draft is not None:
        lines += ["", tr("detail.open_draft", lang, rev=draft["revision"])]
    return lines


class SheetDetailScreen(KitScreen[None]):
    class Amended(Message):
        """A new revision of the sheet was opened as a draft; the app resumes it."""

        def __init__(self, screen: SheetDetailScreen, sheet_uuid: str, revision: int) -> None:
            super().__init__()
            self.screen, self.sheet_uuid, self.revision = screen, sheet_uuid, revision

        @property
        def control(self) -> SheetDetailScreen:
            return self.screen

    class Voided(Message):
        """The sheet was voided (this revision number)."""

        def __init__(self, revision: int) -> None:
            super().__init__()
            self.revision = revision

    class Shown(Message):
        """The load worker wrote the sheet as text."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    CSS_PATH = "results.tcss"
    BINDINGS = [
        Binding("escape,q", "back", "返回", id="detail.back"),
        Binding("a", "amend", "修订", id="detail.amend"),
        Binding("v", "void", "作废", id="detail.void"),
    ]

    def __init__(self, sheet_uuid: str) -> None:
        super().__init__()
        self.sheet_uuid = sheet_uuid
        localize_bindings(self, self.lang)

    def compose(self) -> ComposeResult:
        yield Plain(tr("detail.title", self.lang), id="detail-title")
        with VerticalScroll(id="detail-body"):
            yield Plain(tr("home.loading", self.lang), id="detail-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#detail-body").focus()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()  # back from an amendment: show the new state

    @work(thread=True, exclusive=True, group="detail")
    def load(self) -> None:
        try:
            text = "\n".join(detail_lines(self.app, self.sheet_uuid, self.lang))
        except InspectKitError as exc:
            text = f"✗ {exc}"  # shown in place of the sheet, so no notification
        self.post_message(self.Shown(text))

    def on_sheet_detail_screen_shown(self, event: SheetDetailScreen.Shown) -> None:
        self.query_one("#detail-text", Static).update(plain(event.text))

    # ------------------------------------------------------------ amend and void

    def _who(self, doc_rater: str | None = None) -> str:
        return self.app.settings.rater or doc_rater or "unknown"

    def action_amend(self) -> None:
        from inspect_kit.tui.screens.dialogs import ReasonScreen

        def done(reason: str | None) -> None:
            if reason:
                self._amend(reason)

        lang = self.lang
        self.app.push_screen(ReasonScreen(tr("amend.title", lang), tr("amend.hint", lang)), done)

    @work(thread=True, exclusive=True, group="detail-change", exit_on_error=False)
    def _amend(self, reason: str) -> None:
        store = self.app.store
        doc = store.submission(self.sheet_uuid)
        sheet = self.app.revisions.amend(doc["uuid"], reason, self._who(doc["rater"]))
        self.post_message(self.Amended(self, sheet.uuid, sheet.revision))

    def on_sheet_detail_screen_amended(self, event: SheetDetailScreen.Amended) -> None:
        self.notify(tr("amend.opened", self.lang, rev=event.revision))
        # the message goes on to the app, which opens the draft as make_app(open_draft=...) does

    def action_void(self) -> None:
        from inspect_kit.tui.screens.dialogs import ReasonScreen

        def done(reason: str | None) -> None:
            if reason:
                self._void(reason)

        lang = self.lang
        self.app.push_screen(ReasonScreen(tr("void.title", lang), tr("void.hint", lang)), done)

    @work(thread=True, exclusive=True, group="detail-change", exit_on_error=False)
    def _void(self, reason: str) -> None:
        store = self.app.store
        doc = store.submission(self.sheet_uuid)
        voided = self.app.revisions.void(doc["uuid"], reason, self._who(doc["rater"]))
        self.post_message(self.Voided(voided["revision"]))

    def on_sheet_detail_screen_voided(self, event: SheetDetailScreen.Voided) -> None:
        self.notify(tr("void.done", self.lang, rev=event.revision))
        self.load()

    def action_back(self) -> None:
        self.dismiss(None)
