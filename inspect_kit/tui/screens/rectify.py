"""The 整改 screen (`z` on the home screen): rectification items not yet verified, overdue ones
marked and first; sortable by deadline or district; Enter opens the sheet that found the item,
`u` narrows the list to its unit, `v` records a re-inspection's verdict, `b` the unit's report.
Every figure is RectifyService's (the CLI's `rectify list` reads the same)."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from inspect_kit.base.errors import InspectKitError
from inspect_kit.i18n.catalog import tr
from inspect_kit.services.rectify import Listed
from inspect_kit.tui.bindings import localize_bindings
from inspect_kit.tui.screens.base import KitScreen
from inspect_kit.tui.user_text import plain, plain_cells
from inspect_kit.tui.widgets.footer import KitFooter
from inspect_kit.tui.widgets.plain import Plain

COLUMNS = ("subject", "district", "deadline", "status", "requirement", "responsible")
SORTS = ("deadline", "district")


def status_cell(x: Listed, lang: str) -> str:
    word = tr(f"rectify.status.{x.item.status}", lang)
    if x.overdue:
        return f"⚠ {tr('rectify.status.overdue', lang)} {-x.days_left}d"
    return word


class RectifyScreen(KitScreen[None]):
    CSS_PATH = "rectify.tcss"
    HELP_KEY = "help.rectify"

    class Loaded(Message):
        def __init__(self, rows: list[Listed]) -> None:
            super().__init__()
            self.rows = rows

    BINDINGS = [
        Binding("escape,q", "back", "返回", id="rectify.back"),
        Binding("s", "sort", "排序", id="rectify.sort"),
        Binding("a", "toggle_all", "全部", id="rectify.rectify_all"),
        Binding("u", "subject", "本单位", id="rectify.rectify_subject"),
        Binding("v", "verdict", "复查", id="rectify.rectify_verdict"),
        Binding("b", "report", "已整改", id="rectify.rectify_report"),
        Binding("f5", "refresh", "刷新", id="rectify.refresh"),
    ]

    def __init__(self, subject: str | None = None) -> None:
        super().__init__()
        self.subject = subject
        self.sort = "deadline"
        self.show_all = False
        self.rows: list[Listed] = []
        localize_bindings(self, self.lang)

    def compose(self) -> ComposeResult:
        yield Plain(tr("rectify.screen.title", self.lang), id="rectify-head")
        yield DataTable(id="rectify-table", cursor_type="row", zebra_stripes=True)
        yield Plain("", id="rectify-detail")
        yield KitFooter()

    def on_mount(self) -> None:
        table = self.query_one("#rectify-table", DataTable)
        for col in COLUMNS:
            table.add_column(tr(f"rectify.cli.col.{col}", self.lang), key=col)
        table.focus()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="rectify")
    def load(self) -> None:
        from inspect_kit.services.rectify import RectifyService

        listed = RectifyService(self.app.store).listed(subject=self.subject)
        self.post_message(self.Loaded(listed))

    def on_rectify_screen_loaded(self, event: RectifyScreen.Loaded) -> None:
        self.rows = event.rows
        self.show()

    def shown_rows(self) -> list[Listed]:
        rows = [x for x in self.rows if self.show_all or x.item.status != "verified"]
        if self.sort == "district":
            return sorted(rows, key=lambda x: (x.district, not x.overdue, x.item.deadline))
        return sorted(rows, key=lambda x: (not x.overdue, x.item.deadline, x.district))

    def show(self) -> None:
        lang = self.lang
        table = self.query_one("#rectify-table", DataTable)
        table.clear()
        rows = self.shown_rows()
        for x in rows:
            r = x.item
            table.add_row(*plain_cells([r.subject_name or r.subject, x.district, r.deadline,
                                        status_cell(x, lang), " ".join(r.requirement.split()),
                                        r.responsible]),
                          key=r.uuid)  # fmt: skip
        overdue = sum(1 for x in rows if x.overdue)
        where = f" · {self.subject}" if self.subject else ""
        head = tr("rectify.screen.head", lang, n=len(rows), overdue=overdue,
                  sort=tr(f"rectify.screen.sort_{self.sort}", lang))  # fmt: skip
        self.query_one("#rectify-head", Plain).update(plain(head + where))
        if not rows:
            self.query_one("#rectify-detail", Plain).update(plain(tr("rectify.screen.empty", lang)))
        else:
            self._detail()

    def current(self) -> Listed | None:
        table = self.query_one("#rectify-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((x for x in self.rows if x.item.uuid == key), None)

    @on(DataTable.RowHighlighted, "#rectify-table")
    def _detail(self) -> None:
        x = self.current()
        if x is None:
            return
        r, lang = x.item, self.lang
        last = r.last
        lines = [r.requirement]
        if r.sheet:
            lines.append(f"← {r.form} {r.round} {r.item_text or ''}".rstrip())
        note = f"：{last.note}" if last.note else ""
        lines.append(
            f"{last.at[:16]}  {last.by}  {tr(f'rectify.action.{last.action}', lang)}{note}"
        )
        self.query_one("#rectify-detail", Plain).update(plain("\n".join(lines)))

    @on(DataTable.RowSelected, "#rectify-table")
    def _open_sheet(self) -> None:
        from inspect_kit.tui.screens.sheet_detail import SheetDetailScreen

        x = self.current()
        if x is None:
            return
        if not x.item.sheet:
            self.notify(tr("rectify.screen.no_sheet", self.lang))
            return
        self.app.push_screen(SheetDetailScreen(x.item.sheet))

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.show()

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self.show()

    def action_subject(self) -> None:
        x = self.current()
        if self.subject is not None:
            self.subject = None
        elif x is not None:
            self.subject = x.item.subject
        self.load()

    def action_refresh(self) -> None:
        self.load()

    def action_verdict(self) -> None:
        from inspect_kit.tui.screens.dialogs import PickScreen, ReasonScreen

        x = self.current()
        if x is None:
            return
        lang, ref = self.lang, x.item.uuid

        def picked(choice: str | None) -> None:
            if choice == "pass":
                self._change(ref, "verified", "")
            elif choice == "fail":
                title = tr("rectify.screen.verify_fail", lang)
                hint = tr("rectify.screen.note_prompt", lang)
                self.app.push_screen(ReasonScreen(title, hint), failed)

        def failed(note: str | None) -> None:
            if note:
                self._change(ref, "failed", note)

        choices = [("pass", tr("rectify.screen.verify_pass", lang)),
                   ("fail", tr("rectify.screen.verify_fail", lang))]  # fmt: skip
        self.app.push_screen(PickScreen(x.item.requirement, choices), picked)

    def action_report(self) -> None:
        x = self.current()
        if x is not None:
            self._change(x.item.uuid, "reported", "")

    def _who(self) -> str:
        return self.app.settings.rater or "unknown"

    @work(thread=True, exclusive=True, group="rectify-change", exit_on_error=False)
    def _change(self, ref: str, action: str, note: str) -> None:
        from inspect_kit.services.rectify import RectifyService

        service = RectifyService(self.app.store)
        try:
            if action == "reported":
                item = service.report(ref, by=self._who(), note=note)
            else:
                item = service.verify(ref, passed=action == "verified", by=self._who(), note=note)
        except InspectKitError as exc:
            self.app.call_from_thread(self.notify, exc.render(self.lang), severity="error")
            return
        status = tr(f"rectify.status.{item.status}", self.lang)
        self.app.call_from_thread(self.notify, f"{item.requirement[:30]} → {status}")
        self.load()

    def action_back(self) -> None:
        self.dismiss(None)
