"""One finalized sheet in full (sections, deductions with notes, vetoes, attachments, history),
with amend (`a`), void (`v`) and the office's review: approve (`o`) or return with a reason
(`t`); opened from the results browser and the home screen."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from inspect_kit.base.errors import InspectKitError
from inspect_kit.domain.sheet_review import Decision
from inspect_kit.i18n.catalog import tr
from inspect_kit.tui.bindings import localize_bindings
from inspect_kit.tui.format import short_time
from inspect_kit.tui.kit_app import KitApp
from inspect_kit.tui.screens.base import KitScreen
from inspect_kit.tui.user_text import plain
from inspect_kit.tui.widgets.footer import KitFooter
from inspect_kit.tui.widgets.plain import Plain


def detail_lines(app: KitApp, sheet_uuid: str, lang: str) -> list[str]:
    """The sheet as text: score, sections, deductions with notes, vetoes, attachments, history
    (every revision with its reason, and who did what when and why)."""
    from inspect_kit.domain.sheet_text import sheet_lines

    store = app.store
    doc = store.submission(sheet_uuid)
    revisions, events = store.history(doc["uuid"])
    form = store.stored_form(doc["form_sha256"])
    lines = review_lines(app, doc, lang) + sheet_lines(form, doc, events, lang=lang)
    attachments = [(item_id, name) for item_id, answer in doc["answers"].items()
                   for name in answer.get("attachments") or ()]  # fmt: skip
    folder = app.workspace.attachments_dir / doc["uuid"]
    colon = ":" if lang == "en" else "："
    lines += ["", f"{tr('detail.attachments', lang)}{colon}"]
    lines += [f"  {folder / name}" for _, name in attachments] or [f"  {tr('detail.none', lang)}"]
    if len(revisions) > 1:
        lines += ["", f"{tr('detail.history', lang)}{colon}"]
        for rev in revisions:
            state = tr("state.void" if rev["status"] == "void" else "state.final", lang)
            reason = rev.get("amend_reason") or ""
            why = f"  {tr('review.reason', lang)}{colon}{reason}" if reason else ""
            when = short_time(rev.get("finalized_at"))
            lines.append(f"  v{rev['revision']}  {state}  {rev['score']['final']:g} "
                         f"{rev['score']['grade']}  {when}{why}")  # fmt: skip
    from inspect_kit.services.rectify import RectifyService

    lines += RectifyService(store).sheet_lines(doc["uuid"], lang)  # its 整改项
    draft = next((d for d in store.drafts() if d["uuid"] == doc["uuid"]), None)
    if draft is not None:
        lines += ["", tr("detail.open_draft", lang, rev=draft["revision"])]
    return lines


def review_lines(app: KitApp, doc: dict, lang: str) -> list[str]:
    """The office review state at the top of the sheet (nothing for an undecided sheet of a
    form without review): a returned sheet says why and what to do."""
    from inspect_kit.domain.sheet_review import listed_state, state_of
    from inspect_kit.tui.review_states import review_states

    try:
        required = app.catalog.get(doc["form"]).form.review == "required"
    except InspectKitError:
        required = False
    state = state_of(review_states(app.store), doc["uuid"], doc["revision"])
    shown = listed_state(doc, {(doc["uuid"], doc["revision"]): state}, required)
    if shown is None:
        return []
    latest = state.latest
    if shown == "returned" and latest is not None:
        at = short_time(latest.at)
        return [tr("oreview.detail.returned", lang, reason=state.reason, by=latest.by, at=at), ""]
    word = tr(f"oreview.state.{shown}", lang)
    if latest is not None and shown != "conflict":
        word += f"（{latest.by}，{short_time(latest.at)}）"
    return [tr("oreview.cli.line", lang, state=word), ""]


def returned_reason(app: KitApp, doc: dict) -> str:
    """The return reason when the sheet's newest revision was returned, else ""."""
    from inspect_kit.domain.sheet_review import state_of
    from inspect_kit.tui.review_states import review_states

    state = state_of(review_states(app.store), doc["uuid"], doc["revision"])
    return state.reason if state.state == "returned" else ""


