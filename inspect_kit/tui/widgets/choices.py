"""A compact option list picked with number keys (single) or ticked with space (multi)."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class Choices(Widget, can_focus=True):
    """Options shown one per line as `(*) 1. label`; state is marked with text, not colour."""

    DEFAULT_CSS = """
    Choices { height: auto; width: 1fr; padding: 0 1; }
    Choices:focus { background: $boost; }
    """
    BINDINGS = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("space", "press", show=False),
        Binding("enter", "enter", show=False),
    ]

    cursor: reactive[int] = reactive(0)

    class Changed(Message):
        """The selection changed (by key or mouse)."""

        def __init__(self, choices: Choices, selected: tuple[int, ...]) -> None:
            super().__init__()
            self.choices = choices
            self.selected = selected

        @property
        def control(self) -> Choices:
            return self.choices

    class Done(Message):
        """The inspector is finished with this list (a pick in single mode, Enter in multi)."""

        def __init__(self, choices: Choices) -> None:
            super().__init__()
            self.choices = choices

        @property
        def control(self) -> Choices:
            return self.choices

    class NotApplicable(Message):
        """`0` was pressed: toggle N/A."""

        def __init__(self, choices: Choices) -> None:
            super().__init__()
            self.choices = choices

    def __init__(self, labels: list[str], *, multi: bool = False,
                 selected: tuple[int, ...] = (), id: str | None = None,
                 classes: str | None = None) -> None:  # fmt: skip
        super().__init__(id=id, classes=classes)
        self.labels = labels
        self.multi = multi
        self.selected: tuple[int, ...] = tuple(selected)
        if selected:
            self.set_reactive(Choices.cursor, selected[0])

    def render(self) -> Text:
        text = Text(no_wrap=False, overflow="fold")
        for index, label in enumerate(self.labels):
            chosen = index in self.selected
            marks = ("[x]", "[ ]") if self.multi else ("(*)", "( )")
            mark = marks[0] if chosen else marks[1]
            key = str(index + 1) if index < 9 else " "
            style = "reverse" if (index == self.cursor and self.has_focus) else ""
            if chosen:
                style += " bold"
            text.append(f"{mark} {key}. {label}", style=style.strip())
            if index < len(self.labels) - 1:
                text.append("\n")
        return text

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, len(self.render().wrap(self.app.console, max(1, width))))

    def set_selected(self, selected: tuple[int, ...]) -> None:
        """Show a selection without posting Changed (used when loading a sheet)."""
        self.selected = tuple(selected)
        if self.selected:
            # The cursor starts on the stored answer, so Enter on a resumed item keeps it.
            self.set_reactive(Choices.cursor, self.selected[0])
        self.refresh(layout=True)

    def _choose(self, index: int) -> None:
        if not 0 <= index < len(self.labels):
            return
        self.cursor = index
        if self.multi:
            chosen = set(self.selected) ^ {index}
            self.selected = tuple(sorted(chosen))
        else:
            self.selected = (index,)
        self.refresh(layout=True)
        self.post_message(self.Changed(self, self.selected))
        if not self.multi:
            self.post_message(self.Done(self))

    def action_move(self, delta: int) -> None:
        self.cursor = (self.cursor + delta) % len(self.labels)

    def action_press(self) -> None:
        self._choose(self.cursor)

    def action_enter(self) -> None:
        if self.multi:
            self.post_message(self.Done(self))
        else:
            self._choose(self.cursor)

    def watch_cursor(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            event.stop()
            event.prevent_default()
            if event.character == "0":
                self.post_message(self.NotApplicable(self))
            else:
                self._choose(int(event.character) - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        # Map the clicked row back to an option (options may wrap onto several rows).
        width = max(1, self.content_size.width)
        row = 0
        for index, label in enumerate(self.labels):
            lines = len(Text(f"(*) 1. {label}").wrap(self.app.console, width))
            if row <= offset.y < row + lines:
                self.focus()
                self._choose(index)
                return
            row += lines
