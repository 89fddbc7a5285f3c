"""Moving about the fill screen without answering anything: Enter/Tab to the next stop (the
item's 扣分理由 when it lost points, else the next item), Ctrl+N/Ctrl+B items, PgDn/PgUp
sections, and keeping the focused field scrolled into view."""

from __future__ import annotations

import asyncio

from textual.actions import SkipAction
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Input, TextArea

from inspect_kit.domain.answers import VetoAnswer
from inspect_kit.domain.model import PhotoItem, Veto
from inspect_kit.domain.scoring import ScoreRecord
from inspect_kit.domain.sheet import Sheet
from inspect_kit.i18n.catalog import tr
from inspect_kit.tui.screens.base import KitScreen
from inspect_kit.tui.widgets.item_input import ItemInput
from inspect_kit.tui.widgets.section_nav import SectionNav, section_ids


class FillNavigation(KitScreen[None]):
    """The fill screen's moves; FillScreen supplies the pages and the draft."""

    record: ScoreRecord
    current_section: str
    current_item: str | None

    @property
    def sheet(self) -> Sheet:
        raise NotImplementedError

    def _widgets(self) -> list[ItemInput]:
        raise NotImplementedError

    def _visible_widgets(self) -> list[ItemInput]:
        return [w for w in self._widgets() if w.display]

    def show_section(self, section_id: str, focus_item: str | None = None,
                     focus_last: bool = False, note_first: bool = False,
                     resume: bool = False) -> None:  # fmt: skip
        raise NotImplementedError

    def _wants_note_first(self, widget: ItemInput) -> bool:
        if isinstance(widget.item, Veto):
            return bool(self.sheet.answers.vetoes.get(widget.item_id, VetoAnswer()).fired)
        item_score = self.record.items.get(widget.item_id)
        return item_score is not None and item_score.lost > 0 and not widget.bonus

    def _focused_stop(self) -> tuple[ItemInput | None, Widget | None]:
        focused = self.focused
        node: DOMNode | None = focused
        while node is not None and not isinstance(node, ItemInput):
            node = node.parent
        return (node if isinstance(node, ItemInput) else None), focused

    async def _drain(self) -> None:
        """Let keys already sent to the focused field, and the changes they post up to this
        screen, be handled before a move. The moves are priority bindings run in key order
        by the app, so keys typed ahead wait and then land on the field moved to."""
        idle = 0
        for _ in range(1000):
            nodes: list[DOMNode] = []
            node: DOMNode | None = self.focused
            while node is not None and node is not self.app:
                nodes.append(node)
                node = node.parent
            busy = any(n._message_queue.qsize() or n._pending_message is not None  # noqa: SLF001
                       for n in nodes)  # fmt: skip
            idle = 0 if busy else idle + 1
            if idle >= 3:
                return
            await asyncio.sleep(0)

    def add_photo(self, widget: ItemInput, path: str) -> None:
        raise NotImplementedError

    async def action_enter(self) -> None:
        """Enter: a new line in a multi-line box, adds a typed photo path, opens the section
        picked in the navigator; elsewhere the next stop. Done here, in key order, not by
        the widget's own Enter (its messages would let keys typed ahead overtake it)."""
        focused = self.focused
        if isinstance(focused, TextArea):
            raise SkipAction()  # the box's own Enter: a new line, in order with the text
        await self._drain()
        widget, _ = self._focused_stop()
        if isinstance(focused, SectionNav):
            option = focused.highlighted_option
            if option is not None and option.id and option.id != self.current_section:
                self.show_section(option.id)
            return
        if (widget is not None and isinstance(widget.item, PhotoItem)
                and isinstance(focused, Input) and focused.value.strip()):  # fmt: skip
            self.add_photo(widget, focused.value)
            return
        self.next_stop()

    async def action_next_stop(self) -> None:
        await self._drain()
        self.next_stop()

    async def action_prev_stop(self) -> None:
        await self._drain()
        self.prev_stop()

    def next_stop(self) -> None:
        """The item's next field that is wanted (its 扣分理由 after a loss), else the next
        item. Never changes an answer."""
        widget, focused = self._focused_stop()
        if widget is None:
            self._step(1)
            return
        stops = widget.stops()
        here = next((i for i, s in enumerate(stops) if s is focused), None)
        if here is not None and here + 1 < len(stops):
            self.set_focus(stops[here + 1])  # at once: keys typed ahead land here
            if stops[here + 1].has_class("item-note"):
                widget.focus_note()
            return
        self._step(1)

    def prev_stop(self) -> None:
        widget, focused = self._focused_stop()
        if widget is not None:
            stops = widget.stops()
            here = next((i for i, s in enumerate(stops) if s is focused), None)
            if here:
                self.set_focus(stops[here - 1])
                return
        self._step(-1)

    def _reveal(self, item: ItemInput, focused: Widget, tries: int = 5) -> None:
        """Keep the focused field on screen: the item's top when it fits, the field always."""
        items = self.query_one("#items", VerticalScroll)
        if not focused.has_focus:
            return
        if not focused.virtual_region.height and tries:
            # Not laid out yet (a page just shown, a busy machine): try after the next refresh.
            self.call_after_refresh(self._reveal, item, focused, tries - 1)
            return
        if item.outer_size.height <= items.scrollable_content_region.height:
            items.scroll_to_widget(item, animate=False, top=False, immediate=True)
        items.scroll_to_widget(focused, animate=False, immediate=True)

    # ------------------------------------------------------------ item and section steps

    def _current_widget(self) -> ItemInput | None:
        return next((w for w in self._widgets() if w.item_id == self.current_item), None)

    async def action_next_item(self) -> None:
        await self._drain()
        self._step(1)

    async def action_prev_item(self) -> None:
        await self._drain()
        self._step(-1)

    def _step(self, delta: int) -> None:
        visible = self._visible_widgets()
        current = self._current_widget()
        if current in visible:
            index = visible.index(current) + delta
            if 0 <= index < len(visible):
                visible[index].focus_main()
                return
        self._step_section(delta, focus_last=delta < 0)

    async def action_next_section(self) -> None:
        await self._drain()
        self._step_section(1)

    async def action_prev_section(self) -> None:
        await self._drain()
        self._step_section(-1)

    def _step_section(self, delta: int, focus_last: bool = False) -> None:
        ids = section_ids(self.sheet)
        index = ids.index(self.current_section) + delta
        if 0 <= index < len(ids):
            self.show_section(ids[index], focus_last=focus_last)
        elif delta > 0 and not self.sheet.blockers(self.record):
            self.notify(tr("fill.all_done", self.lang))
