"""A compact option list answered only by an explicit act: a number key, or Space on the option
the inspector moved the cursor to (↑↓). Enter is not bound here: it moves on (the screen's key),
so Enter never stores an answer. Lists of ticks (multi, defects) may end in a "none of these"
entry, the explicit answer "nothing ticked"."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget


class Choices(Widget, can_focus=True):
    """Options shown one per line as `(*) 1. label`; state is marked with text, not colour.

    `cursor` is None until the inspector moves it, so an unanswered list shows no highlight."""

    DEFAULT_CSS = """
    Choices { height: auto; width: 1fr; padding: 0 1; }
    Choices:focus { background: $boost; }
    """
    BINDINGS = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("space", "press", show=False),
    ]

    class Changed(Message):
        """The selection changed (by key or mouse); `none` is the explicit "none of these"."""

        def __init__(self, choices: Choices, selected: tuple[int, ...], none: bool) -> None:
            super().__init__()
            self.choices = choices
            self.selected = selected
            self.none = none

        @property
        def control(self) -> Choices:
            return self.choices

    class NotApplicable(Message):
        """`0` was pressed: toggle N/A."""

        def __init__(self, choices: Choices) -> None:
            super().__init__()
            self.choices = choices

    def __init__(self, labels: list[str], *, multi: bool = False, none_label: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:  # fmt: skip
        super().__init__(id=id, classes=classes)
        self.labels = labels
        self.multi = multi
        self.none_label = none_label
        self.selected: tuple[int, ...] = ()
        self.none_chosen = False
        self.cursor: int | None = None

    @property
    def _entries(self) -> list[str]:
        return [*self.labels, self.none_label] if self.none_label else list(self.labels)

    def render(self) -> Text:
        text = Text(no_wrap=False, overflow="fold")
        entries = self._entries
        for index, label in enumerate(entries):
            is_none = self.none_label is not None and index == len(self.labels)
            chosen = self.none_chosen if is_none else index in self.selected
            marks = ("[x]", "[ ]") if self.multi and not is_none else ("(*)", "( )")
            mark = marks[0] if chosen else marks[1]
            key = str(index + 1) if index < 9 else " "
            style = "reverse" if (index == self.cursor and self.has_focus) else ""
            if chosen:
                style += " bold"
            text.append(f"{mark} {key}. {label}", style=style.strip())
            if index < len(entries) - 1:
                text.append("\n")
        return text

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, len(self.render().wrap(self.app.console, max(1, width))))

    def set_selected(self, selected: tuple[int, ...], none: bool = False) -> None:
        """Show a stored answer without posting Changed (used when loading a sheet)."""
        self.selected = tuple(selected)
        self.none_chosen = none and not self.selected
        self.refresh(layout=True)

    def _choose(self, index: int) -> None:
        if not 0 <= index < len(self._entries):
            return
        self.cursor = index
        if self.none_label is not None and index == len(self.labels):
            self.selected, self.none_chosen = (), True
        elif self.multi:
            self.selected = tuple(sorted(set(self.selected) ^ {index}))
            self.none_chosen = False
        else:
            self.selected, self.none_chosen = (index,), False
        self.refresh(layout=True)
        self.post_message(self.Changed(self, self.selected, self.none_chosen))

    def action_move(self, delta: int) -> None:
        count = len(self._entries)
        if self.cursor is None:
            start = self.selected[0] if self.selected else (0 if delta > 0 else count - 1)
            self.cursor = start
        else:
            self.cursor = (self.cursor + delta) % count
        self.refresh()

    def action_press(self) -> None:
        if self.cursor is not None:  # Space answers only where the inspector moved the cursor
            self._choose(self.cursor)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.cursor = None  # coming back shows the marks, not a stale highlight
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
        for index, label in enumerate(self._entries):
            lines = len(Text(f"(*) 1. {label}").wrap(self.app.console, width))
            if row <= offset.y < row + lines:
                self.focus()
                self._choose(index)
                return
            row += lines
