"""The record-level store (DESIGN §4): subjects, form versions, drafts, sheets and the audit log.

Files: the main database (`subjects`, `events`, `forms`, `conflicts`, `meta`, and the `sheets`
index with the `shards` table), the finalized sheets in shard files beside it (one folder per
form, one file per round and SHARD_CAPACITY sheets: see `archive`), and a small `drafts` file, so
autosaving costs the same whatever the archive holds. Every change happens under the main
database's one lock, with a fresh view and atomic writes: shards first, then the main file.
"""

from __future__ import annotations

import platform
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any

from tinydb import Query

from inspect_kit.base.errors import NotFound, StoreError
from inspect_kit.base.paths import Workspace
from inspect_kit.domain.clock import now_iso
from inspect_kit.domain.records import newest_revisions
from inspect_kit.domain.subject import Subject
from inspect_kit.store.archive import LEGACY, SHARD_CAPACITY, Shards, add_rows
from inspect_kit.store.database import Database
from inspect_kit.store.draft_table import put_draft
from inspect_kit.store.event_chain import append_events
from inspect_kit.store.files import drafts_database, main_database
from inspect_kit.store.form_copies import FormCopiesMixin
from inspect_kit.store.index import MainEdit, ShardIndex, filtered, own_rows
from inspect_kit.store.ledger_storage import (
    Scope,
    first_revision_scope,
    form_scope,
    groups_scope,
    main_only,
    no_events,
    scoped_read,
    sheet_scope,
    snapshot_read,
)
from inspect_kit.store.reviews import ReviewMixin
from inspect_kit.store.roster_store import RosterMixin
from inspect_kit.store.shard_names import EVENTS, SHEETS
from inspect_kit.store.sheet_lookup import SheetLookupMixin

if TYPE_CHECKING:  # the record model (pydantic) loads with the first sheet, not the store
    from inspect_kit.domain.model import Form
    from inspect_kit.domain.sheet import Sheet
    from inspect_kit.formfiles.loader import LoadedForm

Q = Query()
__all__ = ["SHARD_CAPACITY", "Store", "Subject", "newest_revisions"]


