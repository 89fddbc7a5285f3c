"""整改 in plain mode (issue 13), mixed into `PlainFill`: the subject's open rectification items
shown when the fill starts, and two entries at the end of the review menu: marking deductions
需整改 with a deadline, and the re-inspection's verdict on each open item. Every change goes
through the DraftSession (marks) or RectifyService (verdicts); nothing is worded twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from inspect_kit.base.errors import InspectKitError
from inspect_kit.domain.model import Form
from inspect_kit.domain.rectification import RectifyError, checked_deadline
from inspect_kit.domain.sheet import Sheet
from inspect_kit.i18n.catalog import tr
from inspect_kit.prompt.io import BACK, Prompter
from inspect_kit.services.drafts import DraftSession
from inspect_kit.services.rectify import Listed, RectifyService, mark_defaults

if TYPE_CHECKING:
    from inspect_kit.store.store import Store


class PlainRectify:
    """The attributes are PlainFill's."""

    session: DraftSession
    sheet: Sheet
    form: Form
    ask: Prompter
    lang: str
    say: Callable[[str], None]

    if TYPE_CHECKING:
        store: Store

        def text(self, obj: Any) -> str: ...

    def _rectify(self) -> RectifyService:
        return RectifyService(self.session.store)

    def open_items(self) -> list[Listed]:
        """The subject's items not yet verified (what this re-inspection should look at)."""
        return self._rectify().open_for(self.sheet.subject)

    def show_open_items(self) -> None:
        items = self.open_items()
        if not items:
            return
        self.say("")
        self.say(tr("rectify.open_items", self.lang, n=len(items)))
        for x in items:
            state = tr(f"rectify.status.{x.item.status}", self.lang)
            if x.overdue:
                state = tr("rectify.status.overdue", self.lang)
            self.say(f"  · [{state}] {x.item.deadline}  {x.item.requirement}")

    def rectify_choices(self) -> list[tuple[str, str]]:
        """The review menu's extra entries (appended: the entries above keep their places)."""
        out = [(tr("rectify.plain.menu_mark", self.lang, n=len(self.sheet.rectify)), "mark")]
        if n := len(self.open_items()):
            out.append((tr("rectify.plain.menu_verify", self.lang, n=n), "verify"))
        return out

    def mark_deductions(self) -> None:
        """Pick a deduction, then 需整改 with the proposed deadline, another date, or no mark."""
        record = self.sheet.score()
        lost = [i for _, i in self.form.iter_items()
                if (f := record.items.get(i.id)) is not None and f.lost > 0]  # fmt: skip
        if not lost:
            self.say(tr("rectify.mark.only_deductions", self.lang))
            return
        choices: list[tuple[str, Any]] = []
        for item in lost:
            mark = self.sheet.rectify.get(item.id)
            flag = tr("rectify.mark.on", self.lang, deadline=mark["deadline"]) if mark else ""
            choices.append((f"{self.text(item)}  {flag}".rstrip(), item.id))
        picked = self.ask.select(tr("rectify.plain.pick", self.lang), choices, back=True)
        if picked is BACK or picked is None:
            return
        proposed = mark_defaults(self.sheet, picked)["deadline"]
        verdict = self.ask.select(
            tr("rectify.plain.mark_question", self.lang),
            [
                (tr("rectify.plain.mark_yes", self.lang, deadline=proposed), "yes"),
                (tr("rectify.plain.mark_other", self.lang), "other"),
                (tr("rectify.plain.mark_no", self.lang), "no"),
            ],  # fmt: skip
            "yes",
        )
        if verdict == "no":
            self.session.clear_rectify(picked)
            self.say(tr("rectify.mark.cleared", self.lang))
            return
        deadline = proposed
        if verdict == "other":
            deadline = self.ask.text(tr("rectify.plain.deadline", self.lang, deadline=proposed),
                                     proposed, self._valid_deadline)  # fmt: skip
        self.session.set_rectify(picked, deadline.strip() or proposed)
        self.say(tr("rectify.mark.set", self.lang, deadline=self.sheet.rectify[picked]["deadline"]))

    def _valid_deadline(self, value: str) -> bool | str:
        if not value.strip():
            return True
        try:
            checked_deadline(value)
        except RectifyError as exc:
            return exc.render(self.lang)
        return True

    def verify_open_items(self) -> None:
        """Each open item of the subject: not now, verified, or failed (with what is wrong)."""
        who = self.sheet.rater
        service = self._rectify()
        for x in self.open_items():
            verdict = self.ask.select(
                tr("rectify.plain.verify_question", self.lang, requirement=x.item.requirement,
                   deadline=x.item.deadline),
                [(tr("rectify.plain.verify_skip", self.lang), "skip"),
                 (tr("rectify.screen.verify_pass", self.lang), "pass"),
                 (tr("rectify.screen.verify_fail", self.lang), "fail")],
                "skip",
            )  # fmt: skip
            if verdict == "skip":
                continue
            note = ""
            if verdict == "fail":
                note = self.ask.text(tr("rectify.screen.note_prompt", self.lang), "",
                                     lambda v: bool(v.strip()) or
                                     tr("rectify.note_needed", self.lang))  # fmt: skip
            try:
                item = service.verify(x.item.uuid, passed=verdict == "pass", by=who, note=note)
            except InspectKitError as exc:
                self.say(exc.render(self.lang))
                continue
            self.say(f"  → {tr(f'rectify.status.{item.status}', self.lang)}")
