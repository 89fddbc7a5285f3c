"""One sheet item on the fill screen: its text, guidance, the right input for its type, the
points it earns so far and the 扣分理由 field. Each kind of change is posted as its own message
(`ItemInput.ValueChanged`, `NoteChanged`, `NotApplicableToggled`, `PhotoAdded`, `VetoChanged`);
the screen applies it to the draft (and saves) and then calls `show()` with the result."""

from __future__ import annotations

from typing import Any, Literal

from textual import getters, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from inspect_kit.domain.answers import Answer, VetoAnswer
from inspect_kit.domain.model import (
    DateItem,
    DeductItem,
    Item,
    MultiItem,
    NoteItem,
    NumberItem,
    PhotoItem,
    ScoreItem,
    SignatureItem,
    TableItem,
    TextItem,
    Veto,
)
from inspect_kit.domain.scoring import ItemScore
from inspect_kit.i18n.catalog import fmt_points, tr
from inspect_kit.i18n.form_text import guidance_for, localized, methods_for, text_for, unit_for
from inspect_kit.tui.kit_app import KitApp
from inspect_kit.tui.user_text import plain
from inspect_kit.tui.widgets.choices import Choices
from inspect_kit.tui.widgets.fields import MultilineInput, PhotoList
from inspect_kit.tui.widgets.item_status import status_parts
from inspect_kit.tui.widgets.item_values import (
    choice_labels,
    input_text,
    raw_from_indexes,
    selected_indexes,
)
from inspect_kit.tui.widgets.plain import Plain
from inspect_kit.tui.widgets.table_rows import RowTable


class _ItemMessage(Message):
    """Something happened on one item; `control` is its widget, so `@on(..., "#item-x")` works."""

    def __init__(self, widget: ItemInput) -> None:
        super().__init__()
        self.widget = widget

    @property
    def control(self) -> ItemInput:
        return self.widget


