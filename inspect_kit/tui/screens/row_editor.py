"""The row editor of a `table` item: one field per column, checked by the domain's parsers when
the row is saved. Enter and Tab only move to the next field; the row is stored by an explicit
act, Ctrl+S or the 保存此行 button; Esc leaves everything as it was. Returns the canonical row,
or None."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input

from inspect_kit.base.errors import AnswerError
from inspect_kit.domain.model import TableItem
from inspect_kit.domain.table_rows import Row, cell_text, column_options, parse_row
from inspect_kit.i18n.catalog import tr
from inspect_kit.i18n.form_text import localized, text_for
from inspect_kit.tui.screens.base import KitModal
from inspect_kit.tui.widgets.plain import Plain


class RowEditor(KitModal[Row | None]):
    CSS_PATH = "row_editor.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "保存此行", id="row_editor.row_save"),
        Binding("escape", "cancel", "取消", id="row_editor.row_cancel"),
    ]

    def __init__(self, item: TableItem, number: int, row: Row | None = None) -> None:
        super().__init__()
        self.item, self.number, self.row = item, number, row

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(classes="row-dialog"):
            title = tr("table.editor_title", lang, item=text_for(self.item, lang), row=self.number)
            yield Plain(title, classes="row-title")
            yield Plain(tr("table.editor_keys", lang), classes="row-hint")
            with VerticalScroll(classes="row-fields"):
                for column in self.item.columns:
                    label = localized(column, "title", lang)
                    if column.unit:
                        label += f"（{column.unit}）" if lang != "en" else f" ({column.unit})"
                    yield Plain(label + ("" if column.required else
                                         f"  [{tr('table.optional', lang)}]"),
                                classes="row-label")  # fmt: skip
                    value = "" if self.row is None else cell_text(column, self.row.get(column.id),
                                                                  lang)  # fmt: skip
                    yield Input(value=value, placeholder=self._placeholder(column),
                                id=f"cell-{column.id}", max_length=500, compact=True,
                                select_on_focus=False)  # fmt: skip
            yield Plain("", classes="row-error")
            with Horizontal(classes="row-buttons"):
                yield Button(tr("table.save", lang), id="row-save", variant="primary")
                yield Button(tr("table.cancel", lang), id="row-cancel")

    def _placeholder(self, column: Any) -> str:
        lang = self.lang
        if column.type == "date":
            return tr("fill.date", lang)
        if column.type == "choice":
            choices = "、".join(f"{n}={o}" for n, o in enumerate(column_options(column, lang), 1))
            return tr("table.choice_hint", lang, choices=choices)
        return column.unit or ""

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()  # Enter moves on, as Tab does; it never saves the row
        fields = list(self.query(Input))
        index = fields.index(event.input) if event.input in fields else len(fields) - 1
        after = fields[index + 1] if index + 1 < len(fields) else self.query_one("#row-save")
        # synchronous, unlike focus_next(): cells typed ahead must land in the next field
        self.set_focus(after)

    @on(Button.Pressed, "#row-save")
    def action_save(self) -> None:
        raw = {c.id: self.query_one(f"#cell-{c.id}", Input).value for c in self.item.columns}
        try:
            row = parse_row(self.item, raw)
        except AnswerError as exc:
            self.query_one(".row-error", Plain).update(exc.render(self.lang))
            column = getattr(exc, "column", None)
            if column is not None:
                self.query_one(f"#cell-{column.id}", Input).focus()
            return
        self.dismiss(row)

    @on(Button.Pressed, "#row-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
