"""One sheet item on the fill screen: its text, guidance, the right input for its type, the
points it earns so far and the 扣分理由 field. Changes are posted as `ItemInput.Changed`;
the screen applies them to the draft (and saves) and then calls `show()` with the result."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static, TextArea

from inspect_kit.domain.answers import Answer, VetoAnswer, display_value
from inspect_kit.domain.model import (
    ChoiceItem,
    DateItem,
    DeductItem,
    Item,
    MultiItem,
    NoteItem,
    NumberItem,
    PhotoItem,
    ScoreItem,
    SignatureItem,
    TextItem,
    Veto,
    YesNoItem,
)
from inspect_kit.domain.scoring import ItemScore
from inspect_kit.i18n.catalog import fmt_points, tr
from inspect_kit.i18n.form_text import label_for, text_for
from inspect_kit.tui.widgets.choices import Choices
from inspect_kit.tui.widgets.plain import Plain


def _option_label(option, lang: str) -> str:
    label = label_for(option, lang)
    unit = "" if lang == "en" else "分"
    return f"{label}（{fmt_points(option.points)}{unit}）" if lang != "en" else \
        f"{label} ({fmt_points(option.points)})"  # fmt: skip


def choice_labels(item: Item, lang: str) -> list[str] | None:
    """Labels for items answered from a list, or None for typed items."""
    if isinstance(item, YesNoItem):
        return list(item.labels)
    if isinstance(item, ChoiceItem | MultiItem):
        return [_option_label(o, lang) for o in item.options]
    if isinstance(item, DeductItem) and item.defects:
        return list(item.defects)
    return None


def selected_indexes(item: Item, value: Any) -> tuple[int, ...]:
    if value is None:
        return ()
    if isinstance(item, YesNoItem):
        return (0,) if value else (1,)
    if isinstance(item, ChoiceItem):
        return tuple(i for i, o in enumerate(item.options) if o.label == value)
    if isinstance(item, MultiItem):
        return tuple(i for i, o in enumerate(item.options) if o.label in value)
    if isinstance(item, DeductItem) and isinstance(value, list):
        return tuple(i for i, d in enumerate(item.defects) if d in value)
    return ()


def raw_from_indexes(item: Item, selected: tuple[int, ...]) -> Any:
    if isinstance(item, YesNoItem):
        return None if not selected else selected[0] == 0
    if isinstance(item, ChoiceItem):
        return item.options[selected[0]].label if selected else None
    if isinstance(item, MultiItem):
        return [item.options[i].label for i in selected]
    if isinstance(item, DeductItem):
        return [item.defects[i] for i in selected]
    return None


def inputtext_for(item: Item, answer: Answer) -> str:
    value = answer.value
    if value is None or isinstance(item, PhotoItem):
        return ""
    if isinstance(item, ScoreItem | NumberItem | DeductItem):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return str(value)


class MultilineInput(TextArea):
    """A soft-wrapping box for `multiline: true` text items. Enter adds a line, so moving on is
    Ctrl+N (the fill screen's next-item key). The TextArea's own PageUp/PageDown/F7 are handed
    to the screen, so the section keys work here as everywhere else on the sheet."""

    BINDINGS = [Binding("pageup,pagedown,f7", "to_screen", show=False)]

    def action_to_screen(self) -> None:
        raise SkipAction()  # the binding chain goes on to the screen's binding for this key


class ItemInput(Vertical):
    """The widget for one item; `item_id` names it in messages."""

    class Changed(Message):
        """`field` is value | na | note | photo; the screen applies it to the draft."""

        def __init__(self, widget: ItemInput, field: str, value: Any) -> None:
            super().__init__()
            self.widget, self.field, self.value = widget, field, value

    class Advance(Message):
        """Enter (or a pick) finished this item: go on."""

        def __init__(self, widget: ItemInput, from_note: bool) -> None:
            super().__init__()
            self.widget, self.from_note = widget, from_note

    def __init__(self, item: Item | Veto, number: str, lang: str, *, note_required: bool) -> None:
        super().__init__(id=f"item-{item.id}", classes="item")
        self.item = item
        self.number = number
        self.lang = lang
        self.note_required = note_required

    @property
    def item_id(self) -> str:
        return self.item.id

    # ------------------------------------------------------------ building

    def compose(self) -> ComposeResult:
        item, lang = self.item, self.lang
        yield Plain(self._title(), classes="item-title")
        lines = []
        if getattr(item, "guidance", None):
            lines.append(f"{tr('fill.guidance', lang)}：{item.guidance.strip()}")
        if getattr(item, "methods", ()):
            lines.append(f"{tr('fill.methods', lang)}：{'、'.join(item.methods)}")
        if isinstance(item, NumberItem) and item.bands:
            bands = "  ".join(f"≥{b.min:g}→{b.points:g}" for b in
                              sorted(item.bands, key=lambda b: -b.min))  # fmt: skip
            lines.append(f"{tr('fill.bands', lang)}：{bands}")
        if getattr(item, "hint", None):
            lines.append(item.hint)
        if lines:
            yield Plain("\n".join(lines), classes="item-guidance")
        if isinstance(item, NoteItem):
            return
        yield from self._control()
        yield Plain("", classes="item-status")
        if isinstance(item, Veto) or item.scored:
            key = "fill.veto_note" if isinstance(item, Veto) else "fill.note"
            yield Input(placeholder=tr(key, lang), classes="item-note", compact=True,
                        max_length=2000)  # fmt: skip

    def _title(self) -> str:
        item = self.item
        text = text_for(item, self.lang)
        if isinstance(item, Veto):
            return f"{self.number}. {text}"
        mark = "＊" if item.is_required else ""
        points = f"  [{fmt_points(item.max_points)}{'' if self.lang == 'en' else '分'}]" \
            if item.scored else ""  # fmt: skip
        unit = f"（{item.unit}）" if isinstance(item, NumberItem) and item.unit else ""
        return f"{mark}{self.number}. {text}{unit}{points}"

    def _control(self) -> ComposeResult:
        item, lang = self.item, self.lang
        if isinstance(item, Veto):
            labels = [tr("fill.veto_no", lang), tr("fill.veto_yes", lang)]
            yield Choices(labels, classes="item-control")
            return
        labels = choice_labels(item, lang)
        if labels is not None:
            multi = isinstance(item, MultiItem | DeductItem)
            yield Choices(labels, multi=multi, classes="item-control")
            return
        if isinstance(item, TextItem) and item.multiline:
            yield MultilineInput(placeholder=tr("fill.multiline", lang), compact=True,
                                 classes="item-control -multiline")  # fmt: skip
            return
        kind = "text"
        placeholder = ""
        if isinstance(item, ScoreItem):
            kind = "number"
            placeholder = tr("fill.range", lang, max=f"{item.max:g}", step=f"{item.step:g}")
        elif isinstance(item, DeductItem):
            kind = "integer"
            placeholder = tr("fill.count", lang, per=f"{item.per:g}")
        elif isinstance(item, NumberItem):
            kind = "integer" if item.integer else "number"
            placeholder = item.unit or ""
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
            controls.first().focus(scroll_visible=scroll)
        if scroll:
            self.scroll_visible(animate=False)

    def focus_note(self) -> bool:
        notes = self.query(".item-note")
        if notes:
            notes.first().focus()
            return True
        return False

    # ------------------------------------------------------------ showing state

    def load(self, answer: Answer | VetoAnswer) -> None:
        """Put a stored answer into the controls (without posting changes)."""
        controls = self.query(".item-control")
        if controls:
            control = controls.first()
            if isinstance(control, Choices):
                if isinstance(answer, VetoAnswer):
                    sel = () if answer.fired is None else ((1,) if answer.fired else (0,))
                else:
                    sel = () if answer.na else selected_indexes(self.item, answer.value)
                control.set_selected(sel)
            elif isinstance(control, Input):
                text = "" if isinstance(answer, VetoAnswer) else inputtext_for(self.item, answer)
                if control.value != text:
                    with control.prevent(Input.Changed):
                        control.value = text
            elif isinstance(control, TextArea):
                text = "" if isinstance(answer, VetoAnswer) else inputtext_for(self.item, answer)
                if control.text != text:
                    with control.prevent(TextArea.Changed):
                        control.loadtext_for(text)
                    control.move_cursor(control.document.end)
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
        parts: list[str] = []
        css_state = "ok"
        if error:
            parts.append(tr("fill.invalid", lang, msg=error))
            css_state = "error"
        if isinstance(answer, VetoAnswer):
            if answer.fired is None:
                parts.append("· " + tr("fill.unanswered", lang))
                css_state = css_state if error else "todo"
            elif answer.fired:
                parts.append(tr("review.veto", lang))
                css_state = "error"
        else:
            item = self.item
            if answer.na:
                parts.append(tr("fill.na", lang))
            elif score is not None and score.points is not None:
                parts.append("✓ " + tr("fill.points", lang, points=fmt_points(score.points),
                                       max=fmt_points(score.max)))  # fmt: skip
                if score.lost > 0:
                    parts.append(tr("fill.lost", lang, lost=fmt_points(score.lost)))
            elif answer.answered:
                shown = display_value(item, answer.value, lang)
                parts.append("✓ " + shown if not isinstance(item, PhotoItem) else "✓")
            elif not isinstance(item, NoteItem):
                mark = "· " + tr("fill.unanswered", lang)
                if item.is_required:
                    mark += f"（{tr('fill.required', lang)}）"
                parts.append(mark)
                css_state = css_state if error else "todo"
            if isinstance(item, PhotoItem) and answer.attachments:
                parts.append(tr("fill.photos", lang, names="、".join(answer.attachments)))
            if isinstance(item, SignatureItem) and answer.signed_at:
                parts.append(tr("fill.signed", lang, at=answer.signed_at[:16].replace("T", " ")))
            if getattr(item, "allow_na", False):
                parts.append(tr("fill.na_hint", lang))
            if score is not None and score.note_missing:
                parts.append("⚠ " + tr("fill.note_required", lang))
                css_state = "error"
        statuses = self.query(".item-status")
        if statuses:
            status = statuses.first(Static)
            status.update("  ".join(parts))
            status.set_classes(f"item-status -{css_state}")
        notes = self.query(".item-note")
        if notes and not isinstance(answer, VetoAnswer):
            lost = score is not None and score.lost > 0
            key = "fill.note_required" if (lost and self.note_required) else "fill.note"
            notes.first(Input).placeholder = tr(key, lang)
        self.set_class(css_state == "error", "-problem")

    # ------------------------------------------------------------ events from the controls

    @on(Choices.Changed)
    def _choices_changed(self, event: Choices.Changed) -> None:
        event.stop()
        if isinstance(self.item, Veto):
            fired = None if not event.selected else event.selected[0] == 1
            self.post_message(self.Changed(self, "veto", fired))
        else:
            self.post_message(
                self.Changed(self, "value", raw_from_indexes(self.item, event.selected))
            )

    @on(Choices.Done)
    def _choices_done(self, event: Choices.Done) -> None:
        event.stop()
        if event.choices.multi and not event.choices.selected:
            # Enter on an untouched list means "none of these": an explicit empty answer.
            self.post_message(self.Changed(self, "value", []))
        self.post_message(self.Advance(self, from_note=False))

    @on(Choices.NotApplicable)
    def _choices_na(self, event: Choices.NotApplicable) -> None:
        event.stop()
        self.post_message(self.Changed(self, "na", None))

    @on(Input.Changed, ".item-control")
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if not isinstance(self.item, PhotoItem):  # photos are added on Enter, not per keystroke
            self.post_message(self.Changed(self, "value", event.value))

    @on(TextArea.Changed, ".item-control")
    def _text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()  # saved on every change, like a one-line Input
        self.post_message(self.Changed(self, "value", event.text_area.text))

    @on(Input.Submitted, ".item-control")
    def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if isinstance(self.item, PhotoItem) and event.value.strip():
            self.post_message(self.Changed(self, "photo", event.value))
            return
        self.post_message(self.Advance(self, from_note=False))

    @on(Input.Changed, ".item-note")
    def _note_changed(self, event: Input.Changed) -> None:
        event.stop()
        field = "veto_note" if isinstance(self.item, Veto) else "note"
        self.post_message(self.Changed(self, field, event.value))

    @on(Input.Submitted, ".item-note")
    def _note_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Advance(self, from_note=True))

    def clear_photo_input(self) -> None:
        control = self.query(".item-control").first(Input)
        with control.prevent(Input.Changed):
            control.value = ""
