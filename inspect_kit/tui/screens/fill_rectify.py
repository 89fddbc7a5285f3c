"""整改 on the fill screen (issue 13), mixed into FillScreen: F6 marks the current deduction
需整改 with a deadline (a dialog) or unmarks it; on opening, a unit with open rectification
items is told so, and F9 lists them for the re-inspection to verify."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from inspect_kit.domain.model import Veto
from inspect_kit.domain.scoring import ScoreRecord
from inspect_kit.i18n.catalog import tr
from inspect_kit.i18n.form_text import text_for
from inspect_kit.services.drafts import DraftSession
from inspect_kit.tui.screens.base import KitScreen
from inspect_kit.tui.widgets.item_input import ItemInput

if TYPE_CHECKING:
    from inspect_kit.domain.sheet import Sheet


class FillRectify(KitScreen[None]):
    """The attributes are FillScreen's."""

    session: DraftSession
    record: ScoreRecord

    if TYPE_CHECKING:

        @property
        def sheet(self) -> Sheet: ...
        def _current_widget(self) -> ItemInput | None: ...
        def _record(self, widget: ItemInput, change: Callable[[], str | None]) -> None: ...

    def _show_open_items(self) -> None:
        """A re-inspection: the subject's rectification items not yet verified (F9 checks them)."""
        from inspect_kit.services.rectify import RectifyService

        items = RectifyService(self.session.store).open_for(self.sheet.subject)
        if not items:
            return
        lines = [tr("rectify.open_items", self.lang, n=len(items))]
        lines += [f"· {x.item.deadline} {x.item.requirement[:40]}" for x in items[:5]]
        lines.append(tr("rectify.fill.f9", self.lang))
        self.notify("\n".join(lines), timeout=15)

    def action_rectify(self) -> None:
        from inspect_kit.tui.screens.rectify import RectifyScreen

        self.app.push_screen(RectifyScreen(subject=self.sheet.subject))

    def action_mark_rectify(self) -> None:
        """F6: mark the current deduction 需整改 with a deadline (a dialog), or unmark it."""
        from inspect_kit.services.rectify import mark_defaults
        from inspect_kit.tui.screens.rectify_dialogs import Mark, MarkScreen

        widget = self._current_widget()
        if widget is None or isinstance(widget.item, Veto):
            return
        item_id = widget.item_id
        if item_id in self.sheet.rectify:
            self._record(widget, lambda: self.session.clear_rectify(item_id))
            self.notify(tr("rectify.mark.cleared", self.lang))
            return
        figure = self.record.items.get(item_id)
        if figure is None or not figure.lost:
            self.notify(tr("rectify.mark.only_deductions", self.lang), severity="warning")
            return
        proposed = mark_defaults(self.sheet, item_id)

        def done(mark: Mark | None) -> None:
            if mark is None:
                return
            self._record(widget, lambda: self.session.set_rectify(item_id, mark.deadline,
                                                                  mark.requirement))  # fmt: skip
            self.notify(tr("rectify.mark.set", self.lang, deadline=mark.deadline))

        text = text_for(widget.item, self.lang)
        self.app.push_screen(MarkScreen(text, proposed["requirement"], proposed["deadline"]), done)
