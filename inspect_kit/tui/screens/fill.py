"""The fill screen: a section navigator, the current section's items, a running score header.

Every change is applied to the draft and written at once (`DraftSession`), so quitting,
Ctrl+C or a killed terminal loses at most the keystroke being typed.

Only an explicit act answers (a number key, Space on a moved cursor, typing); Enter and Tab
go to the next stop: the item's 扣分理由 when it lost points, otherwise the next item.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import OptionList, Static

from inspect_kit.base.errors import InspectKitError
from inspect_kit.domain.answers import Answer, VetoAnswer
from inspect_kit.domain.model import NoteItem, PhotoItem, Veto
from inspect_kit.domain.scoring import ScoreRecord, for_subject
from inspect_kit.domain.sheet import Sheet
from inspect_kit.i18n.catalog import tr
from inspect_kit.services.drafts import DraftSession
from inspect_kit.tui.bindings import localize_bindings
from inspect_kit.tui.format import saved_clock
from inspect_kit.tui.screens.fill_moves import FillNavigation
from inspect_kit.tui.screens.fill_rectify import FillRectify
from inspect_kit.tui.screens.review import FINALIZE, ReviewScreen
from inspect_kit.tui.user_text import plain
from inspect_kit.tui.widgets.footer import KitFooter
from inspect_kit.tui.widgets.item_input import ItemInput
from inspect_kit.tui.widgets.plain import Plain
from inspect_kit.tui.widgets.score_header import score_line
from inspect_kit.tui.widgets.section_nav import VETO_SECTION, SectionNav, section_ids


class FillScreen(FillNavigation, FillRectify):
    CSS_PATH = "fill.tcss"
    HELP_KEY = "help.fill"
    BINDINGS = [
        # The moves are priority bindings: run by the app in key order (see _drain), so keys
        # typed ahead land on the field moved to, never on the one left.
        Binding("enter", "enter", "下一处", id="fill.enter", show=False, priority=True),
        Binding("tab", "next_stop", "下一处", id="fill.next_stop", show=False, priority=True),
        Binding(
            "shift+tab", "prev_stop", "上一处", id="fill.prev_stop", show=False, priority=True
        ),  # fmt: skip
        Binding("ctrl+n,ctrl+down", "next_item", "下一项", id="fill.next_item", priority=True),
        Binding(
            "ctrl+b,ctrl+up", "prev_item", "上一项", id="fill.prev_item", show=False, priority=True
        ),  # fmt: skip
        Binding("pagedown,f8", "next_section", "下一部分", id="fill.next_section", priority=True),
        Binding(
            "pageup,f7",
            "prev_section",
            "上一部分",
            id="fill.prev_section",
            show=False,
            priority=True,
        ),  # fmt: skip
        Binding("ctrl+g,f3", "next_problem", "下一个待办", id="fill.next_problem"),
        Binding("ctrl+t,f4", "toggle_na", "不适用", id="fill.toggle_na"),
        Binding("f6", "mark_rectify", "需整改", id="fill.mark_rectify", show=False),
        Binding("f9", "rectify", "整改", id="fill.rectify", show=False),
        Binding("f10,ctrl+r", "review", "提交", id="fill.review"),
        Binding("escape", "back", "返回", id="fill.back"),
    ]

    def __init__(self, session: DraftSession) -> None:
        super().__init__()
        self.session = session
        self.errors: dict[str, str] = {}
        self.current_section = ""
        self.current_item: str | None = None
        self.record: ScoreRecord = session.sheet.score()
        self._switching = False
        localize_bindings(self, self.lang)

    @property
    def sheet(self) -> Sheet:
        return self.session.sheet

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Plain(id="fill-title")
        yield Plain(id="fill-score")
        with Horizontal(id="fill-body"):
            yield SectionNav(id="nav")
            with VerticalScroll(id="items"):
                # Every section is built once; switching shows one page (fast, no remounting,
                # so keys typed ahead during a switch land on the right item).
                for page_id, widgets in self._pages():
                    with Vertical(id=f"page-{page_id}", classes="page"):
                        yield from widgets
        yield Plain(id="fill-status")
        yield KitFooter()

    def _pages(self):
        form = self.sheet.form
        note_required = form.deduction_note == "required"
        for index, section in enumerate(form.sections, 1):
            yield (
                section.id,
                [
                    ItemInput(
                        # the item as it scores for this subject (level-aware bands shown)
                        for_subject(item, self.sheet.answers.subject),
                        f"{index}.{n}",
                        note_required=note_required,
                        bonus=section.bonus,
                    )  # fmt: skip
                    for n, item in enumerate(section.items, 1)
                ],
            )
        if form.vetoes:
            yield VETO_SECTION, [ItemInput(v, str(n), note_required=False)
                                 for n, v in enumerate(form.vetoes, 1)]  # fmt: skip

    def on_mount(self) -> None:
        sheet, lang = self.sheet, self.lang
        self.query_one("#fill-title", Static).update(
            plain(
                " · ".join(
                    [sheet.form.title_for(lang), sheet.subject_name, sheet.rater, sheet.round]
                )
            )
        )
        for widget in self.query(ItemInput):
            widget.load(self._answer(widget))
        self._show_saved(sheet.saved_at)
        start = self._section_for(sheet.position)
        self.show_section(start, focus_item=sheet.position, note_first=True, resume=True)
        self.call_after_refresh(self._show_open_items)

    def _section_for(self, item_id: str | None) -> str:
        if not item_id:
            return section_ids(self.sheet)[0]
        if item_id in {v.id for v in self.sheet.form.vetoes}:
            return VETO_SECTION
        try:
            return self.sheet.form.section_of(item_id).id
        except KeyError:
            return section_ids(self.sheet)[0]

    def show_section(self, section_id: str, focus_item: str | None = None,
                     focus_last: bool = False, note_first: bool = False,
                     resume: bool = False) -> None:  # fmt: skip
        """Show the section's page and focus one of its items (with note_first: its
        扣分理由 when it lost points, where a resumed inspector was typing)."""
        self._switching = True
        self.current_section = section_id
        for page in self.query(".page"):
            page.display = page.id == f"page-{section_id}"
        items = self.query_one("#items", VerticalScroll)
        items.scroll_home(animate=False, immediate=True)
        self.call_after_refresh(items.scroll_home, animate=False)  # once the page is laid out
        self.refresh_state()
        self._switching = False
        visible = self._visible_widgets()
        target = next((w for w in visible if w.item_id == focus_item), None)
        if target is None and visible:
            target = visible[-1] if focus_last else visible[0]
        wants_note = target is not None and note_first and self._wants_note_first(target)
        if wants_note and resume and target is not None:
            # Resumed: the reason box only if typing had begun there (its text is saved).
            wants_note = bool(self._answer(target).note)
        if target is not None and not (wants_note and target.focus_note()):
            target.focus_main(scroll=False)

    # ------------------------------------------------------------ state → screen

    def _answer(self, widget: ItemInput) -> Answer | VetoAnswer:
        if isinstance(widget.item, Veto):
            return self.sheet.answers.vetoes.get(widget.item_id, VetoAnswer())
        return self.sheet.answer(widget.item_id)

    def _widgets(self) -> list[ItemInput]:
        return list(self.query_one(f"#page-{self.current_section}").query(ItemInput))

    def refresh_state(self) -> None:
        sheet, lang = self.sheet, self.lang
        self.record = record = sheet.score()
        visible = sheet.visible()
        for widget in self._widgets():
            shown = isinstance(widget.item, Veto) or widget.item_id in visible
            if widget.display and not shown:
                self.errors.pop(widget.item_id, None)
                widget.load(Answer())  # a hidden item's answer is dropped: show it empty
            widget.display = shown
            widget.set_class(widget.item_id in sheet.rectify, "-rectify")
            widget.show(self._answer(widget), record.items.get(widget.item_id),
                        self.errors.get(widget.item_id))  # fmt: skip
        header = self.query_one("#fill-score", Static)
        header.update(score_line(sheet, record, lang))
        header.set_class(bool(record.vetoes), "-veto")
        self.query_one("#nav", SectionNav).show_sections(sheet, record, self.current_section, lang)

    def _show_saved(self, saved_at: str | None, message: str = "") -> None:
        clock = saved_clock(saved_at)
        text = tr("fill.saved", self.lang, time=clock) if clock else tr("fill.not_saved", self.lang)
        self.query_one("#fill-status", Static).update(
            plain(f"✓ {text}" + (f"   {message}" if message else ""))
        )

    # ------------------------------------------------------------ changes

    def _record(self, widget: ItemInput, change: Callable[[], str | None]) -> None:
        """Apply one change to the draft (it saves at once) and show the result."""
        item_id = widget.item_id
        saved: str | None = None
        try:
            saved = change()
            self.errors.pop(item_id, None)
        except InspectKitError as exc:
            self.errors[item_id] = exc.render(self.lang)
            saved = self.sheet.saved_at
        self._show_saved(saved or self.session.sheet.saved_at)
        self.refresh_state()

    @on(ItemInput.ValueChanged)
    def _value_changed(self, event: ItemInput.ValueChanged) -> None:
        event.stop()
        value = event.value.strip() if isinstance(event.value, str) else event.value
        raw = None if value == "" else value
        item_id = event.widget.item_id
        self._record(event.widget, lambda: self.session.set_value(item_id, raw))

    @on(ItemInput.NoteChanged)
    def _note_changed(self, event: ItemInput.NoteChanged) -> None:
        event.stop()
        item_id, note = event.widget.item_id, event.note
        if isinstance(event.widget.item, Veto):
            fired = self.sheet.answers.vetoes.get(item_id, VetoAnswer()).fired
            self._record(event.widget, lambda: self.session.set_veto(item_id, fired, note))
        else:
            self._record(event.widget, lambda: self.session.set_note(item_id, note))

    @on(ItemInput.NotApplicableToggled)
    def _na_toggled(self, event: ItemInput.NotApplicableToggled) -> None:
        event.stop()
        self._record(event.widget, lambda: self.toggle_na(event.widget))

    @on(ItemInput.VetoChanged)
    def _veto_changed(self, event: ItemInput.VetoChanged) -> None:
        event.stop()
        item_id, fired = event.widget.item_id, event.fired
        self._record(event.widget, lambda: self.session.set_veto(item_id, fired))
        if fired:  # a fired veto asks for its 情况说明 at once
            event.widget.focus_note()

    @on(ItemInput.PhotoRemoved)
    def _photo_removed(self, event: ItemInput.PhotoRemoved) -> None:
        event.stop()
        item_id, name = event.widget.item_id, event.name
        self._record(event.widget, lambda: self.session.remove_photo(item_id, name))
        event.widget.load(self.sheet.answer(item_id))
        if not self.sheet.answer(item_id).attachments:
            event.widget.focus_main()

    @on(ItemInput.Edited)
    def _edited(self, event: ItemInput.Edited) -> None:
        event.stop()
        if self.errors.pop(event.widget.item_id, None) is not None:
            self.refresh_state()  # the message was about text that is no longer there

    @on(ItemInput.PhotoAdded)
    def _photo_added(self, event: ItemInput.PhotoAdded) -> None:
        event.stop()
        self.add_photo(event.widget, event.path)

    def add_photo(self, widget: ItemInput, path: str) -> None:
        def add() -> str | None:
            saved = self.session.add_photo(widget.item_id, path)
            widget.clear_photo_input()
            widget.load(self.sheet.answer(widget.item_id))
            return saved

        self._record(widget, add)

    def toggle_na(self, widget: ItemInput) -> str:
        answer = self.sheet.answer(widget.item_id)
        saved = self.session.set_na(widget.item_id, not answer.na)
        widget.load(self.sheet.answer(widget.item_id))
        return saved

    @on(ItemInput.Advance)
    def _advance(self, event: ItemInput.Advance) -> None:
        event.stop()
        self.next_stop()

    def on_descendant_focus(self, event) -> None:
        if self._switching:
            return
        node = event.widget
        while node is not None and not isinstance(node, ItemInput):
            node = node.parent
        if node is None:
            return
        # Twice deferred: a page just shown is laid out on the next refresh, not this one.
        self.call_after_refresh(self.call_after_refresh, self._reveal, node, event.widget)
        if node.item_id == self.current_item:
            return
        previous = self._current_widget()
        if previous is not None and isinstance(previous.item, PhotoItem) \
                and self.errors.pop(previous.item_id, None) is not None:  # fmt: skip
            self.refresh_state()  # a refused photo path is not kept: neither is its message
        for widget in self._widgets():
            widget.set_class(widget is node, "-current")
        self.current_item = node.item_id
        saved = self.session.set_position(node.item_id)
        if saved:
            self._show_saved(saved)

    @on(OptionList.OptionSelected, "#nav")
    def _section_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and event.option.id != self.current_section:
            self.show_section(event.option.id)

    def problems(self) -> list[str]:
        """Item and veto ids still to do, in sheet order."""
        open_ids = set(self.record.unanswered) | set(self.record.missing_notes)
        order = [i.id for _, i in self.sheet.form.iter_items() if not isinstance(i, NoteItem)]
        order += [v.id for v in self.sheet.form.vetoes]
        return [i for i in order if i in open_ids]

    def action_next_problem(self) -> None:
        todo = self.problems()
        if not todo:
            self.notify(tr("fill.all_done", self.lang))
            return
        order = [i.id for _, i in self.sheet.form.iter_items()] + [
            v.id for v in self.sheet.form.vetoes
        ]
        here = order.index(self.current_item) if self.current_item in order else -1
        after = [i for i in todo if order.index(i) > here]
        self.jump_to((after or todo)[0])

    def jump_to(self, item_id: str) -> None:
        section = self._section_for(item_id)
        if section != self.current_section:
            self.show_section(section, focus_item=item_id, note_first=True)
            return
        widget = next((w for w in self._widgets() if w.item_id == item_id), None)
        if widget is not None:
            if self.record.items.get(item_id) and self.record.items[item_id].note_missing \
                    and self.sheet.answer(item_id).answered:  # fmt: skip
                widget.focus_note()
            else:
                widget.focus_main()

    def action_toggle_na(self) -> None:
        widget = self._current_widget()
        if widget is None or self.current_section == VETO_SECTION:
            return
        widget.post_message(ItemInput.NotApplicableToggled(widget))

    def action_review(self) -> None:
        self.app.push_screen(ReviewScreen(self.sheet), self._review_done)

    def _review_done(self, result: str | None) -> None:
        if result is None:
            return
        if result == FINALIZE:
            self.finalize()
        else:
            self.jump_to(result)

    def finalize(self) -> None:
        try:
            doc = self.session.finalize()
        except InspectKitError as exc:
            self.notify(exc.render(self.lang), severity="error")
            return
        score = doc["score"]
        total = f"{score['total']:g}" + (f"+{score['bonus']:g}" if score["bonus"] else "")
        self.app.notify(tr("review.done", self.lang, subject=doc["subject_name"], total=total,
                           grade=score["grade"]), timeout=8)  # fmt: skip
        self.dismiss(None)

    def action_back(self) -> None:
        self.dismiss(None)

    def on_unmount(self) -> None:
        self.session.close()
