"""The rows of a `table` item on the fill screen: a DataTable of the records, one per line,
with the keys that change them (a / Insert add, e edit, Delete remove, n no records, 0 N/A).
Enter and Tab are the screen's (they move on), and the arrows only move the cursor: a row is
stored only by saving it in the row editor, by Delete or by `n`. Cells are shown as plain text,
never markup. Each change is posted as `RowTable.RowsChanged` with the whole new list."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from inspect_kit.domain.model import TableItem
from inspect_kit.domain.table_rows import Row, column_titles, row_cells
from inspect_kit.i18n.catalog import tr
from inspect_kit.tui.user_text import plain


class RowTable(DataTable):
    DEFAULT_CSS = """
    RowTable { height: auto; max-height: 16; width: 1fr; }
    """
    BINDINGS = [
        Binding("a,insert", "add", show=False),
        Binding("e", "edit", show=False),
        Binding("delete,backspace", "delete", show=False),
        Binding("n", "no_rows", show=False),
        Binding("0", "not_applicable", show=False),
    ]

    class RowsChanged(Message):
        """The list of rows was changed by an explicit act: `rows` is the whole new value
        (None: the last row was deleted, the item is unanswered again; []: "no records")."""

        def __init__(self, table: RowTable, rows: list[Row] | None) -> None:
            super().__init__()
            self.table = table
            self.rows = rows

        @property
        def control(self) -> RowTable:
            return self.table

    class NotApplicable(Message):
        """`0` was pressed: toggle N/A."""

    def __init__(self, item: TableItem, lang: str, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, show_cursor=True, **kwargs)
        self.item, self.lang = item, lang
        self.records: list[Row] = []
        self._cursor_to: int | None = None
        """The row the cursor goes to once the change just posted is shown (the row saved)."""

    def on_mount(self) -> None:
        self.add_column(plain(tr("table.row_number", self.lang)), key="#")
        for column, title in zip(self.item.columns, column_titles(self.item, self.lang),
                                 strict=True):  # fmt: skip
            self.add_column(plain(title), key=column.id)

    def show_rows(self, rows: list[Row]) -> None:
        """Show stored rows (without posting anything)."""
        if rows == self.records and self.row_count == len(rows):
            return
        cursor = self.cursor_row if self._cursor_to is None else self._cursor_to
        self._cursor_to = None
        self.records = [dict(r) for r in rows]
        self.clear()
        for n, row in enumerate(self.records, start=1):
            self.add_row(plain(str(n)), *[plain(c) for c in row_cells(self.item, row, self.lang)],
                         key=str(n))  # fmt: skip
        if self.records:
            self.move_cursor(row=min(cursor, len(self.records) - 1))

    def _edit(self, index: int | None) -> None:
        from inspect_kit.tui.screens.row_editor import RowEditor

        current = None if index is None else self.records[index]
        number = len(self.records) + 1 if index is None else index + 1

        def saved(row: Row | None) -> None:
            if row is None:
                return  # cancelled: nothing changes
            rows = [dict(r) for r in self.records]
            if index is None:
                rows.append(row)
            else:
                rows[index] = row
            self._cursor_to = number - 1
            self.post_message(self.RowsChanged(self, rows))

        self.app.push_screen(RowEditor(self.item, number, current), saved)

    def action_add(self) -> None:
        if len(self.records) >= self.item.max_rows:
            self.notify(tr("table.too_many_rows", self.lang, max=self.item.max_rows))
            return
        self._edit(None)

    def action_edit(self) -> None:
        if self.records:
            self._edit(min(self.cursor_row, len(self.records) - 1))

    def action_delete(self) -> None:
        if not self.records:
            return
        index = min(self.cursor_row, len(self.records) - 1)
        rows = [dict(r) for n, r in enumerate(self.records) if n != index]
        # deleting the last row leaves the item unanswered; "no records" is its own key (n)
        self.post_message(self.RowsChanged(self, rows or None))

    def action_no_rows(self) -> None:
        if not self.records:
            self.post_message(self.RowsChanged(self, []))

    def action_not_applicable(self) -> None:
        self.post_message(self.NotApplicable())
