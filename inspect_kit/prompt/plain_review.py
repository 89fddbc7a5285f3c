"""The review before finalizing a plain fill: every answer with its points, 扣分理由, N/A and
photos, the vetoes with their 情况说明, the total, bonus and grade with the reason for any
downgrade, what still blocks, and a jump to any question. Mixed into `PlainFill`.

Enter alone never finalizes: the menu opens on answering what is open (or on the list), and
finalizing asks once more with "not yet" highlighted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from inspect_kit.base.errors import InspectKitError
from inspect_kit.domain.model import Form, Item, NoteItem, PhotoItem
from inspect_kit.domain.reasons import explain_grade
from inspect_kit.domain.scoring import ScoreRecord
from inspect_kit.domain.sheet import Sheet
from inspect_kit.i18n.catalog import tr
from inspect_kit.i18n.form_text import grade_for, title_for
from inspect_kit.prompt.io import BACK, Prompter
from inspect_kit.prompt.steps import FillResult, Step
from inspect_kit.services.drafts import DraftSession

if TYPE_CHECKING:
    from inspect_kit.store.store import Store


class PlainReview:
    """The review menu; the attributes are PlainFill's."""

    session: DraftSession
    sheet: Sheet
    store: Store
    form: Form
    ask: Prompter
    lang: str
    steps: list[Step]
    say: Callable[[str], None]
    resume_command: str

    if TYPE_CHECKING:  # provided by PlainFill / ItemQuestions

        def _askable(self, index: int) -> bool: ...
        def _answered_count(self) -> int: ...
        def _shown(self, item: Item, value: Any) -> str: ...
        def ask_step(self, step: Step, *, back: bool) -> Any: ...
        def save(self) -> None: ...
        def t(self, key: str, **values: object) -> str: ...
        def text(self, obj: Any) -> str: ...
        def walk(self, index: int = 0, only: set[str] | None = None) -> None: ...
        def rectify_choices(self) -> list[tuple[str, str]]: ...
        def mark_deductions(self) -> None: ...
        def verify_open_items(self) -> None: ...

    def review(self) -> FillResult:
        self.list_answers()
        while True:
            record = self.sheet.score()
            todo = self._todo(record)
            self.say("")
            self.say(self._summary(record))
            for line in todo[:12]:
                self.say(f"  · {line[1]}")
            if len(todo) > 12:
                self.say(self.t("review.more", n=len(todo) - 12))
            choices = [
                (self.t("review.list"), "list"),
                (self.t("review.change"), "change"),
                (self.t("review.finalize"), "finalize"),
                (self.t("review.quit"), "quit"),
                (tr("conflict.plain.choice", self.lang), "conflict"),  # 回避, asked last
                *self.rectify_choices(),  # 整改: marks and verdicts (plain_rectify.py)
            ]
            if todo:
                choices.insert(0, (self.t("review.todo", n=len(todo)), "todo"))
            action = self.ask.select(self.t("review.next"), choices, choices[0][1])
            if action == "todo":
                self.walk(0, only={key for key, _ in todo})
            elif action == "list":
                self.list_answers()
            elif action == "conflict":
                self.declare_conflict()
            elif action == "change":
                self.change()
            elif action == "mark":
                self.mark_deductions()
            elif action == "verify":
                self.verify_open_items()
            elif action == "quit":
                self.save()
                self.say(self.t("draft.saved", n=self._answered_count()))
                if self.resume_command:
                    self.say(self.t("resume.command", command=self.resume_command))
                return FillResult("saved", self.sheet)
            elif blockers := self.sheet.blockers(record, self.lang):
                self.say(self.t("review.blocked", why=self.t("review.blocked_sep").join(blockers)))
            elif self._confirm_finalize():
                doc = self.session.finalize()
                grade = grade_for(self.form, record.grade, self.lang)
                self.say(
                    self.t("review.done", uuid=doc["uuid"], total=record.shown_total(), grade=grade)
                )
                return FillResult("final", self.sheet, doc)

    def declare_conflict(self) -> None:
        """回避: this rater declares a conflict with the subject (a reason is required); the
        sheet may still be finalized, and is kept but not counted in the panel."""
        from inspect_kit.services.conflicts import ConflictsService

        reason = self.ask.text(tr("conflict.plain.reason", self.lang), back=True,
                               validate=lambda v: bool(v.strip()) or tr("conflict.no_reason",
                                                                        self.lang))  # fmt: skip
        if reason is BACK:
            return
        sheet = self.sheet
        try:
            ConflictsService(self.store).declare(self.form.form, sheet.subject, sheet.rater,
                                                 str(reason), sheet.rater)  # fmt: skip
        except InspectKitError as exc:
            self.say(f"✗ {exc.render(self.lang)}")
            return
        self.say(tr("conflict.declared", self.lang, rater=sheet.rater,
                    subject=sheet.subject_name or sheet.subject))  # fmt: skip

    def _confirm_finalize(self) -> bool:
        """Asked with "not yet" highlighted, so two Enters never finalize a sheet."""
        return bool(
            self.ask.select(
                self.t("review.confirm"),
                [(self.t("review.not_yet"), False), (self.t("review.yes_finalize"), True)],
                False,
            )
        )

    def _summary(self, record: ScoreRecord) -> str:
        """The total, bonus and grade; with questions still open, points so far and no grade."""
        if record.unanswered:
            return self.t("review.so_far", earned=f"{record.total:g}",
                          possible=f"{record.possible_so_far:g}",
                          full=f"{self.form.total:g}")  # fmt: skip
        grade = grade_for(self.form, record.grade, self.lang)
        if record.bonus:
            line = self.t("review.total_bonus", total=f"{record.total:g}",
                          bonus=f"{record.bonus:g}", final=f"{record.final:g}",
                          grade=grade)  # fmt: skip
        else:
            line = self.t("review.total", total=record.shown_total(), grade=grade)
        reason = explain_grade(self.form, record, self.lang)
        return line + (self.t("review.reason", reason=reason) if reason else "")

    def list_answers(self) -> None:
        """Every visible item in form order, then the vetoes, as the sheet will be stored."""
        record = self.sheet.score()
        visible = self.sheet.visible()
        self.say("")
        self.say(self.t("list.header"))
        sections = {s.id: s for s in record.sections}
        for section in self.form.sections:
            self.say("")
            score = sections.get(section.id)
            if score is None or (not section.bonus and section.points <= 0):
                earned = ""
            elif section.bonus:
                earned = self.t("list.bonus", earned=f"{score.earned_raw:g}")
            else:
                earned = f"{round(score.scaled, 1):g} / {section.points:g}"
            title = title_for(section, self.lang)
            if earned:
                self.say(self.t("list.section", title=title, earned=earned))
            else:
                self.say(self.t("list.section_plain", title=title))
            for item in section.items:
                if isinstance(item, NoteItem) or item.id not in visible:
                    continue
                self._list_item(item, record)
        vetoes = self.form.vetoes
        if vetoes:
            self.say("")
            self.say(self.t("list.vetoes"))
        for veto in vetoes:
            answer = self.sheet.answers.vetoes.get(veto.id)
            fired = answer.fired if answer else None
            shown = self.t("unanswered") if fired is None else self.t("yes" if fired else "no")
            self.say(self.t("list.veto", text=self.text(veto), shown=shown))
            if answer and answer.note:
                self.say(self.t("list.veto_note", note=answer.note))

    def _list_item(self, item: Item, record: ScoreRecord) -> None:
        answer = self.sheet.answer(item.id)
        scored = record.items.get(item.id)
        shown = self.t("na") if answer.na else self._shown(item, answer.value)
        points = ""
        if item.scored and scored is not None:
            got = "–" if scored.points is None else f"{scored.points:g}"
            points = self.t("list.points", got=got, max=f"{scored.max:g}")
        text = self.text(item)[: 60 if self.lang == "en" else 30]
        self.say(self.t("list.item", id=item.id, text=text, shown=shown, points=points))
        if answer.note:
            lost = scored is not None and scored.lost > 0
            self.say(self.t("list.note" if lost else "list.remark", note=answer.note))
        elif scored is not None and scored.note_missing:
            self.say(self.t("list.note_missing"))
        if answer.attachments and not isinstance(item, PhotoItem):  # a photo item's answer
            self.say(self.t("list.photos", names="、".join(answer.attachments)))

    def _todo(self, record: ScoreRecord) -> list[tuple[str, str]]:
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
        """Jump to any question (listed with its answer) and ask it again."""
        choices = []
        for index, step in enumerate(self.steps):
            if not self._askable(index):
                continue
            if step.veto is not None:
                veto_answer = self.sheet.answers.vetoes.get(step.veto.id)
                fired = None if veto_answer is None else veto_answer.fired
                shown = self.t("unanswered") if fired is None else self.t("yes" if fired else "no")
                choices.append(
                    (self.t("change.veto", text=self.text(step.veto), shown=shown), index)
                )
                continue
            assert step.item is not None
            answer = self.sheet.answer(step.item.id)
            shown = self.t("na") if answer.na else self._shown(step.item, answer.value)
            text = self.text(step.item)[: 48 if self.lang == "en" else 24]
            choices.append((self.t("change.item", id=step.item.id, text=text, shown=shown), index))
        picked = self.ask.select(self.t("change.ask"), choices, back=True, search=True)
        if picked is BACK:
            return
        self.ask_step(self.steps[picked], back=True)
