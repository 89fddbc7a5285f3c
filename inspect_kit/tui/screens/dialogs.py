"""Small modal screens: a yes/no question, a pick from a list, a required reason, the key list.
The key list shows the screen's own help (`help_text()`), so it imports no other screen."""

from __future__ import annotations

from rich.table import Table
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, OptionList
from textual.widgets.option_list import Option

from inspect_kit.i18n.catalog import tr
from inspect_kit.tui.screens.base import KitModal, KitScreen
from inspect_kit.tui.user_text import plain
from inspect_kit.tui.widgets.plain import Plain


class ConfirmScreen(KitModal[bool]):
    """Ask a yes/no question; returns True for yes."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "no", show=False)]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

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


class HelpScreen(KitModal[None]):
    """The keys of the screen underneath, with what they do."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape,f1,question_mark,q", "close", show=False)]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

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
                under = self.under
                extra = under.help_text() if isinstance(under, KitScreen | KitModal) else ""
                if extra:
                    yield Plain("\n" + extra)
            yield Plain(tr("help.close", self.lang), classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)


class PickScreen(KitModal[str | None]):
    """Pick one of (id, label); returns the id, or None on Esc."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text, self.choices = title, choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain(self.title_text, classes="dialog-title")
            yield OptionList(*(Option(plain(label), id=key) for key, label in self.choices),
                             id="pick-list")  # fmt: skip
            yield Plain(tr("help.close", self.lang), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#pick-list").focus()

    @on(OptionList.OptionSelected, "#pick-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReasonScreen(KitModal[str | None]):
    """Ask for a required reason (amend, void): returns the stripped text, or None on cancel.
    An empty reason is refused at the field; the dialog stays open."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str, hint: str, value: str = "") -> None:
        """`value`: the reason the field starts with (editable), e.g. a return's reason."""
        super().__init__()
        self.title_text, self.hint, self.value = title, hint, value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain(self.title_text, classes="dialog-title")
            yield Plain(self.hint)
            yield Input(self.value, placeholder=tr("reason.placeholder", self.lang),
                        id="reason-input")  # fmt: skip
            yield Plain("", id="reason-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(tr("reason.ok", self.lang), id="ok", variant="primary")
                yield Button(tr("new.cancel", self.lang), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#reason-input").focus()

    @on(Input.Submitted, "#reason-input")
    @on(Button.Pressed, "#ok")
    def _submit(self) -> None:
        reason = self.query_one("#reason-input", Input).value.strip()
        if not reason:
            self.query_one("#reason-error", Plain).update(tr("reason.empty", self.lang))
            self.query_one("#reason-input").focus()
            return
        self.dismiss(reason)

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
