"""Start a sheet: form → subject (type to filter the roster, add one inline) → rater → round."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from inspect_kit.base.errors import InspectKitError
from inspect_kit.base.rounds import RoundError, parse_round
from inspect_kit.domain.subject import Subject
from inspect_kit.formfiles.loader import LoadedForm
from inspect_kit.i18n.catalog import tr
from inspect_kit.tui.screens.base import KitModal
from inspect_kit.tui.user_text import plain
from inspect_kit.tui.widgets.plain import Plain

ADD = "__add__"


@dataclass(frozen=True)
class NewSheetRequest:
    loaded: LoadedForm
    subject: Subject
    rater: str
    round: str


def matches(subject: Subject, needle: str) -> bool:
    needle = needle.strip().lower()
    return not needle or needle in subject.name.lower() or needle in subject.id.lower() \
        or needle in subject.district.lower()  # fmt: skip


def next_subject_id(existing: list[Subject], kind: str) -> str:
    """An id in the roster's style: the prefix of the kind's ids and the next free number."""
    prefix = ""
    for subject in existing:
        found = re.match(r"^(.*?)(\d+)$", subject.id)
        if found and subject.kind == kind:
            prefix = found.group(1)
            break
    if not prefix:
        prefix = "".join(part[0] for part in kind.split("-") if part) + "-"
    taken = {s.id for s in existing}
    number = 1 + sum(1 for s in existing if s.id.startswith(prefix))
    while f"{prefix}{number:03d}" in taken:
        number += 1
    return f"{prefix}{number:03d}"


class NewSheetScreen(KitModal[NewSheetRequest | None]):
    class RosterLoaded(Message):
        """The roster worker read the subjects."""

        def __init__(self, subjects: list[Subject]) -> None:
            super().__init__()
            self.subjects = subjects

    CSS_PATH = "new_sheet.tcss"
    BINDINGS = [Binding("escape", "cancel", "取消", id="new.cancel")]

    def __init__(self, forms: list[LoadedForm], form_id: str | None, rater: str,
                 round_: str) -> None:  # fmt: skip
        super().__init__()
        self.forms = {f.form.form: f for f in forms}
        self.form_id = form_id if form_id in self.forms else (next(iter(self.forms), None))
        self.default_rater, self.default_round = rater, round_
        self.roster: list[Subject] = []
        self.all_subjects: list[Subject] = []
        self.chosen: Subject | None = None

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="new-box"):
            yield Plain(tr("new.title", lang), id="new-title")
            yield Plain(tr("new.form", lang), classes="new-label")
            yield Select([(plain(f.form.title_for(lang)), key) for key, f in self.forms.items()],
                         value=self.form_id or Select.NULL, allow_blank=False, id="new-form",
                         compact=True)  # fmt: skip
            yield Plain(tr("new.subject", lang), classes="new-label")
            yield Input(id="new-filter", compact=True)
            yield OptionList(id="new-subjects")
            yield Plain("", id="new-chosen")
            with Horizontal(classes="new-row"):
                yield Plain(tr("new.rater", lang), classes="new-label")
                yield Input(self.default_rater, id="new-rater", compact=True, max_length=40)
                yield Plain(tr("new.round", lang), classes="new-label")
                yield Input(self.default_round, id="new-round", compact=True, max_length=20)
            yield Plain("", id="new-error")
            with Horizontal(id="new-buttons"):
                yield Button(tr("new.start", lang), id="new-start", variant="primary")
                yield Button(tr("conflict.tui.button", lang), id="new-conflict")
                yield Button(tr("new.cancel", lang), id="new-cancel")

    def on_mount(self) -> None:
        self.query_one("#new-filter").focus()
        self.load_roster()

    @property
    def loaded(self) -> LoadedForm | None:
        return self.forms.get(self.form_id or "")

    @work(thread=True, exclusive=True, group="roster", exit_on_error=False)
    def load_roster(self) -> None:
        self.post_message(self.RosterLoaded(self.app.store.subjects()))

    def on_new_sheet_screen_roster_loaded(self, event: NewSheetScreen.RosterLoaded) -> None:
        self._roster_loaded(event.subjects)

    def _roster_loaded(self, subjects: list[Subject]) -> None:
        self.all_subjects = subjects
        kind = self.loaded.form.subject if self.loaded else None
        self.roster = [s for s in subjects if s.kind == kind]
        self.refilter()

    def refilter(self) -> None:
        needle = self.query_one("#new-filter", Input).value.strip()
        shown = [s for s in self.roster if matches(s, needle)]
        options = [Option(plain(f"{s.name}  {s.id}" + (f"  {s.district}" if s.district else "")),
                          id=s.id) for s in shown[:200]]  # fmt: skip
        if needle and not self._taken(needle):
            options.append(Option(plain(tr("new.add", self.lang, name=needle)), id=ADD))
        if not options:
            options.append(Option(tr("new.none", self.lang), id="__none__", disabled=True))
        listing = self.query_one("#new-subjects", OptionList)
        listing.set_options(options)
        listing.highlighted = 0 if options and not options[0].disabled else None

    def _taken(self, needle: str) -> bool:
        """True when `needle` is an existing subject's name or id (of any kind): that subject
        is picked from the list, never added a second time under a new id."""
        folded = needle.casefold()
        return any(folded in (s.name.casefold(), s.id.casefold()) for s in self.all_subjects)

    @on(Select.Changed, "#new-form")
    def _form_changed(self, event: Select.Changed) -> None:
        if not event.select.is_blank():
            self.form_id = str(event.value)
            self._roster_loaded(self.all_subjects)

    @on(Input.Changed, "#new-filter")
    def _filter_changed(self) -> None:
        self.refilter()

    @on(Input.Submitted, "#new-filter")
    def _filter_submitted(self) -> None:
        listing = self.query_one("#new-subjects", OptionList)
        if listing.highlighted is not None:
            self._pick(listing.get_option_at_index(listing.highlighted).id)

    @on(OptionList.OptionSelected, "#new-subjects")
    def _subject_selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option.id)

    def _pick(self, option_id: str | None) -> None:
        if option_id in (None, "__none__"):
            return
        if option_id == ADD:
            subject = self._add_subject(self.query_one("#new-filter", Input).value.strip())
            if subject is None:
                return
        else:
            subject = next(s for s in self.roster if s.id == option_id)
        self.chosen = subject
        self.query_one("#new-chosen", Static).update(plain(f"✓ {subject.name}（{subject.id}）"))
        self.query_one("#new-error", Static).update("")
        self.query_one("#new-rater", Input).focus()

    def _add_subject(self, name: str) -> Subject | None:
        if not self.loaded or not name:
            return None
        kind = self.loaded.form.subject
        subject = Subject(id=next_subject_id(self.all_subjects, kind), name=name, kind=kind)
        try:
            self.app.store.add_subject(subject)
        except InspectKitError as exc:
            self._error(str(exc))
            return None
        self.all_subjects.append(subject)
        self.roster.append(subject)
        self.notify(tr("new.added", self.lang, id=subject.id, name=name))
        return subject

    @on(Input.Submitted, "#new-rater")
    def _rater_done(self) -> None:
        self.query_one("#new-round").focus()

    @on(Input.Submitted, "#new-round")
    @on(Button.Pressed, "#new-start")
    def _start(self) -> None:
        rater = self.query_one("#new-rater", Input).value.strip()
        round_ = self.query_one("#new-round", Input).value.strip()
        if self.loaded is None:
            return
        if self.chosen is None:
            self._error(tr("new.need_subject", self.lang))
            self.query_one("#new-filter").focus()
        elif not rater:
            self._error(tr("new.need_rater", self.lang))
            self.query_one("#new-rater").focus()
        elif not round_:
            self._error(tr("new.need_round", self.lang))
            self.query_one("#new-round").focus()
        else:
            try:
                round_ = parse_round(round_)
            except RoundError as exc:
                self._error(exc.render(self.lang))
                self.query_one("#new-round").focus()
                return
            self.query_one("#new-round", Input).value = round_
            request = NewSheetRequest(self.loaded, self.chosen, rater, round_)
            existing = self.app.drafts.find(self.loaded.form.form, self.chosen.id, rater, round_)
            if existing is None:
                self.dismiss(request)
            else:
                self._offer(existing)

    def _offer(self, existing: dict[str, Any]) -> None:
        """One draft per form, subject, rater and round: offer the one there is."""
        from inspect_kit.tui.screens.dialogs import PickScreen
        from inspect_kit.tui.screens.home import HomeScreen

        saved = str(existing.get("saved_at") or "")[:16].replace("T", " ")
        question = tr("new.draft_exists", self.lang, subject=existing.get("subject_name", ""),
                      round=existing.get("round", ""), saved=saved)  # fmt: skip

        def answered(choice: str | None) -> None:
            if choice != "open":
                self.query_one("#new-round").focus()
                return
            homes = [s for s in self.app.screen_stack if isinstance(s, HomeScreen)]
            self.dismiss(None)
            if homes:  # the app opens drafts asked for from home (and refuses a locked one)
                homes[0].post_message(HomeScreen.OpenDraft(homes[0], str(existing["uuid"])))

        choices = [("open", tr("new.open_existing", self.lang)),
                   ("back", tr("new.back", self.lang))]  # fmt: skip
        self.app.push_screen(PickScreen(question, choices), answered)

    @on(Button.Pressed, "#new-conflict")
    def _declare_conflict(self) -> None:
        """回避: the rater declares a conflict with the chosen subject (a reason is asked);
        their sheet for it, if any, is kept but not counted in the panel."""
        from inspect_kit.tui.screens.dialogs import ReasonScreen

        rater = self.query_one("#new-rater", Input).value.strip()
        if self.loaded is None or self.chosen is None or not rater:
            self._error(tr("conflict.tui.need", self.lang))
            return
        form_id, subject = self.loaded.form.form, self.chosen

        def answered(reason: str | None) -> None:
            from inspect_kit.services.conflicts import ConflictsService

            if reason is None:
                return
            try:
                ConflictsService(self.app.store, self.app.catalog).declare(
                    form_id, subject.id, rater, reason, rater
                )
            except InspectKitError as exc:
                self._error(exc.render(self.lang))
                return
            self.query_one("#new-error", Static).update("")
            done = tr("conflict.declared", self.lang, rater=rater, subject=subject.name)
            self.query_one("#new-chosen", Static).update(plain(f"⚑ {done}"))
            self.notify(done, markup=False)

        title = tr("conflict.tui.title", self.lang, rater=rater, subject=subject.name)
        self.app.push_screen(ReasonScreen(title, tr("conflict.tui.hint", self.lang)), answered)

    def _error(self, message: str) -> None:
        self.query_one("#new-error", Static).update(plain(f"✗ {message}"))

    @on(Button.Pressed, "#new-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
