"""The 需整改 dialog of the fill screen: the requirement (the item and its 扣分理由 until
changed) and the deadline, returned as a typed result; the caller stores it."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input

from inspect_kit.domain.rectification import RectifyError, checked_deadline
from inspect_kit.i18n.catalog import tr
from inspect_kit.tui.screens.base import KitModal
from inspect_kit.tui.widgets.plain import Plain


@dataclass(frozen=True)
class Mark:
    deadline: str
    requirement: str
    """Empty: the item and its 扣分理由 as they are when the sheet is finalized."""


class MarkScreen(KitModal[Mark | None]):
    CSS_PATH = "rectify.tcss"
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, item_text: str, requirement: str, deadline: str) -> None:
        super().__init__()
        self.item_text, self.requirement, self.deadline = item_text, requirement, deadline

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain(tr("rectify.dialog.title", self.lang), classes="dialog-title")
            yield Plain(self.item_text, classes="dialog-hint")
            yield Plain(tr("rectify.dialog.requirement", self.lang))
            yield Input(value=self.requirement, id="mark-requirement")
            yield Plain(tr("rectify.dialog.deadline", self.lang))
            yield Input(value=self.deadline, id="mark-deadline", max_length=10)
            yield Plain("", id="mark-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(tr("reason.ok", self.lang), id="ok", variant="primary")
                yield Button(tr("new.cancel", self.lang), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#mark-deadline").focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _submit(self) -> None:
        raw = self.query_one("#mark-deadline", Input).value
        try:
            deadline = checked_deadline(raw)
        except RectifyError as exc:
            self.query_one("#mark-error", Plain).update(exc.render(self.lang))
            self.query_one("#mark-deadline").focus()
            return
        text = self.query_one("#mark-requirement", Input).value.strip()
        self.dismiss(Mark(deadline, "" if text == self.requirement else text))

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
