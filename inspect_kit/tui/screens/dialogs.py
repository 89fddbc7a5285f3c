"""Small modal screens: a yes/no question and the key list (help)."""

from __future__ import annotations

from rich.table import Table
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button

from inspect_kit.tui.i18n import tr
from inspect_kit.tui.widgets.plain import Plain


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question; returns True for yes."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "no", show=False)]

    def __init__(self, question: str, lang: str = "zh") -> None:
        super().__init__()
        self.question, self.lang = question, lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain(self.question)
            with Horizontal(classes="dialog-buttons"):
                yield Button("是" if self.lang != "en" else "Yes", id="yes", variant="error")
                yield Button("否" if self.lang != "en" else "No", id="no")

    def on_mount(self) -> None:
        self.query_one("#no").focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_no(self) -> None:
        self.dismiss(False)


class HelpScreen(ModalScreen[None]):
    """The keys of the screen underneath, with what they do."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape,f1,question_mark,q", "close", show=False)]

    def __init__(self, under: Screen, lang: str = "zh") -> None:
        super().__init__()
        self.under, self.lang = under, lang

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, pad_edge=False)
        table.add_column(style="bold")
        table.add_column()
        rows: dict[tuple[str, str], list[str]] = {}
        for active in self.under.active_bindings.values():
            binding = active.binding
            if binding.description:
                keys = rows.setdefault((binding.action, binding.description), [])
                keys.append(self.app.get_key_display(binding))
        for (_, description), keys in rows.items():
            table.add_row(" / ".join(dict.fromkeys(keys)), description)
        with Vertical(classes="dialog help"):
            yield Plain(tr("help.title", self.lang), classes="dialog-title")
            with VerticalScroll():
                yield Plain(table)
                from inspect_kit.tui.screens.fill import FillScreen

                if isinstance(self.under, FillScreen):
                    yield Plain("\n" + tr("help.fill", self.lang))
            yield Plain(tr("help.close", self.lang), classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
