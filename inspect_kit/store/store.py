"""The record-level store (DESIGN §4): subjects, form versions, drafts, sheets and the audit log.

Two database files: the archive (`submissions`, `subjects`, `events`, `forms`) and a small
`drafts` file, so autosaving costs the same whatever the archive holds. Every change happens in
one `Database.transaction()`: one lock, a fresh table view, an atomic write.
"""

from __future__ import annotations

import platform
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from tinydb import Query, TinyDB

from inspect_kit.errors import NotFound, StoreError
from inspect_kit.forms import LoadedForm, parse_form_text
from inspect_kit.model import Form
from inspect_kit.paths import Workspace
from inspect_kit.sheet import Sheet, now_iso
from inspect_kit.store.database import Database

Q = Query()
TABLES = ("submissions", "subjects", "events", "forms")


@dataclass(frozen=True)
class Subject:
    """A roster entry: a base, a committee, an enterprise or a school."""

    id: str
    name: str
    kind: str
    district: str = ""
    level: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["tags"] = list(self.tags)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Subject:
        return cls(
            id=str(data["id"]),
            name=str(data["name"]),
            kind=str(data.get("kind") or ""),
            district=str(data.get("district") or ""),
            level=str(data.get("level") or ""),
            tags=tuple(data.get("tags") or ()),
        )


