"""One open draft: the sheet, its form, the per-draft lock, attachments and autosave.

No front-end here, so the rules (every change is saved at once, a draft has one writer, photos
are copied safely) are the same whether the TUI, the plain prompts or an answer file drive them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock

from inspect_kit.base.errors import AnswerError, InspectKitError, NotFound
from inspect_kit.base.paths import Workspace
from inspect_kit.base.rounds import parse_round
from inspect_kit.domain.sheet import Sheet
from inspect_kit.domain.subject import SubjectFacts
from inspect_kit.formfiles.catalog import FormCatalog
from inspect_kit.formfiles.loader import LoadedForm
from inspect_kit.intake.attachments import (
    add_attachments,
    attachment_dir,
    check_photo,
    copy_attachments,
)
from inspect_kit.services.draft_lock import (
    DraftLocked,
    acquire_lock,
    holding,
    is_locked_elsewhere,
    lock_path,
)
from inspect_kit.services.outbox import publish
from inspect_kit.store.store import Store


def find_draft(
    store: Store, form_id: str, subject: str, rater: str, round_: str
) -> dict[str, Any] | None:
    """The newest draft for the same form, subject, rater and round (first revision), if any."""
    for record in store.drafts(form_id):
        if (
            record["subject"] == subject
            and record.get("rater") == rater
            and str(record.get("round")) == str(round_)
            and int(record.get("revision") or 1) == 1
        ):
            return record
    return None


class DraftExists(InspectKitError):
    """A draft for the same form, subject, rater and round exists: open it, not a second one.

    Carries the existing draft's record, so a front-end can offer to open it."""

    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record
        super().__init__(code="draft.exists", uuid=str(record["uuid"])[:8], form=record["form"],
                         subject=record.get("subject_name") or record["subject"],
                         rater=record.get("rater", ""), round=record.get("round", ""))  # fmt: skip


def find_loaded(catalog: FormCatalog, sha256: str, form_id: str) -> LoadedForm | None:
    """The catalog's form when it is the exact version the draft was started with."""
    try:
        loaded = catalog.get(form_id)
    except InspectKitError:
        return None
    return loaded if loaded.sha256 == sha256 else None


