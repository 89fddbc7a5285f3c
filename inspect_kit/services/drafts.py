"""One open draft: the sheet, its form, the per-draft lock, attachments and autosave.

No front-end here, so the rules (every change is saved at once, a draft has one writer, photos
are copied safely) are the same whether the TUI, the plain prompts or an answer file drive them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from filelock import FileLock

from inspect_kit.base.errors import AnswerError, InspectKitError
from inspect_kit.base.paths import Workspace
from inspect_kit.domain.sheet import Sheet
from inspect_kit.formfiles.catalog import FormCatalog
from inspect_kit.formfiles.loader import LoadedForm
from inspect_kit.intake.attachments import add_attachments, check_photo
from inspect_kit.services.draft_lock import acquire_lock
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
                      subject_name=subject_name, rater=rater, round=round)  # fmt: skip
        return cls.open_new(store, workspace, loaded, sheet, lang=lang)

    @classmethod
    def open_new(cls, store: Store, workspace: Workspace, loaded: LoadedForm, sheet: Sheet, *,
                 lang: str = "zh") -> DraftSession:  # fmt: skip
        """Lock and store a sheet built in memory (a new sheet, or one read from an answer file)."""
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

    def set_na(self, item_id: str, na: bool) -> str:
        self.sheet.set_na(item_id, na)
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
        names = [n for n in self.sheet.answer(item_id).attachments if n != name]
        self.sheet.set_attachments(item_id, names)
        return self.save()

    def finalize(self) -> dict[str, Any]:
        doc = self.store.finalize(self.sheet, self.loaded)
        self.close()
        return doc