def newest_revisions(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep the newest revision of each sheet uuid (the one that counts)."""
    newest: dict[str, dict[str, Any]] = {}
    for record in records:
        current = newest.get(record["uuid"])
        if current is None or record["revision"] > current["revision"]:
            newest[record["uuid"]] = record
    return list(newest.values())


class Store:
    def __init__(self, workspace: Workspace | None = None, *, memory: bool = False):
        self.workspace = workspace
        if memory or workspace is None:
            self.db = Database(None, name="inspect-kit")
            self.drafts_db = Database(None, name="drafts")
        else:
            self.db = Database(workspace.db_path, backups_dir=workspace.backups_dir,
                               name="inspect-kit")  # fmt: skip
            self.drafts_db = Database(workspace.drafts_path, name="drafts")
        self._forms_cache: dict[str, Form] = {}

    # ------------------------------------------------------------ subjects

    def add_subjects(self, subjects: Iterable[Subject], *, replace: bool = True) -> tuple[int, int]:
        """Add or update roster entries in one write; returns (added, updated)."""
        added = updated = 0
        with self.db.transaction() as db:
            table = db.table("subjects")
            existing = {doc["id"]: doc.doc_id for doc in table.all()}
            inserts: list[dict[str, Any]] = []
            updates: dict[str, dict[str, Any]] = {}
            for subject in subjects:
                if subject.id in existing:
                    if not replace:
                        raise StoreError(f"编号 {subject.id} 已存在")
                    if existing[subject.id] >= 0:
                        updates[subject.id] = subject.to_dict()
                    updated += 1
                else:
                    inserts.append(subject.to_dict())
                    existing[subject.id] = -1
            if updates:  # one write for all updates, not one per row
                table.update(lambda doc: doc.update(updates[doc["id"]]), Q.id.one_of(list(updates)))
            if inserts:
                table.insert_multiple(inserts)
                added = len(inserts)
        return added, updated

    def add_subject(self, subject: Subject) -> None:
        self.add_subjects([subject], replace=False)

    def subjects(self, kind: str | None = None) -> list[Subject]:
        with self.db.snapshot() as db:
            docs = db.table("subjects").all()
        subjects = [Subject.from_dict(d) for d in docs]
        if kind:
            subjects = [s for s in subjects if s.kind == kind]
        return sorted(subjects, key=lambda s: s.id)

    def subject(self, subject_id: str) -> Subject | None:
        with self.db.snapshot() as db:
            doc = db.table("subjects").get(Q.id == subject_id)
        return Subject.from_dict(doc) if doc else None

    # ------------------------------------------------------------ form versions

    @staticmethod
    def _form_doc(loaded: LoadedForm) -> dict[str, Any]:
        return {
            "form": loaded.form.form, "version": loaded.form.version,
            "sha256": loaded.sha256, "source": loaded.source, "stored_at": now_iso(),
        }  # fmt: skip

    @classmethod
    def _remember_form(cls, db: TinyDB, loaded: LoadedForm) -> None:
        table = db.table("forms")
        if not table.contains(Q.sha256 == loaded.sha256):
            table.insert(cls._form_doc(loaded))

    def form_versions(self, form_id: str | None = None) -> list[dict[str, Any]]:
        with self.db.snapshot() as db:
            docs = db.table("forms").all()
        return [dict(d) for d in docs if form_id is None or d["form"] == form_id]

    def stored_form(self, sha256: str) -> Form:
        """The exact form version a sheet was scored under, from the database's copy."""
        if sha256 not in self._forms_cache:
            with self.db.snapshot() as db:
                doc = db.table("forms").get(Q.sha256 == sha256)
            if doc is None:
                raise NotFound(f"数据库中没有表单版本 {sha256[:12]}")
            self._forms_cache[sha256] = parse_form_text(doc["source"], f"<stored {doc['form']}>")
        return self._forms_cache[sha256]

    # ------------------------------------------------------------ drafts

    def save_draft(self, sheet: Sheet) -> str:
        """Write the draft at once (autosave); returns the saved time."""
        sheet.saved_at = now_iso()
        record = sheet.to_record()
        with self.drafts_db.transaction() as db:
            table = db.table("drafts")
            key = (Q.uuid == sheet.uuid) & (Q.revision == sheet.revision)
            if table.contains(key):
                table.update(record, key)
            else:
                table.insert(record)
        return sheet.saved_at

    def drafts(self, form_id: str | None = None) -> list[dict[str, Any]]:
        with self.drafts_db.snapshot() as db:
            docs = [dict(d) for d in db.table("drafts").all()]
        docs = [d for d in docs if form_id is None or d["form"] == form_id]
        return sorted(docs, key=lambda d: d.get("saved_at") or "", reverse=True)

    def draft(self, sheet_uuid: str) -> dict[str, Any]:
        with self.drafts_db.snapshot() as db:
            doc = db.table("drafts").get(Q.uuid == sheet_uuid)
        if doc is None:
            raise NotFound(f"没有草稿 {sheet_uuid}")
        return dict(doc)

    def delete_draft(self, sheet_uuid: str) -> None:
        with self.drafts_db.transaction() as db:
            db.table("drafts").remove(Q.uuid == sheet_uuid)

    def load_sheet(self, record: dict[str, Any], loaded: LoadedForm | None = None) -> Sheet:
        """A Sheet for a stored record, under the exact form version it was started with."""
        if loaded is not None and loaded.sha256 == record["form_sha256"]:
            form = loaded.form
        else:
            form = self.stored_form(record["form_sha256"])
        return Sheet.from_record(record, form)

    def start_sheet(self, loaded: LoadedForm, sheet: Sheet) -> None:
        """Keep a copy of the form version, then the first save of the draft."""
        with self.db.transaction() as db:
            self._remember_form(db, loaded)
        self.save_draft(sheet)

    # ------------------------------------------------------------ finalized sheets

    def finalize(self, sheet: Sheet, loaded: LoadedForm | None = None, *,
                 force: bool = False) -> dict[str, Any]:  # fmt: skip
        """Archive a sheet (immutable from now on) and log the event; the draft goes after."""
        record = sheet.score()
        blockers = sheet.blockers(record)
        if blockers and not force:
            raise StoreError("还不能提交：" + "；".join(blockers))
        sheet.status = "final"
        sheet.finalized_at = now_iso()
        doc = sheet.to_record()
        # One read and one write of the archive (TinyDB's insert reads the whole file twice and
        # writes it once per call; at 10k sheets each read is a 60 MB parse).
        with self.db.transaction() as db:
            data = db.storage.read() or {}
            have = {d.get("sha256") for d in (data.get("forms") or {}).values()}
            forms = []
            if loaded is not None and loaded.sha256 not in have:
                forms.append(self._form_doc(loaded))
            elif loaded is None and sheet.form_sha256 not in have:
                raise StoreError("数据库中没有此表单版本，无法提交")
            key = (sheet.uuid, sheet.revision)
            if any((d["uuid"], d["revision"]) == key
                   for d in (data.get("submissions") or {}).values()):  # fmt: skip
                raise StoreError(f"评分表 {sheet.uuid} 第 {sheet.revision} 版已经提交过")
            event = self._event("amended" if sheet.revision > 1 else "finalized", sheet.uuid,
                                sheet.rater, reason=sheet.amend_reason, revision=sheet.revision)
            self.db.backup()  # linked by the write below: the archive as it was before
            self._append(db, data, forms=forms, submissions=[doc], events=[event])
        # The draft is removed only after the archive write succeeded; a crash in between
        # leaves a draft that `drafts()` callers can recognise as already final.
        self.delete_draft(sheet.uuid)
        return doc

    def submissions(self, *, form: str | None = None, round: str | None = None,
                    subject: str | None = None, status: str | None = None,
                    rater: str | None = None, all_revisions: bool = False) -> list[dict[str, Any]]:  # fmt: skip
        """Finalized sheets, newest revision of each unless all_revisions."""
        with self.db.snapshot() as db:
            docs = [dict(d) for d in db.table("submissions").all()]
        if not all_revisions:
            docs = newest_revisions(docs)
        def keep(d: dict[str, Any]) -> bool:  # noqa: E306
            return ((form is None or d["form"] == form) and (round is None or d["round"] == round)
                    and (subject is None or d["subject"] == subject)
                    and (status is None or d["status"] == status)
                    and (rater is None or d["rater"] == rater))  # fmt: skip
        docs = [d for d in docs if keep(d)]
        return sorted(docs, key=lambda d: (d["form"], d["round"], d["subject"], d["rater"]))

    def submission(self, sheet_uuid: str, revision: int | None = None) -> dict[str, Any]:
        """A sheet by uuid (a unique prefix of at least 6 characters is enough)."""
        with self.db.snapshot() as db:
            docs = [dict(d) for d in db.table("submissions").all()]
        matches = [d for d in docs if d["uuid"] == sheet_uuid]
        if not matches and len(sheet_uuid) >= 6:
            matches = [d for d in docs if d["uuid"].startswith(sheet_uuid)]
            if len({d["uuid"] for d in matches}) > 1:
                raise NotFound(f"编号 {sheet_uuid} 对应多张评分表，请写得更长一些")
        if revision is not None:
            matches = [d for d in matches if d["revision"] == revision]
        if not matches:
            raise NotFound(f"没有编号为 {sheet_uuid} 的已提交评分表")
        return max(matches, key=lambda d: d["revision"])

    def history(self, sheet_uuid: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(every revision, oldest first; every event) of a sheet."""
        newest = self.submission(sheet_uuid)
        full = newest["uuid"]
        with self.db.snapshot() as db:
            revisions = [dict(d) for d in db.table("submissions").search(Q.uuid == full)]
            events = [dict(d) for d in db.table("events").search(Q.uuid == full)]
        return sorted(revisions, key=lambda d: d["revision"]), events

    def void(self, sheet_uuid: str, reason: str, by: str) -> dict[str, Any]:
        """Void a sheet: a new revision with status void; the old ones stay."""
        if not reason.strip():
            raise StoreError("作废需要写明理由（--reason）")
        current = self.submission(sheet_uuid)
        if current["status"] == "void":
            raise StoreError("这张评分表已经作废")
        doc = dict(current)
        doc.update(revision=current["revision"] + 1, supersedes=current["revision"],
                   status="void", amend_reason=reason.strip(), finalized_at=now_iso())  # fmt: skip
        with self.db.transaction() as db:
            self.db.backup()
            self._append(db, db.storage.read() or {}, submissions=[doc],
                         events=[self._event("voided", doc["uuid"], by, reason=reason.strip(),
                                             revision=doc["revision"])])  # fmt: skip
        return doc

    def events(self, sheet_uuid: str | None = None) -> list[dict[str, Any]]:
        with self.db.snapshot() as db:
            docs = [dict(d) for d in db.table("events").all()]
        return [d for d in docs if sheet_uuid is None or d.get("uuid") == sheet_uuid]

    @staticmethod
    def _event(event: str, sheet_uuid: str | None, who: str, **details: Any) -> dict[str, Any]:
        return {
            "event": event, "uuid": sheet_uuid, "by": who, "at": now_iso(),
            "device": platform.node(), **{k: v for k, v in details.items() if v is not None},
        }  # fmt: skip

    @classmethod
    def _log(cls, db: TinyDB, event: str, sheet_uuid: str | None, who: str, **details: Any) -> None:
        db.table("events").insert(cls._event(event, sheet_uuid, who, **details))

    @staticmethod
    def _append(db: TinyDB, data: dict[str, Any], **rows: list[dict[str, Any]]) -> None:
        """Add documents to several tables in ONE write of `data` (this transaction's tree from
        `db.storage.read()`); ids continue from each table's highest, as TinyDB's own do."""
        if not any(rows.values()):
            return
        for name, docs in rows.items():
            table = data.setdefault(name, {})
            next_id = max(map(int, table), default=0) + 1
            for offset, doc in enumerate(docs):
                table[str(next_id + offset)] = dict(doc)
        db.storage.write(data)

    def log(self, event: str, sheet_uuid: str | None, who: str, **details: Any) -> None:
        with self.db.transaction() as db:
            self._log(db, event, sheet_uuid, who, **details)

    def bulk_finalize(self, sheets: list[tuple[Sheet, LoadedForm]]) -> int:
        """Archive many complete sheets in one write (demo data, typed-up paper sheets)."""
        docs = []
        for sheet, _ in sheets:
            sheet.status = "final"
            sheet.finalized_at = sheet.finalized_at or now_iso()
            docs.append(sheet.to_record())
        with self.db.transaction() as db:
            data = db.storage.read() or {}
            have = {d.get("sha256") for d in (data.get("forms") or {}).values()}
            forms = []
            for loaded in {id(lf): lf for _, lf in sheets}.values():
                if loaded.sha256 not in have:
                    have.add(loaded.sha256)
                    forms.append(self._form_doc(loaded))
            events = [{"event": "finalized", "uuid": d["uuid"], "by": d["rater"],
                       "at": d["finalized_at"], "device": d["device"], "revision": d["revision"]}
                      for d in docs]  # fmt: skip
            self.db.backup()
            self._append(db, data, forms=forms, submissions=docs, events=events)
        return len(docs)

    def amend(self, sheet_uuid: str, reason: str, by: str) -> Sheet:
        """Open a new revision of a finalized sheet as a draft: same uuid, answers copied, under
        the form version the sheet was scored with. Finalizing it logs 'amended' with the reason;
        the old revision stays in the archive."""
        if not (reason or "").strip():
            raise StoreError("修订需要写明理由（--reason）")
        current = self.submission(sheet_uuid)
        if current["status"] == "void":
            raise StoreError(f"评分表 {current['uuid'][:8]} 已作废，不能修订")
        open_drafts = [d for d in self.drafts() if d["uuid"] == current["uuid"]]
        if open_drafts:
            raise StoreError(f"评分表 {current['uuid'][:8]} 已有一份未提交的修订草稿"
                             f"（第 {open_drafts[0]['revision']} 版）；请先完成它，"
                             "或在界面中删除该草稿")  # fmt: skip
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
