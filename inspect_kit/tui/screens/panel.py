"""The panel view: one form's round as the review meeting sees it.

A table of subjects best first (rank, raters' totals with the ones a trimmed mean dropped in
brackets, panel score and bonus, grade, spread with ⚠ when flagged, veto ✗ with who raised it);
the highlighted subject's raters and veto notes below, the raters' leniency beside them.
Computing (the panels service) reads the form's sheets, so it runs in a worker thread; so do
charts and the meeting pack, which report progress here and show the paths they wrote.
matplotlib is imported only inside those jobs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable, ProgressBar, Select, Static
from textual.worker import Worker

from inspect_kit.base.errors import InspectKitError
from inspect_kit.domain.panel import SubjectPanel
from inspect_kit.domain.panel_view import PanelView
from inspect_kit.domain.panel_words import method_name
from inspect_kit.domain.sheet_review import tally_line
from inspect_kit.domain.trust_text import round_trust_lines, subject_trust_lines
from inspect_kit.i18n.catalog import fmt_points, tr
from inspect_kit.tui.bindings import localize_bindings
from inspect_kit.tui.kit_app import KitApp, error_text
from inspect_kit.tui.screens.base import KitScreen
from inspect_kit.tui.screens.panel_text import (
    row_cells,
    subject_lines,
    tally_text,
)
from inspect_kit.tui.user_text import plain, plain_cells
from inspect_kit.tui.widgets.footer import KitFooter
from inspect_kit.tui.widgets.plain import Plain

COLUMNS = ("rank", "subject", "score", "grade", "spread", "veto", "raters")
"""Raters' totals last: the widest column, and repeated below the table for the row."""
CHART_KINDS = ("hist", "sections", "ranking", "items", "raters")
"""Chart kinds drawn for the whole round (radar is drawn for the highlighted subject)."""


@dataclass(frozen=True)
class PanelData:
    """What the screen shows: the form and round choices and, when there are sheets, the panel."""

    forms: list[tuple[str, str]]
    """(form id, title) of every form in the catalog."""
    form_id: str | None
    rounds: list[str]
    """Rounds with final sheets for the form, newest first."""
    round: str | None
    rd: PanelView | None = None
    message: str = ""


def load_panel_data(app: KitApp, form_id: str | None, round_: str | None,
                    lang: str = "zh") -> PanelData:  # fmt: skip
    """The form and round choices and the panel, from the panels service (in a worker thread)."""
    panels = app.panels
    forms = sorted(app.forms or app.catalog.scan()[0], key=lambda f: f.form.form)
    choices = [(f.form.form, f.form.title_for(lang)) for f in forms]
    ids = [f.form.form for f in forms]
    form_id = form_id if form_id in ids else panels.default_form(ids)
    if form_id is None:
        return PanelData(choices, None, [], None, message=tr("panel.no_forms", lang))
    rounds = panels.rounds(form_id)[::-1]
    if not rounds:
        return PanelData(choices, form_id, [], None,
                         message=tr("panel.no_data", lang, form=form_id))  # fmt: skip
    round_ = round_ if round_ in rounds else rounds[0]
    view = panels.panel(form_id, round_, require_ranked=False)
    view.agreement, view.robustness  # noqa: B018 - computed here, in the worker, not on screen
    return PanelData(choices, form_id, rounds, round_, view)