class Store(FormCopiesMixin, SheetLookupMixin, RosterMixin, ReviewMixin):
    """The store of one workspace (or in memory): the public API every service and front-end
    uses. Writes of the main file go through edit() (see store.index.MainEdit)."""

    def __init__(self, workspace: Workspace | None = None, *, memory: bool = False):
        self.workspace = workspace
        if memory or workspace is None:
            self.db = Database(None, name="inspect-kit")
            self.drafts_db = Database(None, name="drafts")
        else:
            self.db = main_database(workspace.db_path, workspace.backups_dir, backup_writes=True)
            self.drafts_db = drafts_database(workspace)
        self.shards = Shards(self.db)
        self.index = ShardIndex(self.shards)
        """The sheet index over the shards (see store.index); writes go through edit()."""
        self._forms_cache: dict[str, Form] = {}

    # ------------------------------------------------------------ drafts

    def save_draft(self, sheet: Sheet) -> str:
        """Write the draft at once (autosave); returns the saved time. One read and one atomic,
        fsynced write of the drafts file under its lock, backups around it as every write; the
        draft keeps its answers, not the score they give (see Sheet.draft_record)."""
        sheet.saved_at = now_iso()
        record = sheet.draft_record()
        with self.drafts_db.transaction() as db:
            data = db.storage.read() or {}
            put_draft(data.setdefault("drafts", {}), record)
            db.storage.write(data)
        return sheet.saved_at

    def drafts(self, form_id: str | None = None) -> list[dict[str, Any]]:
        with self.drafts_db.snapshot() as db:
            docs = [dict(d) for d in db.table("drafts").all()]
        docs = [d for d in docs if form_id is None or d["form"] == form_id]
        docs = self._not_final(docs)
        return sorted(docs, key=lambda d: d.get("saved_at") or "", reverse=True)

    def draft(self, sheet_uuid: str) -> dict[str, Any]:
        with self.drafts_db.snapshot() as db:
            doc = db.table("drafts").get(Q.uuid == sheet_uuid)
        if doc is None or not self._not_final([dict(doc)]):
            raise NotFound(code="store.no_draft", uuid=sheet_uuid)
        return dict(doc)

    def _not_final(self, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Drafts whose revision is not archived yet. A finalize commits with the main file's
        write; the draft's removal after it may fail (a full disk) and is then only late: the
        draft is no longer shown, and the next finalize of it cannot duplicate the sheet."""
        if not docs or self.db.path is None or not self.db.path.exists():
            return docs
        groups = groups_scope({(str(d.get("form")), str(d.get("round"))) for d in docs})
        with self.db.snapshot() as db:
            view = self.index.view(scoped_read(db, groups))
        final = {(r.get("uuid"), r.get("revision")) for r in view.rows}
        return [d for d in docs if (d.get("uuid"), d.get("revision")) not in final]

    def delete_draft(self, sheet_uuid: str) -> None:
        with self.drafts_db.transaction() as db:
            db.table("drafts").remove(Q.uuid == sheet_uuid)

    def load_sheet(self, record: dict[str, Any], loaded: LoadedForm | None = None) -> Sheet:
        """A Sheet for a stored record, under the exact form version it was started with."""
        if loaded is not None and loaded.sha256 == record["form_sha256"]:
            form = loaded.form
        else:
            form = self.stored_form(record["form_sha256"])
        from inspect_kit.domain.sheet import Sheet  # the record model: not for list reads

        return Sheet.from_record(record, form)

    def start_sheet(self, loaded: LoadedForm, sheet: Sheet) -> None:
        """Keep a copy of the form version, then the first save of the draft."""
        self.remember_form(loaded)
        self.save_draft(sheet)

    # ------------------------------------------------------------ finalized sheets
    #
    # Sheets live in shard files (inspect_kit.store.archive); the main database keeps the
    # `sheets` index and the `shards` table. Every write below: main lock, shards first (the
    # sheet is the precious part), then ONE write of the main file (index rows + events).

    @contextmanager
    def edit(self, *, everything: bool = False,
             scope: Scope | None = None) -> Iterator[MainEdit]:  # fmt: skip
        """One write transaction of the main file over the true index (main lock held): put
        sheets into shards through the edit, change its tree, then edit.write() once. Nothing
        is written unless the caller writes. `everything`: every shard read and its index rows
        rebuilt (doctor --repair). `scope`: see MainEdit."""
        with self.db.transaction() as db:
            try:
                yield MainEdit(self.index, db, everything=everything, scope=scope)
            finally:
                self.shards.abort()  # staged shards of an edit that never wrote (or failed)

    def table(self, name: str) -> list[dict[str, Any]]:
        """The records of one main-database table (fresh copies, the caller's own). Only the
        main file is read, except for the index rows and events, which its companions keep."""
        with self.db.snapshot() as db:
            data = scoped_read(db, None if name in (SHEETS, EVENTS) else main_only)
        return [dict(d) for d in (data.get(name) or {}).values()]

    def finalize(self, sheet: Sheet, loaded: LoadedForm | None = None, *,
                 force: bool = False) -> dict[str, Any]:  # fmt: skip
        """Archive a sheet (immutable from now on) and log the event; the draft goes after."""
        record = sheet.score()
        blockers = sheet.blockers(record)
        if blockers and not force:
            raise StoreError(code="store.blocked", why="；".join(blockers))
        sheet.status = "final"
        sheet.finalized_at = now_iso()
        doc = sheet.to_record()
        key = (sheet.uuid, sheet.revision)
        # Only the companions this sheet needs are read (store.ledger): every revision of a
        # sheet stays in its (form, round) group (amend keeps both).
        scope = sheet_scope(doc["form"], str(doc["round"]), sheet.uuid, sheet.revision)
        with self.edit(scope=scope) as edit:
            have = {d.get("sha256") for d in edit.table("forms").values()}
            forms = []
            if loaded is not None and loaded.sha256 not in have:
                forms.append(self._form_doc(loaded))
            elif loaded is None and sheet.form_sha256 not in have:
                raise StoreError(code="store.form_version_missing")
            existing = edit.row(key)
            if existing is not None and key not in edit.view.orphans:
                raise StoreError(
                    code="store.already_final", uuid=sheet.uuid, revision=sheet.revision
                )
            event = self.new_event(
                "amended" if sheet.revision > 1 else "finalized",
                sheet.uuid,
                sheet.rater,
                reason=sheet.amend_reason,
                revision=sheet.revision,
            )
            edit.prepare(keep={key})
            if existing is not None:
                # Left in its shard by a finalize cut short before the main file was written
                # (a crash, a full disk): this finalize of the same draft takes its place.
                edit.replace(doc, existing["shard"])
            else:
                edit.put([doc])
            add_rows(edit.table("forms"), forms)
            append_events(edit.table("events"), [event], records=[doc])  # signed, chained
            edit.write()
        # The main file's write above is the commit. The draft goes after it; if that fails
        # (a full disk) the draft is hidden by drafts() as already final, so the finalize is
        # not reported as failed and a retry cannot make a second sheet.
        with suppress(StoreError):
            self.delete_draft(sheet.uuid)
        return doc

    def submissions(self, *, form: str | None = None, round: str | None = None,
                    subject: str | None = None, status: str | None = None,
                    rater: str | None = None,
                    all_revisions: bool = False) -> list[dict[str, Any]]:  # fmt: skip
        """Finalized sheets, newest revision of each unless all_revisions. Only the shards of
        the asked form and round are opened."""
        with self.db.snapshot() as db:
            data = scoped_read(db, form_scope(form, round))
            self.index.view(data)  # finishes a cut-short commit; refuses a lost or emptied shard
            docs = [d for d in (data.get(LEGACY) or {}).values()
                    if (form is None or d["form"] == form)
                    and (round is None or d["round"] == round)]  # fmt: skip
            for rel in self.shards.listing(form, round):
                docs += self.shards.read(rel)
        return filtered(docs, form=form, round=round, subject=subject, status=status,
                              rater=rater, all_revisions=all_revisions)  # fmt: skip

    def summaries(self, *, form: str | None = None, round: str | None = None,
                  subject: str | None = None, status: str | None = None,
                  rater: str | None = None,
                  all_revisions: bool = False) -> list[dict[str, Any]]:  # fmt: skip
        """Index rows of the finalized sheets, filtered and ordered like submissions(), without
        opening the shards: uuid, revision, form, round, subject, subject_name, rater, role,
        status, total, bonus, final, grade, vetoed, finalized_at, shard. For list screens."""
        with self.db.snapshot() as db:  # the rows alone: no event is kept
            view = self.index.view(snapshot_read(db, form_scope(form, round), no_events))
        return filtered(own_rows(db, view.rows), form=form, round=round,
                              subject=subject, status=status, rater=rater,
                              all_revisions=all_revisions)  # fmt: skip

    def void(self, sheet_uuid: str, reason: str, by: str) -> dict[str, Any]:
        """Void a sheet: a new revision with status void; the old ones stay."""
        if not reason.strip():
            raise StoreError(code="store.void_reason")
        current = self.submission(sheet_uuid)
        if current["status"] == "void":
            raise StoreError(code="store.already_void")
        doc = dict(current)
        doc.update(revision=current["revision"] + 1, supersedes=current["revision"],
                   status="void", amend_reason=reason.strip(), finalized_at=now_iso())  # fmt: skip
        event = self.new_event("voided", doc["uuid"], by, reason=reason.strip(),
                               revision=doc["revision"])  # fmt: skip
        self.archive_records([doc], [event])
        return doc

    def archive_records(self, docs: list[dict[str, Any]], events: list[dict[str, Any]],
                        forms: Iterable[LoadedForm] = ()) -> None:  # fmt: skip
        """Archive records as they are (no blockers, no duplicate check) in one transaction:
        their shards, then one main write with index rows, new form versions and events.
        Only their groups' companions are read (one sheet: those finalize reads)."""
        if len(docs) == 1:
            d = docs[0]
            scope = sheet_scope(d["form"], str(d["round"]), d["uuid"], d["revision"])
        else:
            scope = groups_scope({(d["form"], str(d["round"])) for d in docs})
        with self.edit(scope=scope) as edit:
            have = {d.get("sha256") for d in edit.table("forms").values()}
            new_forms = []
            for loaded in forms:
                if loaded.sha256 not in have:
                    have.add(loaded.sha256)
                    new_forms.append(self._form_doc(loaded))
            edit.prepare()
            edit.put(docs)
            add_rows(edit.table("forms"), new_forms)
            append_events(edit.table("events"), events, records=docs)
            edit.write()

    @staticmethod
    def new_event(event: str, sheet_uuid: str | None, who: str, **details: Any) -> dict[str, Any]:
        """An audit event record: what happened to which sheet, by whom, when, on which device."""
        return {
            "event": event, "uuid": sheet_uuid, "by": who, "at": now_iso(),
            "device": platform.node(), **{k: v for k, v in details.items() if v is not None},
        }  # fmt: skip

    def log(self, event: str, sheet_uuid: str | None, who: str, **details: Any) -> None:
        """One audit event, sealed into its device's chain. Only the companion that keeps the
        sheet's events is read and written (store.ledger; about no sheet: the main file)."""
        scope = main_only if sheet_uuid is None else first_revision_scope(sheet_uuid)
        with self.edit(scope=scope) as edit:
            edit.prepare()
            append_events(edit.table("events"), [self.new_event(event, sheet_uuid, who, **details)])
            edit.write()

    def bulk_finalize(self, sheets: list[tuple[Sheet, LoadedForm]]) -> int:
        """Archive many complete sheets in one transaction (demo data, typed-up paper sheets)."""
        docs = []
        for sheet, _ in sheets:
            sheet.status = "final"
            sheet.finalized_at = sheet.finalized_at or now_iso()
            docs.append(sheet.to_record())
        events = [{"event": "finalized", "uuid": d["uuid"], "by": d["rater"],
                   "at": d["finalized_at"], "device": d["device"], "revision": d["revision"]}
                  for d in docs]  # fmt: skip
        self.archive_records(docs, events, {id(lf): lf for _, lf in sheets}.values())
        return len(docs)

    def amend(self, sheet_uuid: str, reason: str, by: str) -> Sheet:
        """Open a new revision of a finalized sheet as a draft: same uuid, answers copied, under
        the form version the sheet was scored with. Finalizing it logs 'amended' with the reason;
        the old revision stays in the archive."""
        if not (reason or "").strip():
            raise StoreError(code="store.amend_reason")
        current = self.submission(sheet_uuid)
        if current["status"] == "void":
            raise StoreError(code="store.amend_void", uuid=current["uuid"][:8])
        open_drafts = [d for d in self.drafts() if d["uuid"] == current["uuid"]]
        if open_drafts:
            raise StoreError(code="store.amend_open", uuid=current["uuid"][:8],
                             revision=open_drafts[0]["revision"])  # fmt: skip
        sheet = self.load_sheet(current)
        sheet.revision = current["revision"] + 1
        sheet.supersedes = current["revision"]
        sheet.amend_reason = reason.strip()
        sheet.status = "draft"
        sheet.started_at, sheet.saved_at, sheet.finalized_at = now_iso(), None, None
        sheet.device, sheet.position = platform.node(), None
        self.save_draft(sheet)
        self.log("amend_opened", sheet.uuid, by, reason=sheet.amend_reason, revision=sheet.revision)
        return sheet
