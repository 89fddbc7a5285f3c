"""A compact drop-down that becomes a real `Select` the first time it is focused or clicked.

A Select composes about six widgets (its current value, arrows, an overlay and an option
list); the results browser's four filters cost it about 80 ms at every opening, and most
visits never touch one. Until then this draws the prompt (or the chosen label) and an arrow
itself, in the Select's compact look, and holds the options and the value. The keys that open
a Select (Enter, Space, ↑, ↓) or a click build it and open its list.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from textual import events, on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Select

from inspect_kit.base.safe_text import safe_text
from inspect_kit.tui.user_text import plain


class LazySelect(Widget, can_focus=True):
    # Focus alone builds nothing: a screen focuses its first widget as it opens, and Tab
    # passes through on its way to the table.
    BINDINGS = [Binding("enter,down,space,up", "open", show=False)]
    DEFAULT_CSS = """
    LazySelect {
        height: 1;
        width: 1fr;
        color: $foreground 50%;
        background: $surface;
        padding: 0 1 0 0;
        pointer: pointer;
        &.-has-value { color: $foreground; }
        &:focus { background-tint: $foreground 5%; }
        &.-built { background: transparent; color: $foreground; padding: 0; }
    }
    """

    class Changed(Message):
        """The chosen value changed (None: the prompt, i.e. no filter)."""

        def __init__(self, select: LazySelect, value: Hashable | None) -> None:
            super().__init__()
            self.select, self.value = select, value

        @property
        def control(self) -> LazySelect:
            return self.select

    def __init__(self, prompt: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.prompt = prompt
        self._options: list[tuple[str, Hashable]] = []
        self._value: Hashable | None = None
        self.select: Select[Hashable] | None = None
        """The real Select, once built."""

    @property
    def value(self) -> Hashable | None:
        return self._value

    @value.setter
    def value(self, value: Hashable | None) -> None:
        if value is not None and value not in {v for _, v in self._options}:
            raise ValueError(f"not an option: {value!r}")
        if self.select is not None:  # it posts Select.Changed, passed on by _select_changed
            self.select.value = Select.NULL if value is None else value
        elif value != self._value:
            self._value = value
            self._shown_value()
            self.post_message(self.Changed(self, value))

    def is_blank(self) -> bool:
        return self._value is None

    def clear(self) -> None:
        self.value = None

    def set_options(self, options: Sequence[tuple[str, Hashable]]) -> None:
        """Replace the options, keeping the value if it is still one of them; posts nothing."""
        self._options = list(options)
        keep = self._value if self._value in {v for _, v in self._options} else None
        self._value = keep
        if self.select is not None:
            with self.select.prevent(Select.Changed):
                self.select.set_options([(plain(label), v) for label, v in self._options])
                if keep is not None:
                    self.select.value = keep
        self._shown_value()

    def _label(self) -> str:
        if self._value is None:
            return self.prompt
        return next((label for label, v in self._options if v == self._value), self.prompt)

    def _shown_value(self) -> None:
        self.set_class(self._value is not None, "-has-value")
        self.refresh()

    def render(self) -> Content:
        if self.select is not None:
            return Content("")
        width = self.content_size.width
        label = Content(safe_text(self._label())).truncate(max(0, width - 2), ellipsis=True,
                                                            pad=True)  # fmt: skip
        return label + Content(" ▼")

    async def _build(self) -> Select[Hashable]:
        if self.select is None:
            value = Select.NULL if self._value is None else self._value
            options = [(plain(label), v) for label, v in self._options]
            self.select = Select(options, prompt=self.prompt, compact=True, value=value)
            await self.mount(self.select)
            self.can_focus = False
            self.add_class("-built")
        return self.select

    async def action_open(self) -> None:
        """Build the Select and open its list, as Enter (or a click) on a Select does."""
        select = await self._build()
        select.focus()
        select.action_show_overlay()

    async def _on_click(self, event: events.Click) -> None:
        # Later clicks land on the Select itself.
        event.stop()
        await self.action_open()

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        value = None if event.value is Select.NULL else event.value
        if value != self._value:
            self._value = value
            self._shown_value()
            self.post_message(self.Changed(self, value))


__all__ = ["LazySelect"]