class PanelScreen(KitScreen[None]):
    class Computed(Message):
        """The compute worker read the archive (`data`) or failed (`error`, shown in place)."""

        def __init__(self, data: PanelData | None, error: str = "") -> None:
            super().__init__()
            self.data, self.error = data, error

    class Progress(Message):
        """A chart or meeting-pack job got this far."""

        def __init__(self, done: int, total: int, what: str) -> None:
            super().__init__()
            self.done, self.total, self.what = done, total, what

    class Written(Message):
        """A chart or meeting-pack job finished: `text` says so, `paths` were written."""

        def __init__(self, text: str, paths: list[Path]) -> None:
            super().__init__()
            self.text, self.paths = text, paths

    CSS_PATH = "panel.tcss"
    BINDINGS = [
        Binding("escape", "back", "返回", id="panel.back"),
        Binding("c", "chart", "图表", id="panel.chart"),
        Binding("m", "report", "会议材料", id="panel.report"),
        Binding("f5", "refresh", "刷新", id="panel.refresh"),
    ]

    def __init__(self, form_id: str | None = None, round_: str | None = None) -> None:
        super().__init__()
        self.form_id, self.round = form_id, round_
        self.data: PanelData | None = None
        self.busy = False
        self.last_written: list[Path] = []
        localize_bindings(self, self.lang)

    @property
    def rd(self) -> PanelView | None:
        return self.data.rd if self.data else None

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Plain(tr("panel.title", lang), id="panel-title")
        with Horizontal(id="panel-choice"):
            yield Select([], prompt=tr("panel.form", lang), id="panel-form", compact=True,
                         allow_blank=True)  # fmt: skip
            yield Select([], prompt=tr("panel.round", lang), id="panel-round", compact=True,
                         allow_blank=True)  # fmt: skip
        yield Plain(tr("panel.computing", lang), id="panel-summary")
        yield DataTable(id="panel-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="panel-lower"):
            with VerticalScroll(id="panel-subject-box"):
                yield Plain(tr("panel.pick_subject", lang), id="panel-subject")
            with VerticalScroll(id="panel-leniency-box"):
                yield Plain("", id="panel-leniency")
        yield ProgressBar(id="panel-progress", show_eta=False)
        yield Plain("", id="panel-status")
        yield KitFooter()

    def on_mount(self) -> None:
        table = self.query_one("#panel-table", DataTable)
        names = {"rank": "panel.rank", "subject": "col.subject", "raters": "panel.raters",
                 "score": "panel.score", "grade": "col.grade", "spread": "panel.spread",
                 "veto": "panel.veto"}  # fmt: skip
        for name in COLUMNS:
            table.add_column(tr(names[name], self.lang), key=name)
        self.query_one("#panel-progress").display = False
        table.focus()
        self.compute(self.form_id, self.round)

    # ------------------------------------------------------------ computing

    @work(thread=True, exclusive=True, group="panel")
    def compute(self, form_id: str | None, round_: str | None) -> None:
        try:
            self.post_message(self.Computed(load_panel_data(self.app, form_id, round_, self.lang)))
        except InspectKitError as exc:
            self.post_message(self.Computed(None, f"✗ {exc}"))  # shown in place of the panel

    def on_panel_screen_computed(self, event: PanelScreen.Computed) -> None:
        if event.data is None:
            self._show_message(event.error)
        else:
            self.show_data(event.data)

    def _show_message(self, text: str) -> None:
        self.query_one("#panel-summary", Static).update(plain(text))

    def show_data(self, data: PanelData) -> None:
        lang = self.lang
        self.data = data
        self.form_id, self.round = data.form_id, data.round
        form_select = self.query_one("#panel-form", Select)
        with form_select.prevent(Select.Changed):
            form_select.set_options([(plain(f"{fid} {title}"), fid) for fid, title in data.forms])
            if data.form_id:
                form_select.value = data.form_id
        round_select = self.query_one("#panel-round", Select)
        with round_select.prevent(Select.Changed):
            round_select.set_options([(plain(r), r) for r in data.rounds])
            if data.round:
                round_select.value = data.round
        table = self.query_one("#panel-table", DataTable)
        table.clear()
        rd = data.rd
        if rd is None:
            self._show_message(data.message)
            self.query_one("#panel-subject", Static).update("")
            self.query_one("#panel-leniency", Static).update("")
            return
        panel = rd.panel
        summary = tr("panel.summary", lang, subjects=len(panel.subjects), sheets=panel.sheets,
                     raters=len(panel.raters), method=method_name(panel.method, lang),
                     spread=fmt_points(panel.max_spread))  # fmt: skip
        if any(s.dropped for s in panel.subjects):
            summary += f" · {tr('panel.dropped_note', lang)}"
        review = tally_line(rd.review, lang)  # `review: required`: the 待审核 line
        self._show_message(f"{summary}\n{tally_text(rd, lang)}" + (f"\n{review}" if review else ""))
        for subject in panel.subjects:
            table.add_row(*plain_cells(row_cells(subject, lang, rd.form)), key=subject.subject)
        leniency = [*round_trust_lines(rd, lang), "", tr("panel.leniency", lang)]
        left, right = ("(", ")") if lang == "en" else ("（", "）")
        leniency += [f"{x.rater}  {x.deviation:+.2f}{left}{x.subjects}{right}"
                     for x in panel.leniency]  # fmt: skip
        self.query_one("#panel-leniency", Static).update(plain("\n".join(leniency)))
        self.show_subject()

    def selected_subject(self) -> SubjectPanel | None:
        table = self.query_one("#panel-table", DataTable)
        if self.rd is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return self.rd.panel.subject(str(key))

    def show_subject(self) -> None:
        subject = self.selected_subject()
        form = self.rd.form if self.rd is not None else None
        lines = subject_lines(subject, self.lang, form) if subject else []
        if subject and self.rd is not None:  # after the name and score: 稳健性, 回避, 重评
            lines[2:2] = subject_trust_lines(self.rd, subject.subject, self.lang)
        text = "\n".join(lines) if subject else tr("panel.pick_subject", self.lang)
        self.query_one("#panel-subject", Static).update(plain(text))

    @on(DataTable.RowHighlighted, "#panel-table")
    @on(DataTable.RowSelected, "#panel-table")
    def _row(self) -> None:
        self.show_subject()

    @on(Select.Changed, "#panel-form")
    def _form_changed(self, event: Select.Changed) -> None:
        if not event.select.is_blank() and event.value != self.form_id:
            self.query_one("#panel-summary", Static).update(tr("panel.computing", self.lang))
            self.compute(str(event.value), None)

    @on(Select.Changed, "#panel-round")
    def _round_changed(self, event: Select.Changed) -> None:
        if not event.select.is_blank() and event.value != self.round:
            self.query_one("#panel-summary", Static).update(tr("panel.computing", self.lang))
            self.compute(self.form_id, str(event.value))

    # ------------------------------------------------------------ charts and the meeting pack

    def _ready(self) -> bool:
        if self.busy:
            self.notify(tr("panel.busy", self.lang), severity="warning")
            return False
        if self.rd is None:
            self.notify(self.data.message if self.data else tr("panel.computing", self.lang),
                        severity="warning")  # fmt: skip
            return False
        return True

    def action_chart(self) -> None:
        from inspect_kit.tui.screens.dialogs import PickScreen

        if not self._ready():
            return
        choices = [(kind, tr(f"chart.{kind}", self.lang)) for kind in CHART_KINDS]
        choices += [("radar", tr("chart.radar", self.lang)), ("all", tr("chart.all", self.lang))]

        def picked(kind: str | None) -> None:
            if kind:
                self.render_chart(kind)

        self.app.push_screen(PickScreen(tr("panel.chart_pick", self.lang), choices), picked)

    def render_chart(self, kind: str) -> None:
        """Start drawing `kind` ('all' for every round chart, 'radar' for the selected subject)."""
        if not self._ready():
            return
        subject = None
        if kind == "radar":
            selected = self.selected_subject()
            if selected is None:
                self.notify(tr("panel.no_subject", self.lang), severity="warning")
                return
            subject = selected.subject
        kinds = list(CHART_KINDS) if kind == "all" else [kind]
        assert self.rd is not None  # _ready() said so
        self._start_job()
        self._chart_job(self.rd, kinds, subject, self.app.workspace.results_dir / "charts")

    def action_report(self) -> None:
        if not self._ready():
            return
        rd = self.rd
        assert rd is not None  # _ready() said so
        out = self.app.workspace.results_dir / f"{rd.form.form}-{rd.round}-会议材料.pdf"
        self._start_job()
        self._report_job(rd, out)

    def _start_job(self) -> None:
        self.busy = True
        bar = self.query_one("#panel-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True

    def _progress_callback(self) -> Callable[[int, int, str], None]:
        def progress(done: int, total: int, what: str) -> None:
            self.post_message(self.Progress(done, total, what))

        return progress

    def on_panel_screen_progress(self, event: PanelScreen.Progress) -> None:
        self._show_progress(event.done, event.total, event.what)

    def _show_progress(self, done: int, total: int, what: str) -> None:
        self.query_one("#panel-progress", ProgressBar).update(total=total, progress=done)
        self.query_one("#panel-status", Static).update(
            f"{tr('panel.rendering', self.lang, what=what)}  {done}/{total}"
        )

    def on_panel_screen_written(self, event: PanelScreen.Written) -> None:
        self._finish(event.text, event.paths)

    def _finish(self, text: str, paths: list[Path], error: bool = False) -> None:
        self.busy = False
        self.last_written = paths
        self.query_one("#panel-progress").display = False
        self.query_one("#panel-status", Static).update(text)
        self.notify(text, severity="error" if error else "information", timeout=12)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        """A chart or pack job failed: said in the status line and once as a notification."""
        if worker.group != "panel-output":
            super().worker_failed(worker, error)
            return
        self._finish(tr("panel.failed", self.lang, msg=error_text(error, self.lang)), [], True)

    @work(thread=True, group="panel-output", exit_on_error=False)
    def _chart_job(self, rd: PanelView, kinds: list[str], subject: str | None,
                   out_dir: Path) -> None:  # fmt: skip
        from inspect_kit.charts.render import render

        progress = self._progress_callback()
        written: list[Path] = []
        for done, kind in enumerate(kinds):
            progress(done, len(kinds), tr(f"chart.{kind}", self.lang))
            written += render(rd, [kind], out_dir, "png", [subject] if subject else [])
        progress(len(kinds), len(kinds), "")
        text = tr("panel.written", self.lang, paths="  ".join(str(p) for p in written))
        self.post_message(self.Written(text, written))

    @work(thread=True, group="panel-output", exit_on_error=False)
    def _report_job(self, rd: PanelView, out: Path) -> None:
        from inspect_kit.pack.pack_data import PackOptions
        from inspect_kit.pack.report import build_report
        from inspect_kit.services.pack_inputs import pack_inputs

        inputs = pack_inputs(self.app.panels, rd).as_kwargs()
        options = PackOptions(organizer=self.app.settings.organizer)
        pages = build_report(rd, out, options, progress=self._progress_callback(), **inputs)
        text = tr("panel.report_done", self.lang, pages=pages, path=str(out))
        self.post_message(self.Written(text, [out]))

    # ------------------------------------------------------------ navigation

    def action_refresh(self) -> None:
        self.compute(self.form_id, self.round)

    def action_back(self) -> None:
        self.dismiss(None)