class ItemInput(Vertical):
    """The widget for one item; `item_id` names it in messages."""

    class ValueChanged(_ItemMessage):
        """The answer's value was picked or typed (raw: the screen normalises it)."""

        def __init__(self, widget: ItemInput, value: Any) -> None:
            super().__init__(widget)
            self.value = value

    class NoteChanged(_ItemMessage):
        """The 扣分理由 (or, on a veto, its note) was typed."""

        def __init__(self, widget: ItemInput, note: str) -> None:
            super().__init__(widget)
            self.note = note

    class NotApplicableToggled(_ItemMessage):
        """不适用 was switched on or off."""

    class PhotoAdded(_ItemMessage):
        """A photo's path was entered, to be copied into the draft's attachments."""

        def __init__(self, widget: ItemInput, path: str) -> None:
            super().__init__(widget)
            self.path = path

    class PhotoRemoved(_ItemMessage):
        """Delete was pressed on an attached photo: remove it from the draft."""

        def __init__(self, widget: ItemInput, name: str) -> None:
            super().__init__(widget)
            self.name = name

    class Edited(_ItemMessage):
        """Text not yet stored (a photo path) was edited: an error about it is stale."""

    class VetoChanged(_ItemMessage):
        """A veto was answered: `fired` True (it applies), False, or None (cleared)."""

        def __init__(self, widget: ItemInput, fired: bool | None) -> None:
            super().__init__(widget)
            self.fired = fired

    class Advance(_ItemMessage):
        """Enter in a typed field: go to the next stop (the screen decides where)."""

        def __init__(self, widget: ItemInput, from_note: bool) -> None:
            super().__init__(widget)
            self.from_note = from_note

    app = getters.app(KitApp)

    def __init__(self, item: Item | Veto, number: str, *, note_required: bool,
                 bonus: bool = False) -> None:  # fmt: skip
        super().__init__(id=f"item-{item.id}", classes="item")
        self.item = item
        self.number = number
        self.note_required = note_required
        self.bonus = bonus
        """A 加分项 item: a bonus not earned is no deduction, so it asks for no reason."""
        self.wants_note = False

    @property
    def lang(self) -> str:
        return self.app.lang

    @property
    def item_id(self) -> str:
        return self.item.id

    # ------------------------------------------------------------ building

    def compose(self) -> ComposeResult:
        item, lang = self.item, self.lang
        yield Plain(self._title(), classes="item-title")
        lines = []
        guidance = guidance_for(item, lang)  # not every kind has these
        methods: list[str] = getattr(item, "methods", None) or []
        hint = localized(item, "hint", lang) if getattr(item, "hint", None) else None

        def labelled(key: str, text: str) -> str:  # "要点：…" / "Guide: …"
            return tr("fill.labelled", lang, label=tr(key, lang), text=text)

        if guidance:
            lines.append(labelled("fill.guidance", guidance.strip()))
        if methods:
            lines.append(labelled("fill.methods", methods_for(item, lang)))
        if isinstance(item, NumberItem | TableItem) and item.bands:
            bands = "  ".join(f"≥{b.min:g}→{b.points:g}" for b in
                              sorted(item.bands, key=lambda b: -b.min))  # fmt: skip
            lines.append(labelled("fill.bands", bands))
        if hint:
            lines.append(hint)
        if lines:
            yield Plain("\n".join(lines), classes="item-guidance")
        if isinstance(item, NoteItem):
            return
        yield from self._control()
        yield Plain("", classes="item-status")
        if isinstance(item, PhotoItem):
            yield PhotoList(classes="item-photos")
        if isinstance(item, Veto) or item.scored:
            key = "fill.veto_note" if isinstance(item, Veto) else "fill.note"
            # select_on_focus off: arriving by Enter and typing must add to a reason, not
            # replace it unseen.
            yield Input(placeholder=tr(key, lang), classes="item-note", compact=True,
                        max_length=2000, select_on_focus=False)  # fmt: skip

    def _title(self) -> str:
        item = self.item
        text = text_for(item, self.lang)
        if isinstance(item, Veto):
            return f"{self.number}. {text}"
        mark = "＊" if item.is_required else ""
        points = f"  [{fmt_points(item.max_points)}{'' if self.lang == 'en' else '分'}]" \
            if item.scored else ""  # fmt: skip
        unit = unit_for(item, self.lang) if isinstance(item, NumberItem) else ""
        unit = (f" ({unit})" if self.lang == "en" else f"（{unit}）") if unit else ""
        return f"{mark}{self.number}. {text}{unit}{points}"

    def _control(self) -> ComposeResult:
        item, lang = self.item, self.lang
        if isinstance(item, Veto):
            yield Choices([tr("fill.veto_no", lang), tr("fill.veto_yes", lang)],
                          classes="item-control")  # fmt: skip
            return
        if isinstance(item, TableItem):
            yield RowTable(item, lang, classes="item-control")
            yield Plain(tr("table.keys", lang), classes="item-guidance")
            return
        labels = choice_labels(item, lang)
        if labels is not None:
            multi = isinstance(item, MultiItem | DeductItem)
            none = tr("fill.none_of_these", lang) if multi else None
            yield Choices(labels, multi=multi, none_label=none, classes="item-control")
            return
        if isinstance(item, TextItem) and item.multiline:
            yield MultilineInput(placeholder=tr("fill.multiline", lang), compact=True,
                                 classes="item-control -multiline")  # fmt: skip
            return
        kind: Literal["integer", "number", "text"] = "text"
        placeholder = ""
        # "integer" would silently drop a typed "." (9.5 → 95): the field takes the text as
        # typed and the domain refuses a decimal in plain words.
        if isinstance(item, ScoreItem):
            kind = "number"
            placeholder = tr("fill.range", lang, max=f"{item.max:g}", step=f"{item.step:g}")
        elif isinstance(item, DeductItem):
            kind = "number"
            placeholder = tr("fill.count", lang, per=f"{item.per:g}")
        elif isinstance(item, NumberItem):
            kind = "number"
            placeholder = unit_for(item, lang)
        elif isinstance(item, DateItem):
            placeholder = tr("fill.date", lang)
        elif isinstance(item, PhotoItem):
            placeholder = tr("fill.photo", lang)
        elif isinstance(item, SignatureItem):
            placeholder = tr("fill.signature", lang)
        yield Input(placeholder=placeholder, type=kind, classes="item-control", compact=True,
                    max_length=5000)  # fmt: skip

    # ------------------------------------------------------------ focus

    def focus_main(self, scroll: bool = True) -> None:
        controls = self.query(".item-control")
        if controls:
            # Synchronous, unlike Widget.focus() (deferred): keys typed ahead, already queued,
            # must land on the field the inspector moved to.
            self.screen.set_focus(controls.first(), scroll_visible=scroll)

    def focus_note(self) -> bool:
        notes = self.query(".item-note")
        if notes:
            note = notes.first(Input)
            self.screen.set_focus(note)
            note.cursor_position = len(note.value)
            return True
        return False

    def stops(self) -> list[Widget]:
        """The fields Enter/Tab visit in this item, in order (the note only when it is wanted)."""
        found: list[Widget] = list(self.query(".item-control"))
        photos = self.query(PhotoList)
        if photos and photos.first().option_count:
            found.append(photos.first())
        notes = self.query(".item-note")
        if notes and self.wants_note:
            found.append(notes.first())
        return found

    # ------------------------------------------------------------ showing state

    def load(self, answer: Answer | VetoAnswer) -> None:
        """Put a stored answer into the controls (without posting changes)."""
        item = self.item
        controls = self.query(".item-control")
        if controls:
            control = controls.first()
            text = ""
            if not isinstance(answer, VetoAnswer) and not isinstance(item, Veto):
                text = input_text(item, answer)
            if isinstance(control, RowTable) and not isinstance(answer, VetoAnswer):
                value = answer.value
                control.show_rows(list(value) if isinstance(value, list) and not answer.na else [])
            elif isinstance(control, Choices):
                sel: tuple[int, ...] = ()
                none = False
                if isinstance(answer, VetoAnswer):
                    sel = () if answer.fired is None else ((1,) if answer.fired else (0,))
                elif not isinstance(item, Veto) and not answer.na:
                    sel = selected_indexes(item, answer.value)
                    none = answer.value == []
                control.set_selected(sel, none=none)
            elif isinstance(control, Input):
                if control.value != text:
                    with control.prevent(Input.Changed):
                        control.value = text
            elif isinstance(control, TextArea) and control.text != text:
                with control.prevent(TextArea.Changed):
                    control.load_text(text)
                control.move_cursor(control.document.end)
        photos = self.query(PhotoList)
        if photos and not isinstance(answer, VetoAnswer):
            photos.first().show_names(answer.attachments)
        notes = self.query(".item-note")
        if notes:
            note = notes.first(Input)
            if note.value != answer.note and not note.has_focus:
                with note.prevent(Input.Changed):
                    note.value = answer.note

    def show(self, answer: Answer | VetoAnswer, score: ItemScore | None,
             error: str | None = None) -> None:  # fmt: skip
        """Update the status line and the note label from the draft's state."""
        lang = self.lang
        if isinstance(self.item, TableItem) and isinstance(answer, Answer):
            self.load(answer)  # the rows shown are the stored rows, after every change
        # The 扣分理由 (情况说明) is a stop for Enter/Tab when points were lost, a veto fired,
        # or a note is already there to be read or corrected.
        if isinstance(answer, VetoAnswer):
            self.wants_note = bool(answer.fired) or bool(answer.note)
        else:
            lost = score is not None and score.lost > 0 and not self.bonus
            self.wants_note = lost or bool(answer.note)
        parts, css_state = status_parts(self.item, answer, score, error, lang, self.bonus)
        statuses = self.query(".item-status")
        if statuses:
            status = statuses.first(Static)
            status.update(plain("  ".join(parts)))
            status.set_classes(f"item-status -{css_state}")
        notes = self.query(".item-note")
        if notes and not isinstance(answer, VetoAnswer):
            lost = score is not None and score.lost > 0 and not self.bonus
            key = "fill.note_required" if (lost and self.note_required) else "fill.note"
            notes.first(Input).placeholder = tr(key, lang)
        self.set_class(css_state == "error", "-problem")

    # ------------------------------------------------------------ events from the controls

    @on(Choices.Changed)
    def _choices_changed(self, event: Choices.Changed) -> None:
        event.stop()
        if isinstance(self.item, Veto):
            fired = None if not event.selected else event.selected[0] == 1
            self.post_message(self.VetoChanged(self, fired))
        elif event.choices.multi and not event.selected:
            # Only the "none of these" entry answers "nothing ticked"; un-ticking the last
            # tick leaves the item unanswered rather than recording a choice not made.
            self.post_message(self.ValueChanged(self, [] if event.none else None))
        else:
            self.post_message(self.ValueChanged(self, raw_from_indexes(self.item, event.selected)))

    @on(RowTable.RowsChanged)
    def _rows_changed(self, event: RowTable.RowsChanged) -> None:
        event.stop()
        self.post_message(self.ValueChanged(self, event.rows))

    @on(RowTable.NotApplicable)
    @on(Choices.NotApplicable)
    def _choices_na(self, event: Choices.NotApplicable | RowTable.NotApplicable) -> None:
        event.stop()
        self.post_message(self.NotApplicableToggled(self))

    @on(Input.Changed, ".item-control")
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if not isinstance(self.item, PhotoItem):  # photos are added on Enter, not per keystroke
            self.post_message(self.ValueChanged(self, event.value))
        else:
            self.post_message(self.Edited(self))

    @on(TextArea.Changed, ".item-control")
    def _text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()  # saved on every change, like a one-line Input
        self.post_message(self.ValueChanged(self, event.text_area.text))

    @on(Input.Submitted, ".item-control")
    def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if isinstance(self.item, PhotoItem) and event.value.strip():
            self.post_message(self.PhotoAdded(self, event.value))
            return
        self.post_message(self.Advance(self, from_note=False))

    @on(Input.Changed, ".item-note")
    def _note_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.NoteChanged(self, event.value))

    @on(Input.Submitted, ".item-note")
    def _note_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Advance(self, from_note=True))

    @on(PhotoList.OptionSelected)
    def _photo_list_enter(self, event: PhotoList.OptionSelected) -> None:
        event.stop()  # Enter on the photo list moves on, as Enter does everywhere on the sheet
        self.post_message(self.Advance(self, from_note=False))

    @on(PhotoList.RemoveRequested)
    def _photo_remove(self, event: PhotoList.RemoveRequested) -> None:
        event.stop()
        self.post_message(self.PhotoRemoved(self, event.name))

    def clear_photo_input(self) -> None:
        control = self.query(".item-control").first(Input)
        with control.prevent(Input.Changed):
            control.value = ""
