"""Line-by-line filling (`inspect-kit fill FORM --subject ID --plain`) with questionary.

For screen-reader users, slow SSH sessions and typing up paper sheets: one question at a time,
sections and items in form order, every answer autosaved to the same drafts database as the
TUI. `<` typed at a text prompt (or "← 上一题" in a list) goes back one question. Ctrl-C or a
closed input saves the draft and prints the command that resumes it; that is handled in one
place, `PlainFill.run`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from inspect_kit.base.errors import AnswerError, InspectKitError, NotFound
from inspect_kit.domain.answers import display_value, normalize_value
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
    Section,
    SignatureItem,
    Veto,
    YesNoItem,
)
from inspect_kit.domain.sheet import Sheet
from inspect_kit.formfiles.loader import LoadedForm
from inspect_kit.i18n.prompt_strings import (
    grade_for,
    label_for,
    text_for,
    title_for,
    tr,
    yesno_labels,
)
from inspect_kit.intake.attachments import add_attachments, attachment_dir, check_photo
from inspect_kit.intake.entries import deduction, set_answer
from inspect_kit.prompt.io import BACK, Prompter
from inspect_kit.services.draft_lock import holding

NA = "__na__"
SKIP = "__skip__"
NA_WORDS = ("不适用", "na", "n/a")
TODAY_WORDS = ("今天", "today")


@dataclass
class FillResult:
    """How a plain fill ended: finalized, saved as a draft, or interrupted (draft saved)."""

    status: Literal["final", "saved", "interrupted"]
    sheet: Sheet
    record: dict[str, Any] | None = None


@dataclass(frozen=True)
class Step:
    """One question: an item of a section, or a veto (一票否决) at the end."""

    section: Section | None
    item: Item | None = None
    veto: Veto | None = None

    @property
    def key(self) -> str:
        return self.item.id if self.item else self.veto.id  # type: ignore[union-attr]


def run_plain_fill(
    store,
    loaded: LoadedForm,
    sheet: Sheet,
    *,
    input=None,
    output=None,
    stream=None,
    resume_command: str = "",
    attachments_root: Path | None = None,
    lang: str = "zh",
) -> FillResult:
    """Fill `sheet` question by question, autosaving each answer; see the module docstring.

    `lang="en"` asks in English (form text from its `*_en` fields where present); the answers
    stored are the same canonical values either way."""
    prompter = Prompter(input=input, output=output, stream=stream, lang=lang)
    if store.workspace is None:  # an in-memory store: no other process can hold the draft
        return PlainFill(store, loaded, sheet, prompter, resume_command=resume_command,
                         attachments_root=attachments_root).run()  # fmt: skip
    if attachments_root is None:
        attachments_root = store.workspace.attachments_dir
    # The draft's lock for the whole fill: a TUI window (or another prompt) on the same draft is
    # refused, and this one is refused while another holds it, so neither overwrites the other.
    with holding(store.workspace, sheet.uuid, lang):
        with contextlib.suppress(NotFound):  # a resumed draft: its newest state, read locked
            sheet = store.load_sheet(store.draft(sheet.uuid), loaded)
        return PlainFill(store, loaded, sheet, prompter, resume_command=resume_command,
                         attachments_root=attachments_root).run()  # fmt: skip


def ask_resume(
    record: dict[str, Any], *, input=None, output=None, stream=None, lang: str = "zh"
) -> bool:
    """Offer to resume an existing draft for the same form, subject, rater and round."""
    prompter = Prompter(input=input, output=output, stream=stream, lang=lang)
    answered = sum(
        1
        for a in (record.get("answers") or {}).values()
        if a.get("value") is not None or a.get("na")
    )
    saved = (record.get("saved_at") or "")[:16].replace("T", " ")
    return prompter.select(
        tr("resume.ask", lang, n=answered, saved=saved),
        [(tr("resume.continue", lang), True), (tr("resume.new", lang), False)],
        default=True,
    )


def ask_rater(*, input=None, output=None, stream=None, lang: str = "zh") -> str:
    """The rater's name, asked once on the first fill."""
    prompter = Prompter(input=input, output=output, stream=stream, lang=lang)
    name = prompter.text(
        tr("rater.ask", lang),
        validate=lambda v: bool(v.strip()) or tr("rater.need", lang),
    )
    return name.strip()


