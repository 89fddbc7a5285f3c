"""The review before finalizing a plain fill: what blocks it, the grade and why, and changing any
answer. Mixed into `PlainFill` (prompt/plain.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspect_kit.domain.answers import display_value
from inspect_kit.domain.model import (
    ChoiceItem,
    Form,
    Item,
    MultiItem,
    YesNoItem,
)
from inspect_kit.domain.reasons import explain_grade
from inspect_kit.domain.sheet import Sheet
from inspect_kit.formfiles.loader import LoadedForm
from inspect_kit.i18n.form_text import grade_for, label_for, yesno_labels
from inspect_kit.prompt.io import BACK, Prompter
from inspect_kit.prompt.steps import FillResult, Step


class PlainReview:
    """The review menu; the attributes are PlainFill's."""

    sheet: Sheet
    form: Form
    ask: Prompter
    lang: str
    attachments_root: Path | None
    steps: list[Step]
    say: Callable[[str], None]
    store: Any
    loaded: LoadedForm
    resume_command: str

    if TYPE_CHECKING:  # provided by PlainFill

        def _askable(self, index: int) -> bool: ...
        def _answered_count(self) -> int: ...
        def ask_step(self, step: Step, *, back: bool) -> Any: ...
        def save(self) -> None: ...
        def t(self, key: str, **values: object) -> str: ...
        def text(self, obj: Any) -> str: ...
        def walk(self, index: int = 0, only: set[str] | None = None) -> None: ...

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
        return self.sheet.blockers(record, self.lang)

    def _grade_reason(self, record) -> str | None:
        return explain_grade(self.form, record, self.lang)

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