@dataclass
class DraftSession:
    store: Store
    workspace: Workspace
    sheet: Sheet
    loaded: LoadedForm | None
    lock: FileLock

    # ------------------------------------------------------------ opening

    @classmethod
    def start(cls, store: Store, workspace: Workspace, loaded: LoadedForm, *, subject: str,
              subject_name: str, rater: str, round: str,
              lang: str = "zh") -> DraftSession:  # fmt: skip
        sheet = Sheet(form=loaded.form, form_sha256=loaded.sha256, subject=subject,
                      subject_name=subject_name, rater=rater, round=round,
                      facts=SubjectFacts.of(store.subject(subject)))  # fmt: skip
        lock = acquire_lock(workspace, sheet.uuid, lang)
        try:
            store.start_sheet(loaded, sheet)
        except BaseException:
            lock.release()
            raise
        return cls(store, workspace, sheet, loaded, lock)

    @classmethod
    def resume(cls, store: Store, workspace: Workspace, catalog: FormCatalog, sheet_uuid: str, *,
               lang: str = "zh") -> DraftSession:  # fmt: skip
        lock = acquire_lock(workspace, sheet_uuid, lang)
        try:
            record = store.draft(sheet_uuid)  # read under the lock: nobody else writes it now
            loaded = find_loaded(catalog, record["form_sha256"], record["form"])
            sheet = store.load_sheet(record, loaded)
        except BaseException:
            lock.release()
            raise
        return cls(store, workspace, sheet, loaded, lock)

    @classmethod
    def hold(cls, store: Store, workspace: Workspace, loaded: LoadedForm, sheet: Sheet, *,
             lang: str = "zh") -> DraftSession:  # fmt: skip
        """A session on a sheet the caller built or loaded (a plain fill): its lock, and its
        newest stored state when it is stored already, read under the lock so what another
        writer saved before is kept. Not stored yet: `sheet` itself (saved on its first change)."""
        lock = acquire_lock(workspace, sheet.uuid, lang)
        try:
            with suppress(NotFound):
                sheet = store.load_sheet(store.draft(sheet.uuid), loaded)
        except BaseException:
            lock.release()
            raise
        return cls(store, workspace, sheet, loaded, lock)

    def close(self) -> None:
        if self.lock.is_locked:
            self.lock.release()

    # ------------------------------------------------------------ changes (each one saved)

    def save(self) -> str:
        return self.store.save_draft(self.sheet)

    def set_value(self, item_id: str, raw: Any) -> str:
        """Store a value, or on bad input clear it and re-raise (the field shows the message)."""
        try:
            self.sheet.set_value(item_id, raw)
        except AnswerError:
            self.sheet.set_value(item_id, None)
            self.save()
            raise
        return self.save()

    def clear(self, item_id: str, *, keep_note: bool = True) -> str:
        """Make the item unanswered again (its photos go through remove_photo first)."""
        for name in list(self.sheet.answer(item_id).attachments):
            self.remove_photo(item_id, name)
        if keep_note and self.sheet.answer(item_id).note:
            self.sheet.set_value(item_id, None)
        else:
            self.sheet.clear(item_id)
        return self.save()

    def set_na(self, item_id: str, na: bool) -> str:
        self.sheet.set_na(item_id, na)
        return self.save()

    def set_rectify(self, item_id: str, deadline: str | None, requirement: str = "") -> str:
        """Mark an item 需整改 (services/rectify.set_mark) and save."""
        from inspect_kit.services.rectify import set_mark

        set_mark(self.sheet, item_id, deadline, requirement)
        return self.save()

    def clear_rectify(self, item_id: str) -> str:
        self.sheet.rectify.pop(item_id, None)
        return self.save()

    def set_note(self, item_id: str, note: str) -> str:
        self.sheet.set_note(item_id, note)
        return self.save()

    def set_veto(self, veto_id: str, fired: bool | None, note: str | None = None) -> str:
        self.sheet.set_veto(veto_id, fired, note)
        return self.save()

    def set_position(self, item_id: str) -> str | None:
        if self.sheet.position == item_id:
            return None
        self.sheet.position = item_id
        return self.save()

    def add_photo(self, item_id: str, raw_path: str) -> str:
        """Copy a photo into results/attachments/<uuid>/ and record its file name."""
        source = check_photo(raw_path)
        existing = list(self.sheet.answer(item_id).attachments)
        names = add_attachments(self.workspace.attachments_dir, self.sheet.uuid, [source], existing)
        self.sheet.set_attachments(item_id, [*existing, *names])
        return self.save()

    def remove_photo(self, item_id: str, name: str) -> str:
        """Take a photo off the item and delete its copy in the draft's folder, then autosave.

        The record is saved before the file goes, so a crash in between leaves a stray file,
        never a draft naming a missing one. The file stays while another item or an earlier
        finalized revision (an amendment shares the uuid, hence the folder) still names it."""
        names = list(self.sheet.answer(item_id).attachments)
        if name not in names:
            raise AnswerError(code="answer.no_such_photo", name=name,
                              photos="、".join(names) or "—")  # fmt: skip
        names.remove(name)
        self.sheet.set_attachments(item_id, names)
        saved = self.save()
        if not self._photo_in_use(name):
            folder = attachment_dir(self.workspace.attachments_dir, self.sheet.uuid)
            target = folder / name
            if target.resolve().parent == folder.resolve():
                target.unlink(missing_ok=True)
        return saved

    def _photo_in_use(self, name: str) -> bool:
        if any(name in a.attachments for a in self.sheet.answers.items.values()):
            return True
        with suppress(NotFound):
            revisions, _ = self.store.history(self.sheet.uuid)
            return any(
                name in (answer.get("attachments") or ())
                for doc in revisions
                for answer in (doc.get("answers") or {}).values()
                if isinstance(answer, dict)
            )
        return False

    def finalize(self) -> dict[str, Any]:
        doc = self.store.finalize(self.sheet, self.loaded)
        self.close()
        rectifications_of(self.store, doc)
        publish(self.store, self.workspace, [doc["uuid"]])  # the outbox, once sync is set up
        return doc


def rectifications_of(store: Store, doc: dict[str, Any]) -> None:
    """The 整改项 a finalized sheet asks for (its 需整改 marks and 整改事项 lines), made right
    after the sheet's commit; their uuids follow from the sheet, so a retry adds nothing."""
    from inspect_kit.services.rectify import RectifyService

    RectifyService(store).from_sheet(doc, by=doc.get("rater") or "")


@contextmanager
def held_draft(store: Store, loaded: LoadedForm, sheet: Sheet, lang: str = "zh") -> Iterator[Sheet]:
    """Hold the sheet's lock for a long fill and yield its newest stored state (or `sheet` itself
    when it is not stored yet). Read under the lock, so what another writer saved before is kept.
    A store without a workspace is in memory: no other process can reach it, nothing to lock."""
    if store.workspace is None:
        yield sheet
        return
    with holding(store.workspace, sheet.uuid, lang):
        with suppress(NotFound):
            sheet = store.load_sheet(store.draft(sheet.uuid), loaded)
        yield sheet


