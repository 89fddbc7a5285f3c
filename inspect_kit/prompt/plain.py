"""Line-by-line filling (`inspect-kit fill FORM --subject ID --plain`) with questionary.

For screen-reader users, slow SSH sessions and typing up paper sheets: one question at a time,
sections and items in form order, every answer saved at once through the DraftSession that
holds the draft's lock for the whole fill. Only an explicit pick answers (item_questions.py);
the review lists every answer before finalizing (plain_review.py). `<` typed at a text prompt
(or "← 上一题" in a list) goes back one question. Ctrl-C or a closed input saves the draft and
prints the command that resumes it; that is handled in one place, `PlainFill.run`.
"""

from __future__ import annotations

from typing import Any, Literal

from inspect_kit.domain.model import NoteItem, Section
from inspect_kit.domain.sheet import Sheet
from inspect_kit.formfiles.loader import LoadedForm
from inspect_kit.i18n.catalog import tr
from inspect_kit.i18n.form_text import grade_for, text_for, title_for
from inspect_kit.prompt.io import BACK, Prompter
from inspect_kit.prompt.item_questions import ItemQuestions
from inspect_kit.prompt.plain_rectify import PlainRectify
from inspect_kit.prompt.plain_review import PlainReview
from inspect_kit.prompt.steps import FillResult, Step
from inspect_kit.services.drafts import DraftSession


def run_plain_fill(
    store,
    loaded: LoadedForm,
    sheet: Sheet,
    *,
    input=None,
    output=None,
    stream=None,
    resume_command: str = "",
    lang: str = "zh",
) -> FillResult:
    """Fill `sheet` question by question, autosaving each answer; see the module docstring.

    `lang="en"` asks in English (form text from its `*_en` fields where present); the answers
    stored are the same canonical values either way."""
    assert store.workspace is not None, "a plain fill writes a workspace's drafts and photos"
    prompter = Prompter(input=input, output=output, stream=stream, lang=lang)
    # The draft's lock for the whole fill: a TUI window (or another prompt) on the same draft is
    # refused, and this one is refused while another holds it, so neither overwrites the other.
    session = DraftSession.hold(store, store.workspace, loaded, sheet, lang=lang)
    try:
        return PlainFill(session, prompter, resume_command=resume_command).run()
    finally:
        session.close()


def ask_resume(
    record: dict[str, Any], *, input=None, output=None, stream=None, lang: str = "zh"
) -> bool:
    """Offer to resume an existing draft for the same form, subject, rater and round; False
    (quit) starts nothing, as there is one draft per form, subject, rater and round."""
    prompter = Prompter(input=input, output=output, stream=stream, lang=lang)
    answered = sum(
        1
        for a in (record.get("answers") or {}).values()
        if a.get("value") is not None or a.get("na")
    )
    saved = (record.get("saved_at") or "")[:16].replace("T", " ")
    return prompter.select(
        tr("plain.resume.ask", lang, n=answered, saved=saved),
        [(tr("plain.resume.continue", lang), True), (tr("plain.resume.quit", lang), False)],
        default=True,
    )


def ask_rater(*, input=None, output=None, stream=None, lang: str = "zh") -> str:
    """The rater's name, asked once on the first fill."""
    prompter = Prompter(input=input, output=output, stream=stream, lang=lang)
    name = prompter.text(
        tr("plain.rater.ask", lang),
        validate=lambda v: bool(v.strip()) or tr("plain.rater.need", lang),
    )
    return name.strip()


class PlainFill(ItemQuestions, PlainReview, PlainRectify):
    def __init__(self, session: DraftSession, prompter: Prompter, *, resume_command: str = ""):
        self.session = session
        self.store = session.store
        self.loaded = session.loaded
        self.sheet = session.sheet
        self.form = session.sheet.form
        self.ask = prompter
        self.say = prompter.say
        self.lang = getattr(prompter, "lang", "zh")
        self.resume_command = resume_command
        self.steps = [Step(section, item) for section, item in self.form.iter_items()]
        self.steps += [Step(None, veto=veto) for veto in self.form.vetoes]

    # ------------------------------------------------------------ the one place for Ctrl-C

    def run(self) -> FillResult:
        try:
            if self.loaded is not None:
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
            self.show_open_items()  # a re-inspection: what the unit had to rectify
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
        return tr(f"plain.{key}", self.lang, **values)

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

    # ------------------------------------------------------------ saving

    def save(self) -> None:
        self.session.save()

    def _answered_count(self) -> int:
        return sum(1 for a in self.sheet.answers.items.values() if a.answered)
