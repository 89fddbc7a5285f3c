"""Two fields of the fill screen: the multi-line text box and the list of attached photos."""

from __future__ import annotations

from rich.text import Text
from textual.actions import SkipAction
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList, TextArea
from textual.widgets.option_list import Option


class MultilineInput(TextArea):
    """A soft-wrapping box for `multiline: true` text items. Enter adds a line, so moving on is
    Ctrl+N (the fill screen's next-item key). The TextArea's own PageUp/PageDown/F7 are handed
    to the screen, so the section keys work here as everywhere else on the sheet."""

    BINDINGS = [Binding("pageup,pagedown,f7", "to_screen", show=False)]

    def action_to_screen(self) -> None:
        raise SkipAction()  # the binding chain goes on to the screen's binding for this key


class PhotoList(OptionList):
    """The photos attached to a photo item; Delete (or Backspace) removes the highlighted one."""

    BINDINGS = [Binding("delete,backspace", "remove", show=False)]

    class RemoveRequested(Message):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def show_names(self, names: tuple[str, ...] | list[str]) -> None:
        current = [str(self.get_option_at_index(i).id) for i in range(self.option_count)]
        if current == list(names):
            return
        highlighted = self.highlighted
        self.set_options([Option(Text(n), id=n) for n in names])  # names as typed
        self.display = bool(names)
        if names:
            self.highlighted = min(highlighted or 0, len(names) - 1)

    def action_remove(self) -> None:
        if self.highlighted is not None and self.option_count:
            option = self.get_option_at_index(self.highlighted)
            self.post_message(self.RemoveRequested(str(option.id)))

    def on_mount(self) -> None:
        self.display = bool(self.option_count)