class DraftsService:
    """The drafts of one store and catalog, for every front-end; built once and shared.

    Every write to a draft goes through its lock: a session (`start`, `resume`) holds
    it until closed, one-shot writes (`store_new`, `delete`) take it for the write.
    """

    def __init__(self, store: Store, workspace: Workspace, catalog: FormCatalog,
                 lang: str = "zh") -> None:  # fmt: skip
        self.store = store
        self.workspace = workspace
        self.catalog = catalog
        self.lang = lang

    def find(self, form_id: str, subject: str, rater: str, round_: str) -> dict[str, Any] | None:
        return find_draft(self.store, form_id, subject, rater, round_)

    def is_open_elsewhere(self, sheet_uuid: str) -> bool:
        return is_locked_elsewhere(self.workspace, sheet_uuid)

    def refuse_if_open(self, sheet_uuid: str) -> None:
        """Raise DraftLocked while another window or process holds the draft."""
        if self.is_open_elsewhere(sheet_uuid):
            raise DraftLocked(sheet_uuid, self.lang)

    @contextmanager
    def _one_per_key(self, form_id: str, subject: str, rater: str, round_: str) -> Iterator[None]:
        """Held while checking for a draft of the key and creating one: two windows starting
        the same sheet at once get one draft and a DraftExists, never two drafts."""
        key = "\x1f".join((form_id, subject, rater, round_)).encode()
        name = "new-" + hashlib.sha256(key).hexdigest()[:24]
        path = lock_path(self.workspace, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(path, timeout=10):
            existing = self.find(form_id, subject, rater, round_)
            if existing is not None:
                raise DraftExists(existing)
            yield

    def start(self, loaded: LoadedForm, *, subject: str, subject_name: str, rater: str,
              round: str) -> DraftSession:  # fmt: skip
        """A new draft held open; RoundError for a round off the rule, DraftExists when the
        form, subject, rater and round already have a draft (open that one instead)."""
        round = parse_round(round)
        with self._one_per_key(loaded.form.form, subject, rater, round):
            return DraftSession.start(self.store, self.workspace, loaded, subject=subject,
                                      subject_name=subject_name, rater=rater, round=round,
                                      lang=self.lang)  # fmt: skip

    def begin(self, loaded: LoadedForm, sheet: Sheet) -> None:
        """Store a new, not yet held sheet as a draft (plain mode), by the same rule as `start`."""
        sheet.round = parse_round(sheet.round)
        key = (loaded.form.form, sheet.subject, sheet.rater, sheet.round)
        with self._one_per_key(*key), holding(self.workspace, sheet.uuid, self.lang):
            self.store.start_sheet(loaded, sheet)

    def resume(self, sheet_uuid: str) -> DraftSession:
        return DraftSession.resume(self.store, self.workspace, self.catalog, sheet_uuid,
                                   lang=self.lang)  # fmt: skip

    def store_new(self, loaded: LoadedForm, sheet: Sheet, photos: Iterable[tuple[Path, str]] = (),
                  *, finalize: bool) -> dict[str, Any] | None:  # fmt: skip
        """A sheet built whole (from an answer file): copy its photos, then finalize it (returns
        the stored document) or keep it as a draft (returns None), under its lock."""
        sheet.round = parse_round(sheet.round)
        if not finalize:
            with self._one_per_key(loaded.form.form, sheet.subject, sheet.rater, sheet.round):
                return self._store_new(loaded, sheet, photos, finalize=False)
        return self._store_new(loaded, sheet, photos, finalize=True)

    def _store_new(self, loaded: LoadedForm, sheet: Sheet, photos: Iterable[tuple[Path, str]],
                   *, finalize: bool) -> dict[str, Any] | None:  # fmt: skip
        with holding(self.workspace, sheet.uuid, self.lang):
            photos = list(photos)
            if photos:
                copy_attachments(self.workspace.attachments_dir, sheet.uuid, photos)
            if finalize:
                doc = self.store.finalize(sheet, loaded)
                rectifications_of(self.store, doc)
                publish(self.store, self.workspace, [doc["uuid"]])
                return doc
            self.store.start_sheet(loaded, sheet)
        return None

    def delete(self, sheet_uuid: str) -> None:
        with holding(self.workspace, sheet_uuid, self.lang):
            self.store.delete_draft(sheet_uuid)

    def finalize_many(self, sheets: list[tuple[Sheet, LoadedForm]]) -> int:
        """Archive many complete sheets in one transaction (demo data, typed-up paper sheets,
        see Store.bulk_finalize) and send them out as one outbox bundle."""
        count = self.store.bulk_finalize(sheets)
        publish(self.store, self.workspace, [sheet.uuid for sheet, _ in sheets])
        return count
