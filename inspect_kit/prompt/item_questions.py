"""One question of a plain fill: asking an item or veto (and its 扣分理由) and applying the answer.

Only an explicit act answers: every list opens on a "leave as it is" entry, so Enter alone never
stores or changes anything (an unanswered item stays unanswered, N/A stays N/A); a checklist
needs "none of these" ticked to mean no defects. Every change goes through the DraftSession,
which saves it at once. Mixed into `PlainFill` (prompt/plain.py), which walks the form.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspect_kit.base.errors import InspectKitError
from inspect_kit.domain.answers import Answer, display_value, normalize_value
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
    TableItem,
    Veto,
    YesNoItem,
)
from inspect_kit.domain.scoring import for_subject
from inspect_kit.domain.sheet import Sheet
from inspect_kit.i18n.form_text import (
    defect_label,
    guidance_for,
    label_for,
    localized,
    methods_for,
    unit_for,
    yesno_labels,
)
from inspect_kit.intake.attachments import attachment_dir, check_photo
from inspect_kit.intake.entries import deduction
from inspect_kit.prompt.io import BACK, Prompter
from inspect_kit.prompt.steps import KEEP, NA, NA_WORDS, NONE, SKIP, Step
from inspect_kit.prompt.table_questions import ask_table, describe_table
from inspect_kit.services.drafts import DraftSession


def _is(raw: Any, marker: str) -> bool:
    return isinstance(raw, str) and raw == marker


class ItemQuestions:
    """What PlainFill asks per item; the attributes are PlainFill's."""

    session: DraftSession
    sheet: Sheet
    form: Form
    ask: Prompter
    lang: str
    steps: list[Step]
    say: Callable[[str], None]

    if TYPE_CHECKING:  # provided by PlainFill

        def _askable(self, index: int) -> bool: ...
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
            if not _is(raw, KEEP):
                self.apply(item, raw)
            self.session.set_position(item.id)
            answer = self.sheet.answer(item.id)
            if item.is_required and not answer.answered:
                self.say(self.t("text.empty"))
            lost = deduction(self.sheet, item.id)
            if lost <= 0 or self.form.deduction_note == "off":
                return None
            if _is(raw, KEEP) and answer.note:
                return None  # left as it was, its reason written before
            if self.ask_note(item, lost) is not BACK:
                return None

    def _describe(self, item: Item) -> None:
        visible = [s for i, s in enumerate(self.steps) if self._askable(i) and s.item is not None]
        number = next((n for n, s in enumerate(visible, 1) if s.item is item), 0)
        worth = self.t("item.worth", points=f"{item.max_points:g}") if item.scored else ""
        self.say(self.t("item.number", n=number, of=len(visible), id=item.id, worth=worth))
        if item.guidance:
            self.say(self.t("item.guidance", text=guidance_for(item, self.lang)))
        if item.methods:
            self.say(self.t("item.methods", text=methods_for(item, self.lang)))
        if item.hint:
            self.say(self.t("item.hint", text=localized(item, "hint", self.lang)))
        item = for_subject(item, self.sheet.answers.subject)  # the subject's own bands
        if isinstance(item, NumberItem) and item.bands:
            unit = unit_for(item, self.lang)
            bands = self.t("item.band_sep").join(
                self.t("item.band", min=f"{b.min:g}", unit=unit, points=f"{b.points:g}")
                for b in sorted(item.bands, key=lambda b: -b.min)
            )
            self.say(self.t("item.bands", text=bands))
        if isinstance(item, TableItem):
            describe_table(self, item)

    def _keep(self, item: Item, answer: Answer) -> tuple[str, Any]:
        """The entry a list opens on: Enter on it leaves the item exactly as it is."""
        if not answer.answered:
            return self.t("keep.none"), KEEP
        shown = self.t("na") if answer.na else self._shown(item, answer.value)
        return self.t("keep.current", shown=shown), KEEP

    def ask_value(self, item: Item, *, back: bool) -> Any:
        answer = self.sheet.answer(item.id)
        if isinstance(item, TableItem):
            return ask_table(self, item, answer, back=back)
        if isinstance(item, MultiItem) or (isinstance(item, DeductItem) and item.defects):
            return self._ask_ticks(item, answer, back=back)
        if not isinstance(item, YesNoItem | ChoiceItem):
            return self._ask_text(item, answer, back=back)
        if isinstance(item, YesNoItem):
            good = item.good == "yes"
            yes, no = yesno_labels(item.labels, self.lang)
            options: list[tuple[str, Any]] = [
                (self._worth(yes, item.points if good else 0, item), True),
                (self._worth(no, 0 if good else item.points, item), False),
            ]
        else:
            options = [
                (self._worth(label_for(o, self.lang), o.points, item), o.label)
                for o in item.options
            ]
        if item.allow_na:
            options.append((self.t("na"), NA))
        if answer.answered:
            options.append((self.t("clear"), SKIP))
        keep = self._keep(item, answer)
        return self.ask.select(self.text(item), [keep, *options], KEEP, back=back)

    def _worth(self, label: str, points: float, item: Item) -> str:
        return self.t("option.worth", label=label, points=f"{points:g}") if item.scored else label

    def _ask_ticks(self, item: MultiItem | DeductItem, answer: Answer, *, back: bool) -> Any:
        """Ticks; nothing ticked means "not answered", so Enter alone never gives full marks."""
        if isinstance(item, MultiItem):
            choices = [
                (self._worth(label_for(o, self.lang), o.points, item), o.label)
                for o in item.options
            ]
            message = self.t("multi", text=self.text(item))
            extras: list[tuple[str, Any]] = [(self.t("none.multi"), NONE)]
        else:
            choices = [(defect_label(item, d, self.lang), d) for d in item.defects]
            message = self.t("defects", text=self.text(item), per=f"{item.per:g}")
            extras = [(self.t("none.defects"), NONE)]
        if item.allow_na:
            extras.append((self.t("na"), NA))
        if back:
            extras.append((self.t("back"), BACK))
        value = answer.value
        checked: list[Any] = list(value) if isinstance(value, list) else []
        if answer.na:
            checked = [NA]
        elif value == []:
            checked = [NONE]
        while True:
            ticked = self.ask.checkbox(message, choices, checked, extras)
            if BACK in ticked:
                return BACK
            picked = [v for v in ticked if v not in (NA, NONE)]
            if (NA in ticked) + (NONE in ticked) + bool(picked) > 1:
                self.say(self.t("ticks.conflict"))
                checked = ticked
                continue
            if NA in ticked:
                return NA
            if NONE in ticked:
                return []
            if picked:
                return picked
            return SKIP if answer.answered else KEEP

    def _ask_text(self, item: Item, answer: Answer, *, back: bool) -> Any:
        parts = []
        if isinstance(item, ScoreItem):
            parts.append(self.t("text.score", max=f"{item.max:g}", step=f"{item.step:g}"))
        elif isinstance(item, DeductItem):
            parts.append(self.t("text.deduct", per=f"{item.per:g}"))
        elif isinstance(item, NumberItem):
            if item.unit:
                parts.append(self.t("text.unit", unit=unit_for(item, self.lang)))
            if item.integer:
                parts.append(self.t("text.integer"))
        elif isinstance(item, DateItem):
            parts.append(self.t("text.date"))
        elif isinstance(item, PhotoItem):
            parts.append(self.t("text.photo"))
        elif isinstance(item, SignatureItem):
            parts.append(self.t("text.sign", rater=self.sheet.rater))
        if item.allow_na:
            parts.append(self.t("text.na"))
        if not item.is_required:
            parts.append(self.t("text.optional"))
        if back:
            parts.append(self.t("text.back"))
        # The field holds what is stored (so Enter keeps it), never a suggestion.
        default = self.t("na.word") if answer.na else self._as_text(item, answer.value)

        def validate(text: str) -> bool | str:
            text = text.strip()
            if not text or (item.allow_na and text.lower() in NA_WORDS):
                return True
            try:
                self._parse_text(item, text)
            except InspectKitError as exc:
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
            return SKIP if answer.answered else KEEP
        if item.allow_na and text.lower() in NA_WORDS:
            return NA
        return self._parse_text(item, text)

    def _invalid(self, item: Item, exc: InspectKitError) -> str:
        """Why a typed answer was refused, from the catalog in the fill's language."""
        if exc.code or self.lang != "en":
            return exc.render(self.lang)
        return self.t("invalid.photo" if isinstance(item, PhotoItem) else "invalid.text")

    def _parse_text(self, item: Item, text: str) -> Any:
        if isinstance(item, PhotoItem):
            return [
                self._photo_source(part)
                for part in text.replace("；", ";").split(";")
                if part.strip()
            ]
        return normalize_value(item, text)  # dates: 今天, 2026/5/20, 5月20日 … (domain/values)

    def _photo_folder(self) -> Path:
        return attachment_dir(self.session.workspace.attachments_dir, self.sheet.uuid)

    def _photo_source(self, text: str) -> Path:
        """An existing attachment of this sheet (kept), or a new file to copy in."""
        name = text.strip()
        if "/" not in name and "\\" not in name:
            existing = self._photo_folder() / name
            if existing.is_file():
                return existing
        return check_photo(name)

    def _shown(self, item: Item, value: Any) -> str:
        """An answer as a person reads it, in the fill's language."""
        if value is None:
            return self.t("unanswered")
        if isinstance(item, YesNoItem) and isinstance(value, bool):
            yes, no = yesno_labels(item.labels, self.lang)
            return yes if value else no
        if isinstance(item, ChoiceItem | MultiItem) and self.lang == "en":
            labels = {o.label: label_for(o, self.lang) for o in item.options}
            chosen = value if isinstance(value, list) else [value]
            return ", ".join(labels.get(v, str(v)) for v in chosen) or self.t("none.shown")
        if value == []:
            return self.t("none.shown")
        return display_value(item, value, self.lang) or self.t("unanswered")

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
        if _is(raw, NA):
            self.session.set_na(item.id, True)
        elif _is(raw, SKIP):
            self.session.clear(item.id)
        elif isinstance(item, PhotoItem):
            self._apply_photos(item, raw)
        else:
            self.session.set_value(item.id, raw)

    def _apply_photos(self, item: PhotoItem, sources: list[Path]) -> None:
        """The typed list is the item's whole list: names left out are removed (file too)."""
        folder = self._photo_folder().resolve()
        current = list(self.sheet.answer(item.id).attachments)
        in_folder = [s.name for s in sources if s.resolve().parent == folder]
        removed = [name for name in current if name not in in_folder]
        for name in removed:
            self.session.remove_photo(item.id, name)
        for source in sources:
            if source.resolve().parent != folder:
                self.session.add_photo(item.id, str(source))
            elif source.name not in current:  # a file still in the folder, named again
                names = [*self.sheet.answer(item.id).attachments, source.name]
                self.sheet.set_attachments(item.id, names)
                self.session.save()
        kept = self.sheet.answer(item.id).attachments
        self.say(self.t("photos.saved", n=len(kept), folder=folder))
        if removed:
            self.say(self.t("photos.removed", names="、".join(removed)))

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
        self.session.set_note(item.id, note)
        return None

    def ask_veto(self, veto: Veto, *, back: bool) -> Any:
        """是/否 picked explicitly (Enter alone leaves it); 是 asks for its 情况说明."""
        if veto.guidance:
            self.say(self.t("veto.guidance", text=guidance_for(veto, self.lang)))
        while True:
            current = self.sheet.answers.vetoes.get(veto.id)
            now = current.fired if current else None
            if now is None:
                keep = self.t("keep.none")
            else:
                keep = self.t("keep.current", shown=self.t("veto.yes" if now else "veto.no"))
            fired = self.ask.select(
                self.t("veto.ask", text=self.text(veto)),
                [(keep, KEEP), (self.t("veto.no"), False), (self.t("veto.yes"), True)],
                KEEP,
                back=back,
            )
            if fired is BACK:
                return BACK
            self.session.set_position(veto.id)  # ids are unique across items and vetoes
            if _is(fired, KEEP):
                if now is None:
                    self.say(self.t("veto.left"))
                    return None
                if not now or (current and current.note):
                    return None
                fired = True  # fired earlier without its 情况说明: ask for it now
            if not fired:
                self.session.set_veto(veto.id, False, "")
                return None
            note = self.ask.text(
                self.t("veto.note"),
                current.note if current else "",
                lambda v: bool(v.strip()) or self.t("veto.note_need"),
                back=True,
                instruction=self.t("veto.note_help"),
            )
            if note is BACK:
                continue  # back to 是/否
            self.session.set_veto(veto.id, True, note.strip())
            return None