class PlainFill:
    def __init__(
        self,
        store,
        loaded: LoadedForm,
        sheet: Sheet,
        prompter: Prompter,
        *,
        resume_command: str = "",
        attachments_root: Path | None = None,
    ):
        self.store = store
        self.loaded = loaded
        self.sheet = sheet
        self.form = sheet.form
        self.ask = prompter
        self.say = prompter.say
        self.lang = getattr(prompter, "lang", "zh")
        self.resume_command = resume_command
        self.attachments_root = attachments_root
        self.steps = [Step(section, item) for section, item in self.form.iter_items()]
        self.steps += [Step(None, veto=veto) for veto in self.form.vetoes]

    # ------------------------------------------------------------ the one place for Ctrl-C

    def run(self) -> FillResult:
        try:
            self.store.start_sheet(self.loaded, self.sheet)
            self.say(
                self.t(
                    "header",
                    title=title_for(self.form, self.lang),
                    name=self.sheet.subject_name,
                    subject=self.sheet.subject,
                    rater=self.sheet.rater,
                    round=self.sheet.round,
                )
            )
            self.say(self.t("tip"))
            self.walk(self._start_index())
            return self.review()
        except (KeyboardInterrupt, EOFError):
            self.save()
            self.say("")
            self.say(self.t("interrupted", n=self._answered_count()))
            if self.resume_command:
                self.say(self.t("resume.command", command=self.resume_command))
            return FillResult("interrupted", self.sheet)

    def t(self, key: str, **values: object) -> str:
        return tr(key, self.lang, **values)

    def text(self, obj: Any) -> str:
        """An item's or veto's text in the fill's language."""
        return text_for(obj, self.lang)

    # ------------------------------------------------------------ walking

    def _start_index(self) -> int:
        position = self.sheet.position
        for index, step in enumerate(self.steps):
            if step.key == position:
                return index
        return 0

    def _askable(self, index: int) -> bool:
        step = self.steps[index]
        if step.veto is not None:
            return True
        assert step.item is not None
        return not isinstance(step.item, NoteItem) and step.item.id in self.sheet.visible()

    def _previous(self, index: int) -> int | None:
        for back in range(index - 1, -1, -1):
            if self._askable(back):
                return back
        return None

    def walk(self, index: int = 0, only: set[str] | None = None) -> None:
        """Ask from `index` to the end; with `only`, just those step keys (still in order)."""
        shown: Section | None | Literal[False] = False
        while index < len(self.steps):
            step = self.steps[index]
            skip = only is not None and step.key not in only
            if (
                not skip
                and step.section is not shown
                and (step.item is None or self._askable(index) or isinstance(step.item, NoteItem))
            ):
                self._section_header(step)
                shown = step.section
            if skip or (step.item is not None and step.item.id not in self.sheet.visible()):
                index = self._advance(index, only)
                continue
            if isinstance(step.item, NoteItem):
                self.say(self.t("item.note", text=self.text(step.item)))
                index = self._advance(index, only)
                continue
            previous = self._previous(index) if only is None else None
            result = self.ask_step(step, back=previous is not None)
            if result is BACK and previous is not None:
                index = previous
                continue
            index = self._advance(index, only)

    def _advance(self, index: int, only: set[str] | None) -> int:
        step = self.steps[index]
        following = self.steps[index + 1] if index + 1 < len(self.steps) else None
        if (
            only is None
            and step.section is not None
            and (following is None or following.section is not step.section)
        ):
            self._section_total(step.section)
        return index + 1

    def _section_header(self, step: Step) -> None:
        self.say("")
        if step.section is None:
            grade = grade_for(self.form, self.form.veto_grade, self.lang)
            self.say(self.t("veto.header", grade=grade))
            return
        section = step.section
        worth = (
            self.t("section.bonus", cap=f"{self.form.bonus_cap:g}")
            if section.bonus
            else self.t("section.points", points=f"{section.points:g}")
        )
        self.say(self.t("section.header", title=title_for(section, self.lang), worth=worth))

    def _section_total(self, section: Section) -> None:
        record = self.sheet.score()
        current = next(s for s in record.sections if s.id == section.id)
        so_far = self.t(
            "total.so_far",
            total=f"{record.total:g}",
            possible=f"{record.possible_so_far:g}",
            full=f"{self.form.total:g}",
        )
        if record.bonus:
            so_far += self.t("total.bonus", bonus=f"{record.bonus:g}")
        title = title_for(section, self.lang)
        if section.bonus:
            self.say(
                self.t(
                    "total.section_bonus",
                    title=title,
                    earned=f"{current.earned_raw:g}",
                    so_far=so_far,
                )
            )
        elif section.points > 0:
            self.say(
                self.t(
                    "total.section",
                    title=title,
                    earned=f"{round(current.scaled, 1):g}",
                    possible=f"{round(current.possible_so_far, 1):g}",
                    so_far=so_far,
                )
            )
        self.save()

    # ------------------------------------------------------------ one question

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
            choices = [(d, d) for d in item.defects]
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
        folder = attachment_dir(self.attachments_root, self.sheet.uuid).resolve()
        keep = [s.name for s in sources if s.resolve().parent == folder]
        new = [s for s in sources if s.resolve().parent != folder]
        names = add_attachments(self.attachments_root, self.sheet.uuid, new, keep)
        kept_and_new = iter(names)
        ordered = [s.name if s.resolve().parent == folder else next(kept_and_new) for s in sources]
        self.sheet.set_attachments(item.id, ordered)
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

    # ------------------------------------------------------------ review

    def review(self) -> FillResult:
        while True:
            record = self.sheet.score()
            blockers = self._blockers(record)
            grade = grade_for(self.form, record.grade, self.lang)
            reason = self._grade_reason(record)
            self.say("")
            self.say(
                self.t("review.total", total=record.shown_total(), grade=grade)
                + (self.t("review.reason", reason=reason) if reason else "")
            )
            todo = self._todo(record)
            for line in todo[:12]:
                self.say(f"  · {line[1]}")
            if len(todo) > 12:
                self.say(self.t("review.more", n=len(todo) - 12))
            choices = [(self.t("review.finalize"), "finalize")]
            if todo:
                choices.insert(0, (self.t("review.todo", n=len(todo)), "todo"))
            choices += [(self.t("review.change"), "change"), (self.t("review.quit"), "quit")]
            action = self.ask.select(self.t("review.next"), choices, "todo" if todo else "finalize")
            if action == "todo":
                self.walk(0, only={key for key, _ in todo})
            elif action == "change":
                self.change()
            elif action == "quit":
                self.save()
                self.say(self.t("draft.saved", n=self._answered_count()))
                if self.resume_command:
                    self.say(self.t("resume.command", command=self.resume_command))
                return FillResult("saved", self.sheet)
            elif blockers:
                self.say(self.t("review.blocked", why=self.t("review.blocked_sep").join(blockers)))
            elif self.ask.confirm(self.t("review.confirm"), default=True):
                doc = self.store.finalize(self.sheet, self.loaded)
                self.say(
                    self.t("review.done", uuid=doc["uuid"], total=record.shown_total(), grade=grade)
                )
                return FillResult("final", self.sheet, doc)

    def _blockers(self, record) -> list[str]:
        """Sheet.blockers in the fill's language (the core words them in Chinese)."""
        if self.lang != "en":
            return self.sheet.blockers(record)
        problems = []
        if record.unanswered:
            problems.append(self.t("review.unanswered", n=len(record.unanswered)))
        if record.missing_notes:
            problems.append(self.t("review.missing_notes", n=len(record.missing_notes)))
        return problems

    def _grade_reason(self, record) -> str | None:
        """The scorer's reason for the grade (Chinese), or a short English one."""
        if self.lang != "en" or not record.grade_reason:
            return record.grade_reason
        if record.vetoes:
            texts = []
            for fired in record.vetoes:
                source = next((v for v in self.form.vetoes if v.id == fired.id), None)
                if source is None:
                    try:
                        source = self.form.item(fired.id)
                    except KeyError:
                        source = None
                texts.append(self.text(source) if source is not None else fired.text)
            return self.t("reason.veto", texts="; ".join(texts))
        return self.t("reason.section", band=grade_for(self.form, record.band, self.lang))

    def _todo(self, record) -> list[tuple[str, str]]:
        """(step key, plain words) for what blocks finalizing, in form order."""
        missing_notes = set(record.missing_notes)
        unanswered = set(record.unanswered)
        todo = []
        for step in self.steps:
            if step.veto is not None and step.veto.id in unanswered:
                todo.append((step.key, self.t("todo.veto", text=self.text(step.veto))))
            elif step.item is not None and step.item.id in unanswered:
                todo.append((step.key, self.t("todo.item", text=self.text(step.item))))
            elif step.item is not None and step.item.id in missing_notes:
                todo.append((step.key, self.t("todo.note", text=self.text(step.item))))
        return todo

    def change(self) -> None:
        choices = []
        for index, step in enumerate(self.steps):
            if not self._askable(index):
                continue
            if step.veto is not None:
                veto_answer = self.sheet.answers.vetoes.get(step.veto.id)
                shown = (
                    ""
                    if veto_answer is None or veto_answer.fired is None
                    else self.t("yes" if veto_answer.fired else "no")
                )
                shown = shown or self.t("unanswered")
                choices.append(
                    (self.t("change.veto", text=self.text(step.veto), shown=shown), index)
                )
                continue
            assert step.item is not None
            answer = self.sheet.answer(step.item.id)
            shown = self.t("na") if answer.na else self._shown(step.item, answer.value)
            text = self.text(step.item)[: 48 if self.lang == "en" else 24]
            choices.append((self.t("change.item", id=step.item.id, text=text, shown=shown), index))
        picked = self.ask.select(self.t("change.ask"), choices, back=True)
        if picked is BACK:
            return
        self.ask_step(self.steps[picked], back=True)

    def _shown(self, item: Item, value: Any) -> str:
        """An answer as the review menu shows it, in the fill's language."""
        if value is None:
            return self.t("unanswered")
        if isinstance(item, YesNoItem) and isinstance(value, bool):
            yes, no = yesno_labels(item.labels, self.lang)
            return yes if value else no
        if isinstance(item, ChoiceItem | MultiItem) and self.lang == "en":
            labels = {o.label: label_for(o, self.lang) for o in item.options}
            chosen = value if isinstance(value, list) else [value]
            return ", ".join(labels.get(v, str(v)) for v in chosen) or self.t("unanswered")
        return display_value(item, value, self.lang) or self.t("unanswered")

    # ------------------------------------------------------------ saving

    def save(self) -> None:
        self.store.save_draft(self.sheet)

    def _answered_count(self) -> int:
        return sum(1 for a in self.sheet.answers.items.values() if a.answered)
