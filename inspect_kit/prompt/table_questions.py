"""The plain prompts of a `table` item (repeat rows): a menu that opens on "leave as it is",
then rows entered one cell at a time, an empty first cell ending them; each finished row, edit
or deletion is stored at once through the DraftSession (so Ctrl-C loses at most the row being
typed). Going back to the item from the review opens the same menu, with edit and delete.
Cells are checked by the domain's one parser per kind (domain/table_rows.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from inspect_kit.base.errors import InspectKitError
from inspect_kit.base.safe_text import safe_text
from inspect_kit.domain.model import TableItem
from inspect_kit.domain.table_rows import Row, column_options, parse_cell, row_cells, summary
from inspect_kit.i18n.catalog import tr
from inspect_kit.i18n.form_text import localized
from inspect_kit.prompt.io import BACK
from inspect_kit.prompt.steps import KEEP, NA, SKIP

if TYPE_CHECKING:
    from collections.abc import Callable

    from inspect_kit.domain.answers import Answer
    from inspect_kit.domain.sheet import Sheet
    from inspect_kit.prompt.io import Prompter
    from inspect_kit.services.drafts import DraftSession


class ItemQuestions(Protocol):
    """What the table questions use of prompt.item_questions.ItemQuestions (which calls them;
    named here as a protocol so the two modules do not import each other)."""

    session: DraftSession
    sheet: Sheet
    ask: Prompter
    lang: str
    say: Callable[[str], None]

    def t(self, key: str, **values: object) -> str: ...
    def text(self, obj: Any) -> str: ...


ADD, NO_ROWS = "<add rows>", "<no rows>"


def describe_table(q: ItemQuestions, item: TableItem) -> None:
    """The columns and what scores, under the item's heading."""
    titles = "、".join(localized(c, "title", q.lang) for c in item.columns)
    q.say(q.t("item.guidance", text=f"{titles}"))
    if item.bands:
        unit = item.unit or ""
        bands = q.t("item.band_sep").join(
            q.t("item.band", min=f"{b.min:g}", unit=unit, points=f"{b.points:g}")
            for b in sorted(item.bands, key=lambda b: -b.min)
        )
        q.say(q.t("item.bands", text=bands))


def _cells(q: ItemQuestions, item: TableItem, row: Row) -> str:
    return safe_text(" | ".join(row_cells(item, row, q.lang)))


def ask_table(q: ItemQuestions, item: TableItem, answer: Answer, *, back: bool) -> Any:
    """The menu; returns KEEP (changes are stored as they are made), NA, SKIP or BACK."""
    while True:
        answer = q.sheet.answer(item.id)
        rows: list[Row] = list(answer.value) if isinstance(answer.value, list) else []
        for n, row in enumerate(rows, start=1):
            q.say(f"  {n}. {_cells(q, item, row)}")
        shown = q.t("na") if answer.na else (summary(item, rows, q.lang) if answer.answered
                                             else q.t("unanswered"))  # fmt: skip
        options: list[tuple[str, Any]] = [(q.t("table_keep"), KEEP), (q.t("table_add"), ADD)]
        for n, row in enumerate(rows, start=1):
            options.append((q.t("table_edit", row=n, cells=_cells(q, item, row)), ("edit", n)))
        for n, row in enumerate(rows, start=1):
            options.append((q.t("table_delete", row=n, cells=_cells(q, item, row)), ("del", n)))
        if not rows:
            options.append((q.t("table_none"), NO_ROWS))
        if item.allow_na:
            options.append((q.t("na"), NA))
        if answer.answered:
            options.append((q.t("table_clear"), SKIP))
        message = q.t("table_menu", item=q.text(item), summary=shown)
        picked = q.ask.select(message, options, KEEP, back=back)
        if picked is BACK or picked in (KEEP, NA, SKIP):
            return picked
        if picked == NO_ROWS:
            q.session.set_value(item.id, [])
            continue
        if picked == ADD:
            _add_rows(q, item, rows)
            continue
        action, number = picked
        if action == "edit":
            edited = _ask_row(q, item, number, rows[number - 1])
            if edited is not None:
                rows[number - 1] = edited
                q.session.set_value(item.id, rows)
        else:
            del rows[number - 1]
            # deleting the last row leaves the item unanswered ("no records" is its own act)
            if rows:
                q.session.set_value(item.id, rows)
            else:
                q.session.clear(item.id)
            q.say(tr("table.deleted", q.lang, row=number))


def _add_rows(q: ItemQuestions, item: TableItem, rows: list[Row]) -> None:
    q.say(q.t("table_intro", item=q.text(item), n=len(rows)))
    while len(rows) < item.max_rows:
        row = _ask_row(q, item, len(rows) + 1, None)
        if row is None:
            return
        rows.append(row)
        q.session.set_value(item.id, rows)  # stored (and saved) row by row


def _ask_row(q: ItemQuestions, item: TableItem, number: int, current: Row | None) -> Row | None:
    """One row, cell by cell; None when the first cell of a new row is left empty (the end) or
    `<` goes back."""
    row: Row = {}
    for index, column in enumerate(item.columns):
        title = localized(column, "title", q.lang)
        parts = []
        if column.type == "choice":
            choices = "、".join(f"{n}={o}" for n, o in enumerate(column_options(column, q.lang), 1))
            parts.append(tr("table.choice_hint", q.lang, choices=choices))
        elif column.type == "date":
            parts.append(q.t("text.date"))
        elif column.type == "number" and column.integer:
            parts.append(q.t("text.integer"))
        if not column.required:
            parts.append(tr("table.optional", q.lang))
        first_of_new = current is None and index == 0

        def validate(text: str, column=column, first_of_new=first_of_new) -> bool | str:
            if not text.strip() and (first_of_new or not column.required):
                return True
            try:
                parse_cell(column, text)
            except InspectKitError as exc:
                return exc.render(q.lang)
            return True

        old = "" if current is None or current.get(column.id) is None else str(current[column.id])
        text = q.ask.text(
            q.t("table_cell", row=number, column=title), old, validate, back=True,
            instruction=q.t("text.instruction", parts=q.t("text.sep").join(parts)) if parts
            else None,
        )  # fmt: skip
        if text is BACK or (first_of_new and not text.strip()):
            return None
        row[column.id] = parse_cell(column, text)
    return row
