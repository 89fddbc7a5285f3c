"""Review before finalizing: every answer in one scrollable table (item, answer, points,
扣分理由 or 情况说明, N/A, photos, vetoes, the sign-off fields), the total, bonus and grade
with the reason for a downgrade, and what still blocks. Enter on a line goes back to the fill
screen on that item. Returns FINALIZE, an item id to jump to, or None."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable

from inspect_kit.domain.reasons import explain_grade
from inspect_kit.domain.sheet import Sheet
from inspect_kit.i18n.catalog import tr
from inspect_kit.tui.bindings import localize_bindings
from inspect_kit.tui.screens.base import KitModal
from inspect_kit.tui.screens.review_rows import (
    ROW_SEP,
    SECTION_KEY,
    ReviewRow,
    review_rows,
    summary_text,
)
from inspect_kit.tui.user_text import plain_cells
from inspect_kit.tui.widgets.plain import Plain

FINALIZE = "__finalize__"


class ReviewScreen(KitModal[str | None]):
    CSS_PATH = "review.tcss"
    HELP_KEY = "help.review"
    BINDINGS = [
        Binding("escape", "dismiss_none", "返回", id="review.back"),
        Binding("f10", "confirm", "确认提交", id="review.confirm"),
    ]

    def __init__(self, sheet: Sheet) -> None:
        super().__init__()
        self.sheet = sheet
        self.rows: list[ReviewRow] = []
        localize_bindings(self, self.lang)

    def compose(self) -> ComposeResult:
        sheet, lang = self.sheet, self.lang
        record = sheet.score()
        blockers = sheet.blockers(record, lang=lang)
        self.rows = review_rows(sheet, record, lang)
        reason = explain_grade(sheet.form, record, lang)
        with Vertical(id="review-box"):
            yield Plain(f"{tr('review.title', lang)} · {sheet.subject_name}", id="review-title")
            yield Plain(summary_text(sheet, record, lang, reason), id="review-summary")
            if blockers:
                why = tr("reason.join", lang).join(blockers)
                yield Plain(tr("review.blocked", lang, why=why), id="review-blocked")
            else:
                yield Plain(tr("review.no_problems", lang), id="review-ok")
            table: DataTable = DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
            table.add_column("", width=1, key="mark")
            table.add_column(tr("review.col_item", lang), width=24, key="item")
            table.add_column(tr("review.col_answer", lang), width=16, key="answer")
            table.add_column(tr("review.col_points", lang), width=8, key="points")
            table.add_column(tr("review.col_note", lang), width=13, key="note")
            for row in self.rows:
                table.add_row(*plain_cells([row.mark, row.item, row.answer, row.points, row.note]),
                              key=row.key)  # fmt: skip
            yield table
            yield Plain("", id="review-detail")
            yield Plain(tr("review.hint", lang), id="review-hint")
            with Horizontal(id="review-buttons"):
                yield Button(tr("review.confirm", lang), id="confirm", variant="success",
                             disabled=bool(blockers), compact=True)  # fmt: skip
                yield Button(tr("key.back", lang), id="back", compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#review-table", DataTable)
        first_blocking = next((i for i, r in enumerate(self.rows) if r.blocking), None)
        if first_blocking is not None:
            # Enter on the first thing that blocks goes straight back to it.
            table.move_cursor(row=first_blocking, animate=False)
            table.focus()
        else:
            self.query_one("#confirm").focus()
        self._show_detail(table.cursor_row)

    def _show_detail(self, index: int) -> None:
        text = self.rows[index].detail if 0 <= index < len(self.rows) else ""
        self.query_one("#review-detail", Plain).update(text)

    @on(DataTable.RowHighlighted, "#review-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    @on(DataTable.RowSelected, "#review-table")
    def _jump(self, event: DataTable.RowSelected) -> None:
        key = str(event.row_key.value)
        if key.startswith(SECTION_KEY):
            # A heading: go to the section's first line.
            index = event.cursor_row + 1
            if index >= len(self.rows) or self.rows[index].key.startswith(SECTION_KEY):
                return
            key = self.rows[index].key
        self.dismiss(key.split(ROW_SEP)[0])  # a table's row line: its item

    @on(Button.Pressed, "#confirm")
    def _confirm_pressed(self) -> None:
        self.action_confirm()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.dismiss(None)

    def action_confirm(self) -> None:
        if not self.sheet.blockers():
            self.dismiss(FINALIZE)
        else:
            why = tr("reason.join", self.lang).join(self.sheet.blockers(lang=self.lang))
            self.notify(tr("review.blocked", self.lang, why=why), severity="warning")

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
