"""One question of a plain fill: asking an item or veto (and its 扣分理由) and applying the answer.

Mixed into `PlainFill` (prompt/plain.py), which walks the form and owns saving and Ctrl-C.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspect_kit.base.errors import AnswerError, InspectKitError
from inspect_kit.domain.answers import display_value, normalize_value
from inspect_kit.domain.model import (
    ChoiceItem,
    DateItem,
    DeductItem,
    Form,
    Item,
    MultiItem,
    NumberItem,
    PhotoItem,
    ScoreItem,
    SignatureItem,
    Veto,
    YesNoItem,
)
from inspect_kit.domain.sheet import Sheet
from inspect_kit.i18n.form_text import defect_label, label_for, yesno_labels
from inspect_kit.intake.attachments import attachment_dir, check_photo, set_attachments
from inspect_kit.intake.entries import deduction, set_answer
from inspect_kit.prompt.io import BACK, Prompter
from inspect_kit.prompt.steps import NA, NA_WORDS, SKIP, TODAY_WORDS, Step


class ItemQuestions:
    """What PlainFill asks per item; the attributes are PlainFill's."""

    sheet: Sheet
    form: Form
    ask: Prompter
    lang: str
    attachments_root: Path | None
    steps: list[Step]
    say: Callable[[str], None]

    if TYPE_CHECKING:  # provided by PlainFill

        def _askable(self, index: int) -> bool: ...
        def save(self) -> None: ...
        def t(self, key: str, **values: object) -> str: ...
        def text(self, obj: Any) -> str: ...

    def ask_step(self, step: Step, *, back: bool) -> Any:
        """Ask one item or veto (and its note); returns BACK when the inspector went back."""
        if step.veto is not None:
            return self.ask_veto(step.veto, back=back)
        item = step.item
        assert item is not None
        self._describe(item)
        while True:
            raw = self.ask_value(item, back=back)
            if raw is BACK:
                return BACK
            self.apply(item, raw)
            self.sheet.position = item.id
            self.save()
            lost = deduction(self.sheet, item.id)
            if lost <= 0 or self.form.deduction_note == "off":
                return None
            if self.ask_note(item, lost) is not BACK:
                return None

    def _describe(self, item: Item) -> None:
        visible = [s for i, s in enumerate(self.steps) if self._askable(i) and s.item is not None]
        number = next((n for n, s in enumerate(visible, 1) if s.item is item), 0)
        worth = self.t("item.worth", points=f"{item.max_points:g}") if item.scored else ""
        self.say(self.t("item.number", n=number, of=len(visible), id=item.id, worth=worth))
        if item.guidance:
            self.say(self.t("item.guidance", text=item.guidance))
        if item.methods:
            self.say(self.t("item.methods", text="、".join(item.methods)))
        if item.hint:
            self.say(self.t("item.hint", text=item.hint))
        if isinstance(item, NumberItem) and item.bands:
            unit = item.unit or ""
            bands = self.t("item.band_sep").join(
                self.t("item.band", min=f"{b.min:g}", unit=unit, points=f"{b.points:g}")
                for b in sorted(item.bands, key=lambda b: -b.min)
            )
            self.say(self.t("item.bands", text=bands))

    def ask_value(self, item: Item, *, back: bool) -> Any:
        answer = self.sheet.answer(item.id)
        current = answer.value
        extras: list[tuple[str, Any]] = []
        if item.allow_na:
            extras.append((self.t("na"), NA))
        if not item.is_required:
            extras.append((self.t("skip"), SKIP))
        default = NA if answer.na else current
        if isinstance(item, YesNoItem):
            good = item.good == "yes"
            yes, no = yesno_labels(item.labels, self.lang)
            titles = [
                self._worth(yes, item.points if good else 0, item),
                self._worth(no, 0 if good else item.points, item),
            ]
            choices = [(titles[0], True), (titles[1], False), *extras]
            return self.ask.select(self.text(item), choices, default, back=back)
        if isinstance(item, ChoiceItem):
            choices = [
                (self._worth(label_for(o, self.lang), o.points, item), o.label)
                for o in item.options
            ]
            return self.ask.select(self.text(item), [*choices, *extras], default, back=back)
        if isinstance(item, MultiItem) or (isinstance(item, DeductItem) and item.defects):
            return self._ask_ticks(item, current, answer.na, back=back)
        return self._ask_text(item, current, answer.na, back=back)

    def _worth(self, label: str, points: float, item: Item) -> str:
        return self.t("option.worth", label=label, points=f"{points:g}") if item.scored else label

    def _ask_ticks(
        self, item: MultiItem | DeductItem, current: Any, na: bool, *, back: bool
    ) -> Any:
        extras: list[tuple[str, Any]] = []
        if item.allow_na:
            extras.append((self.t("na"), NA))
        if back:
            extras.append((self.t("back"), BACK))
        if isinstance(item, MultiItem):
            choices = [
                (self._worth(label_for(o, self.lang), o.points, item), o.label)
                for o in item.options
            ]
            message = self.t("multi", text=self.text(item))
        else:
            choices = [(defect_label(item, d, self.lang), d) for d in item.defects]
            message = self.t("defects", text=self.text(item), per=f"{item.per:g}")
        checked = current if isinstance(current, list) else []
        ticked = self.ask.checkbox(message, choices, checked, extras)
        if BACK in ticked:
            return BACK
        if NA in ticked:
            return NA
        return ticked

    def _ask_text(self, item: Item, current: Any, na: bool, *, back: bool) -> Any:
        parts = []
        if isinstance(item, ScoreItem):
            parts.append(self.t("text.score", max=f"{item.max:g}", step=f"{item.step:g}"))
        elif isinstance(item, DeductItem):
            parts.append(self.t("text.deduct", per=f"{item.per:g}"))
        elif isinstance(item, NumberItem) and item.unit:
            parts.append(self.t("text.unit", unit=item.unit))
        elif isinstance(item, DateItem):
            parts.append(self.t("text.date"))
        elif isinstance(item, PhotoItem):
            parts.append(self.t("text.photo"))
        if item.allow_na:
            parts.append(self.t("text.na"))
        if not item.is_required:
            parts.append(self.t("text.optional"))
        if back:
            parts.append(self.t("text.back"))
        default = self.t("na.word") if na else self._as_text(item, current)
        if isinstance(item, SignatureItem) and not default:
            default = self.sheet.rater

        def validate(text: str) -> bool | str:
            text = text.strip()
            if not text or (item.allow_na and text.lower() in NA_WORDS):
                return True
            try:
                self._parse_text(item, text)
            except (AnswerError, InspectKitError) as exc:
                return self._invalid(item, exc)
            return True

        instruction = self.t("text.instruction", parts=self.t("text.sep").join(parts))
        text = self.ask.text(
            self.text(item),
            default,
            validate,
            back=back,
            instruction=instruction if parts else None,
        )
        if text is BACK:
            return BACK
        text = text.strip()
        if not text:
            if item.is_required:
                self.say(self.t("text.empty"))
            return SKIP
        if item.allow_na and text.lower() in NA_WORDS:
            return NA
        return self._parse_text(item, text)

    def _invalid(self, item: Item, exc: Exception) -> str:
        """Why a typed answer was refused: the core's Chinese words, or plain English."""
        if self.lang != "en":
            return str(exc)
        if isinstance(item, ScoreItem):
            return self.t("invalid.score", max=f"{item.max:g}", step=f"{item.step:g}")
        if isinstance(item, DeductItem):
            return self.t("invalid.deduct")
        if isinstance(item, NumberItem):
            limits = f" ≥ {item.min_value:g}"
            if item.max_value is not None:
                limits = f" from {item.min_value:g} to {item.max_value:g}"
            return self.t("invalid.number", range=limits + (", whole" if item.integer else ""))
        if isinstance(item, DateItem):
            return self.t("invalid.date")
        if isinstance(item, PhotoItem):
            return self.t("invalid.photo")
        return self.t("invalid.text")

    def _parse_text(self, item: Item, text: str) -> Any:
        if isinstance(item, DateItem) and text.lower() in TODAY_WORDS:
            return dt.date.today().isoformat()
        if isinstance(item, PhotoItem):
            return [
                self._photo_source(part)
                for part in text.replace("；", ";").split(";")
                if part.strip()
            ]
        return normalize_value(item, text)

    def _photo_source(self, text: str) -> Path:
        """An existing attachment of this sheet (kept), or a new file to copy in."""
        name = text.strip()
        if self.attachments_root is not None and "/" not in name and "\\" not in name:
            existing = attachment_dir(self.attachments_root, self.sheet.uuid) / name
            if existing.is_file():
                return existing
        return check_photo(name)

    @staticmethod
    def _as_text(item: Item, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(item, PhotoItem) and isinstance(value, list):
            return "; ".join(value)
        if isinstance(value, float):
            return f"{value:g}"
        if isinstance(item, NumberItem | DeductItem | ScoreItem):
            return str(value)
        return display_value(item, value)

    def apply(self, item: Item, raw: Any) -> None:
        if raw == NA:
            self.sheet.set_na(item.id, True)
        elif raw == SKIP:
            if self.sheet.answer(item.id).note:
                self.sheet.set_value(item.id, None)  # keep the note written earlier
            else:
                self.sheet.clear(item.id)
        elif isinstance(item, PhotoItem):
            self._apply_photos(item, raw)
        else:
            set_answer(self.sheet, item, raw)

    def _apply_photos(self, item: PhotoItem, sources: list[Path]) -> None:
        if self.attachments_root is None:
            raise InspectKitError("没有附件目录，不能保存照片")
        ordered = set_attachments(self.attachments_root, self.sheet.uuid, sources)
        self.sheet.set_attachments(item.id, ordered)
        folder = attachment_dir(self.attachments_root, self.sheet.uuid).resolve()
        self.say(self.t("photos.saved", n=len(ordered), folder=folder))

    def ask_note(self, item: Item, lost: float) -> Any:
        required = self.form.deduction_note == "required"
        note = self.ask.text(
            self.t("note.ask", lost=f"{lost:g}"),
            self.sheet.answer(item.id).note,
            (lambda v: bool(v.strip()) or self.t("note.need")) if required else None,
            back=True,
            instruction=self.t("note.required" if required else "note.optional"),
        )
        if note is BACK:
            return BACK
        self.sheet.set_note(item.id, note)
        self.save()
        return None

    def ask_veto(self, veto: Veto, *, back: bool) -> Any:
        if veto.guidance:
            self.say(self.t("veto.guidance", text=veto.guidance))
        current = self.sheet.answers.vetoes.get(veto.id)
        default = current.fired if current else None
        fired = self.ask.select(
            self.t("veto.ask", text=self.text(veto)),
            [(self.t("veto.no"), False), (self.t("veto.yes"), True)],
            default,
            back=back,
        )
        if fired is BACK:
            return BACK
        note = current.note if current else ""
        if fired:
            note = self.ask.text(self.t("veto.note"), note)
        self.sheet.set_veto(veto.id, fired, note.strip() if fired else "")
        self.sheet.position = veto.id  # as the TUI does: ids are unique across items and vetoes
        self.save()
        return None