class SheetDetailScreen(KitScreen[None]):
    class Amended(Message):
        """A new revision of the sheet was opened as a draft; the app resumes it."""

        def __init__(self, screen: SheetDetailScreen, sheet_uuid: str, revision: int) -> None:
            super().__init__()
            self.screen, self.sheet_uuid, self.revision = screen, sheet_uuid, revision

        @property
        def control(self) -> SheetDetailScreen:
            return self.screen

    class Voided(Message):
        """The sheet was voided (this revision number)."""

        def __init__(self, revision: int) -> None:
            super().__init__()
            self.revision = revision

    class Reviewed(Message):
        """The office approved or returned the sheet (this revision)."""

        def __init__(self, decision: str, revision: int) -> None:
            super().__init__()
            self.decision, self.revision = decision, revision

    class Shown(Message):
        """The load worker wrote the sheet as text."""

        def __init__(self, text: str, returned: str = "", number: int = 0) -> None:
            super().__init__()
            self.text, self.returned, self.number = text, returned, number

    CSS_PATH = "results.tcss"
    BINDINGS = [
        Binding("escape,q", "back", "返回", id="detail.back"),
        Binding("a", "amend", "修订", id="detail.amend"),
        Binding("v", "void", "作废", id="detail.void"),
        Binding("p", "print", "打印记录表", id="detail.print"),
        Binding("o", "approve", "审核通过", id="detail.approve"),
        Binding("t", "return_sheet", "退回", id="detail.return_sheet"),
        Binding("z", "add_rectify", "加整改项", id="detail.add_rectify"),
    ]

    def __init__(self, sheet_uuid: str, then: str | None = None) -> None:
        """`then` ("amend", "void", "approve" or "return_sheet") asks for that at once: the key
        pressed in a list opens the sheet with the dialog on top, so the sheet being changed is
        the one on screen."""
        super().__init__()
        self.sheet_uuid = sheet_uuid
        self.then = then
        self.returned = ""
        """The office's return reason when the shown revision was returned (else "")."""
        self.loads = 0
        """How many reads were started: only the newest one's text is shown."""
        localize_bindings(self, self.lang)

    def compose(self) -> ComposeResult:
        yield Plain(tr("detail.title", self.lang), id="detail-title")
        with VerticalScroll(id="detail-body"):
            yield Plain(tr("home.loading", self.lang), id="detail-text")
        yield KitFooter()

    def on_mount(self) -> None:
        self.query_one("#detail-body").focus()
        self.load()
        if self.then in ("amend", "void", "approve", "return_sheet"):
            self.call_after_refresh(getattr(self, f"action_{self.then}"))

    def on_screen_resume(self) -> None:
        self.load()  # back from an amendment: show the new state

    def load(self) -> None:
        # A thread worker cannot be stopped: a read started before a change (the one from
        # on_mount, say) may finish after the read that follows the change, and its older
        # text must not replace the newer one.
        self.loads += 1
        self._read(self.loads)

    @work(thread=True, exclusive=True, group="detail")
    def _read(self, number: int) -> None:
        returned = ""
        try:
            text = "\n".join(detail_lines(self.app, self.sheet_uuid, self.lang))
            returned = returned_reason(self.app, self.app.store.submission(self.sheet_uuid))
        except InspectKitError as exc:
            text = f"✗ {exc}"  # shown in place of the sheet, so no notification
        self.post_message(self.Shown(text, returned, number))

    def on_sheet_detail_screen_shown(self, event: SheetDetailScreen.Shown) -> None:
        if event.number != self.loads:
            return
        self.returned = event.returned
        self.query_one("#detail-text", Static).update(plain(event.text))

    # ------------------------------------------------------------ amend and void

    def _who(self, doc_rater: str | None = None) -> str:
        return self.app.settings.rater or doc_rater or "unknown"

    def action_amend(self) -> None:
        from inspect_kit.tui.screens.dialogs import ReasonScreen

        def done(reason: str | None) -> None:
            if reason:
                self._amend(reason)

        # A returned sheet's amendment starts with the return's reason (read by load()).
        lang = self.lang
        value = tr("oreview.amend_reason", lang, reason=self.returned) if self.returned else ""
        screen = ReasonScreen(tr("amend.title", lang), tr("amend.hint", lang), value=value)
        self.app.push_screen(screen, done)

    @work(thread=True, exclusive=True, group="detail-change", exit_on_error=False)
    def _amend(self, reason: str) -> None:
        store = self.app.store
        doc = store.submission(self.sheet_uuid)
        sheet = self.app.revisions.amend(doc["uuid"], reason, self._who(doc["rater"]))
        self.post_message(self.Amended(self, sheet.uuid, sheet.revision))

    def on_sheet_detail_screen_amended(self, event: SheetDetailScreen.Amended) -> None:
        self.notify(tr("amend.opened", self.lang, rev=event.revision))
        # the message goes on to the app, which opens the draft as make_app(open_draft=...) does

    def action_void(self) -> None:
        from inspect_kit.tui.screens.dialogs import ReasonScreen

        def done(reason: str | None) -> None:
            if reason:
                self._void(reason)

        lang = self.lang
        self.app.push_screen(ReasonScreen(tr("void.title", lang), tr("void.hint", lang)), done)

    @work(thread=True, exclusive=True, group="detail-change", exit_on_error=False)
    def _void(self, reason: str) -> None:
        store = self.app.store
        doc = store.submission(self.sheet_uuid)
        voided = self.app.revisions.void(doc["uuid"], reason, self._who(doc["rater"]))
        self.post_message(self.Voided(voided["revision"]))

    def on_sheet_detail_screen_voided(self, event: SheetDetailScreen.Voided) -> None:
        self.notify(tr("void.done", self.lang, rev=event.revision))
        self.load()

    # ------------------------------------------------------------ office review

    def _reviewer(self) -> str:
        return self.app.settings.reviewer or self.app.settings.rater

    def action_approve(self) -> None:
        from inspect_kit.tui.screens.dialogs import ConfirmScreen

        def done(yes: bool | None) -> None:
            if yes:
                self._review("approved", "")

        self.app.push_screen(ConfirmScreen(tr("oreview.confirm", self.lang)), done)

    def action_return_sheet(self) -> None:
        from inspect_kit.tui.screens.dialogs import ReasonScreen

        def done(reason: str | None) -> None:
            if reason:
                self._review("returned", reason)

        lang = self.lang
        screen = ReasonScreen(tr("oreview.return.title", lang), tr("oreview.return.hint", lang))
        self.app.push_screen(screen, done)

    @work(thread=True, exclusive=True, group="detail-change", exit_on_error=False)
    def _review(self, decision: Decision, reason: str) -> None:
        from inspect_kit.services.office_review import review_sheet

        doc, _ = review_sheet(self.app.store, self.sheet_uuid, decision, self._reviewer(), reason)
        self.post_message(self.Reviewed(decision, doc["revision"]))

    def on_sheet_detail_screen_reviewed(self, event: SheetDetailScreen.Reviewed) -> None:
        self.notify(tr(f"oreview.done.{event.decision}", self.lang, rev=event.revision))
        self.load()

    def action_add_rectify(self) -> None:
        """z: a rectification item for this sheet's unit, found after finalizing."""
        from inspect_kit.services.rectify import sheet_deadline
        from inspect_kit.tui.screens.rectify_dialogs import MarkScreen

        store = self.app.store
        doc = store.submission(self.sheet_uuid)
        form = store.stored_form(doc["form_sha256"])
        from inspect_kit.base import clock

        deadline = sheet_deadline(form, doc.get("answers") or {}, clock.today(),
                                  (doc.get("started_at") or "")[:10] or None)  # fmt: skip

        def done(mark) -> None:
            if mark is not None and mark.requirement:
                self._add_rectify(doc["uuid"], doc["subject"], mark.requirement, mark.deadline)

        self.app.push_screen(MarkScreen(doc["subject_name"], "", deadline), done)

    @work(thread=True, exclusive=True, group="detail-change", exit_on_error=False)
    def _add_rectify(self, sheet_uuid: str, subject: str, requirement: str, deadline: str) -> None:
        from inspect_kit.services.rectify import RectifyService

        item = RectifyService(self.app.store).add(subject=subject, requirement=requirement,
                                                  deadline=deadline, by=self._who(),
                                                  sheet=sheet_uuid)  # fmt: skip
        msg = tr("rectify.cli.added", self.lang, id=item.uuid[:8], requirement=item.requirement,
                 deadline=item.deadline)  # fmt: skip
        self.app.call_from_thread(self.notify, msg)
        self.load()

    def action_print(self) -> None:
        self._print()

    @work(thread=True, exclusive=True, group="detail-print", exit_on_error=False)
    def _print(self) -> None:
        from inspect_kit.pack.sheet_record import print_sheet

        path = print_sheet(self.app.store, self.sheet_uuid, self.app.workspace.results_dir)
        self.app.call_from_thread(self.notify, tr("print.done", self.lang, path=str(path)))

    def action_back(self) -> None:
        self.dismiss(None)
