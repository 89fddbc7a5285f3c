"""One open draft: the sheet, its form, the per-draft lock, attachments and autosave.

No Textual here, so the rules (every change is saved at once, a draft is open in one window
only, photos are copied safely) are the same whatever front-end drives them.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from inspect_kit.base.errors import AnswerError, InspectKitError
from inspect_kit.base.paths import Workspace
from inspect_kit.domain.sheet import Sheet
from inspect_kit.formfiles.loader import FormCatalog, LoadedForm
from inspect_kit.store.store import Store

SAFE_NAME = re.compile(r"^[^/\\\x00]{1,200}$")


class DraftLocked(InspectKitError):
    """The draft is open in another window (or process)."""


def lock_path(workspace: Workspace, sheet_uuid: str) -> Path:
    return workspace.drafts_path.parent / "locks" / f"{sheet_uuid}.lock"


def acquire_lock(workspace: Workspace, sheet_uuid: str, message: str) -> FileLock:
    """Take the draft's lock now or refuse: a second window must never overwrite the first."""
    path = lock_path(workspace, sheet_uuid)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise DraftLocked(message) from None
    return lock


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
              locked_message: str) -> DraftSession:  # fmt: skip
        sheet = Sheet(form=loaded.form, form_sha256=loaded.sha256, subject=subject,
                      subject_name=subject_name, rater=rater, round=round)  # fmt: skip
        lock = acquire_lock(workspace, sheet.uuid, locked_message)
        try:
            store.start_sheet(loaded, sheet)
        except BaseException:
            lock.release()
            raise
        return cls(store, workspace, sheet, loaded, lock)

    @classmethod
    def resume(cls, store: Store, workspace: Workspace, catalog: FormCatalog, sheet_uuid: str, *,
               locked_message: str) -> DraftSession:  # fmt: skip
        lock = acquire_lock(workspace, sheet_uuid, locked_message)
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
        source = Path(raw_path.strip().strip("'\"")).expanduser()
        name = source.name
        if not name or name in (".", "..") or name.startswith(".") or not SAFE_NAME.match(name):
            raise AnswerError(f"文件名“{name}”不可用")
        if not source.is_file():
            raise AnswerError(f"找不到文件 {source}")
        folder = self.workspace.attachments_dir / self.sheet.uuid
        folder.mkdir(parents=True, exist_ok=True)
        existing = list(self.sheet.answer(item_id).attachments)
        target = folder / name
        counter = 1
        while target.exists() or target.name in existing:
            target = folder / f"{source.stem}-{counter}{source.suffix}"
            counter += 1
        if target.resolve().parent != folder.resolve():
            raise AnswerError(f"文件名“{name}”不可用")
        shutil.copy2(source, target)
        self.sheet.set_attachments(item_id, [*existing, target.name])
        return self.save()

    def remove_photo(self, item_id: str, name: str) -> str:
        names = [n for n in self.sheet.answer(item_id).attachments if n != name]
        self.sheet.set_attachments(item_id, names)
        return self.save()

    def finalize(self) -> dict[str, Any]:
        doc = self.store.finalize(self.sheet, self.loaded)
        self.close()
        return doc
