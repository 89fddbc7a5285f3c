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
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from tinydb import Query, TinyDB

from inspect_kit.base.errors import NotFound, StoreError
from inspect_kit.base.paths import Workspace
from inspect_kit.domain.model import Form
from inspect_kit.domain.records import newest_revisions
from inspect_kit.domain.sheet import Sheet, now_iso
from inspect_kit.formfiles.loader import LoadedForm, parse_form_text
from inspect_kit.store.archive import (
    LEGACY,
    SHARD_CAPACITY,
    SHARDS,
    SHEETS,
    Shards,
    add_rows,
    index_row,
    shard_number,
    shard_rel,
)
from inspect_kit.store.database import Database

Q = Query()
TABLES = (SHEETS, SHARDS, "subjects", "events", "forms")
__all__ = ["SHARD_CAPACITY", "Store", "Subject", "newest_revisions"]


@dataclass
class _View:
    """The index as it truly is (see Store._index)."""

    rows: list[dict[str, Any]]
    drifted: dict[str, list[dict[str, Any]]]
    """Shards whose file differs from what the main file recorded: rel -> their records."""
    orphans: set[tuple[str, int]]
    """(uuid, revision) in a drifted shard without a recorded index row."""


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


class Store:
    def __init__(self, workspace: Workspace | None = None, *, memory: bool = False):
        self.workspace = workspace
        if memory or workspace is None:
            self.db = Database(None, name="inspect-kit")
            self.drafts_db = Database(None, name="drafts")
        else:
            self.db = Database(workspace.db_path, backups_dir=workspace.backups_dir,
                               name="inspect-kit", backup_writes=True)  # fmt: skip
            self.drafts_db = Database(workspace.drafts_path, name="drafts")
        self.shards = Shards(self.db)
        self._forms_cache: dict[str, Form] = {}

    # ------------------------------------------------------------ subjects

    def add_subjects(self, subjects: Iterable[Subject], *, replace: bool = True) -> tuple[int, int]:
        """Add or update roster entries in one write; returns (added, updated)."""
        added = updated = 0
        with self._transaction() as db:
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
        with self._transaction() as db:
            self._remember_form(db, loaded)
        self.save_draft(sheet)

    # ------------------------------------------------------------ finalized sheets
    #
    # Sheets live in shard files (inspect_kit.store.archive); the main database keeps the
    # `sheets` index and the `shards` table. Every write below: main lock, shards first (the
    # sheet is the precious part), then ONE write of the main file (index rows + events).

    @contextmanager
    def _transaction(self) -> Iterator[TinyDB]:
        """A main-database transaction that first moves an old single-file archive (a
        `submissions` table in the main file) into shards."""
        with self.db.transaction() as db:
            data = db.storage.read() or {}
            if LEGACY in data:
                self._prepare(data, self._index(data))
                db.storage.write(data)
            yield db

    def _index(self, data: dict[str, Any], *, everything: bool = False) -> _View:
        """The index as it truly is: recorded rows, an old layout's sheets, and the rows of any
        shard written or replaced behind the main file's back rebuilt from its content
        (`everything`: every shard read and rebuilt, for `doctor --repair`)."""
        recorded = {r.get("shard"): r for r in (data.get(SHARDS) or {}).values()}
        present = self.shards.listing()
        drifted: dict[str, list[dict[str, Any]]] = {}
        for rel in present:
            rec = recorded.get(rel)
            if everything or rec is None or rec.get("key") != self.shards.key(rel):
                drifted[rel] = self.shards.read(rel)
        for rel in recorded:
            if rel not in present and rel not in drifted:
                drifted[str(rel)] = []  # the file is gone: its rows point at nothing
        kept = [r for r in (data.get(SHEETS) or {}).values() if r.get("shard") not in drifted]
        rows = kept + [index_row(d, "") for d in (data.get(LEGACY) or {}).values()]
        orphans: set[tuple[str, int]] = set()
        if drifted:
            known = {(r["uuid"], r["revision"]) for r in (data.get(SHEETS) or {}).values()}
            for rel, docs in drifted.items():
                for d in docs:
                    rows.append(index_row(d, rel))
                    if (d["uuid"], d["revision"]) not in known:
                        orphans.add((d["uuid"], d["revision"]))
        return _View(rows, drifted, orphans)

    def _prepare(self, data: dict[str, Any], view: _View,
                 keep: set[tuple[str, int]] = frozenset()) -> None:  # type: ignore[assignment]  # fmt: skip
        """Bring `data` (the main tree of a write transaction) in line with the shards: rebuild
        the rows of drifted shards (logging a recovered event for a sheet that has none), then
        move an old layout's sheets into shards, skipping any a cut-short move already put
        there. Nothing here writes the main file; the caller's one write does."""
        if view.drifted:
            rows = [r for r in (data.get(SHEETS) or {}).values()
                    if r.get("shard") not in view.drifted]  # fmt: skip
            for rel, docs in view.drifted.items():
                rows += [index_row(d, rel) for d in docs]
                if docs:
                    self._record_shard(data, rel, docs[0]["form"], docs[0]["round"], len(docs))
                else:
                    self._forget_shard(data, rel)
            data[SHEETS] = {str(i): r for i, r in enumerate(rows, 1)}
            events = (data.get("events") or {}).values()
            logged = {(e.get("uuid"), e.get("revision")) for e in events}
            by_key = {(d["uuid"], d["revision"]): d for docs in view.drifted.values() for d in docs}
            recovered = []
            for key in sorted(set(by_key) - set(keep) - logged):
                d = by_key[key]
                name = ("voided" if d.get("status") == "void"
                        else "amended" if d["revision"] > 1 else "finalized")  # fmt: skip
                recovered.append({"event": name, "uuid": d["uuid"], "by": d.get("rater", ""),
                                  "at": d.get("finalized_at") or now_iso(),
                                  "device": d.get("device") or platform.node(),
                                  "revision": d["revision"], "recovered": True})  # fmt: skip
            add_rows(data.setdefault("events", {}), recovered)
        if LEGACY in data:
            legacy = list((data.pop(LEGACY) or {}).values())
            have = {(r["uuid"], r["revision"]) for r in (data.get(SHEETS) or {}).values()}
            self._put(data, [d for d in legacy if (d["uuid"], d["revision"]) not in have])

    def _record_shard(self, data: dict[str, Any], rel: str, form: str, round_: Any,
                      count: int) -> None:  # fmt: skip
        table = data.setdefault(SHARDS, {})
        row = {"shard": rel, "form": form, "round": str(round_), "count": count,
               "key": self.shards.key(rel)}  # fmt: skip
        for doc_id, old in table.items():
            if old.get("shard") == rel:
                table[doc_id] = row
                return
        add_rows(table, [row])

    @staticmethod
    def _forget_shard(data: dict[str, Any], rel: str) -> None:
        table = data.get(SHARDS) or {}
        data[SHARDS] = {k: r for k, r in table.items() if r.get("shard") != rel}

    def _put(self, data: dict[str, Any], docs: list[dict[str, Any]]) -> None:
        """Append sheets to the newest shard of their (form, round), starting the next one at
        SHARD_CAPACITY; each touched shard is written once; index rows go into `data`."""
        groups: dict[tuple[str, Any], list[dict[str, Any]]] = {}
        for doc in docs:
            groups.setdefault((doc["form"], doc["round"]), []).append(doc)
        rows: list[dict[str, Any]] = []  # added once: numbering a 10k index per chunk is slow
        for (form, round_), group in groups.items():
            rels = self.shards.group(form, round_)
            number = shard_number(rels[-1]) if rels else 1
            rel = shard_rel(form, round_, number)
            table = self.shards.read_table(rel) if rels else {}
            pos = 0
            while pos < len(group):
                if len(table) >= SHARD_CAPACITY:
                    number += 1
                    rel, table = shard_rel(form, round_, number), {}
                chunk = group[pos : pos + SHARD_CAPACITY - len(table)]
                pos += len(chunk)
                add_rows(table, chunk)
                self.shards.write_table(rel, table)
                self._record_shard(data, rel, form, round_, len(table))
                rows += [index_row(d, rel) for d in chunk]
        add_rows(data.setdefault(SHEETS, {}), rows)

    def _replace(self, data: dict[str, Any], doc: dict[str, Any], rel: str) -> None:
        """Put `doc` in place of the stored record with its (uuid, revision)."""
        key = (doc["uuid"], doc["revision"])
        if rel == "":  # an old layout's record still in the main file
            table = data.get(LEGACY) or {}
            target = next(k for k, d in table.items() if (d["uuid"], d["revision"]) == key)
            table[target] = doc
        else:
            table = self.shards.read_table(rel)
            target = next(k for k, d in table.items() if (d["uuid"], d["revision"]) == key)
            table[target] = doc
            self.shards.write_table(rel, table)
            self._record_shard(data, rel, doc["form"], doc["round"], len(table))
        sheets = data.setdefault(SHEETS, {})
        for k, row in sheets.items():
            if (row["uuid"], row["revision"]) == key:
                sheets[k] = index_row(doc, rel)

    def _docs_for(self, data: dict[str, Any], view: _View,
                  rows: list[dict[str, Any]]) -> list[dict[str, Any]]:  # fmt: skip
        """The stored records behind index rows, each shard read once."""
        wanted = {(r["uuid"], r["revision"]) for r in rows}
        out = []
        for rel in sorted({r["shard"] for r in rows}):
            if rel == "":
                docs = list((data.get(LEGACY) or {}).values())
            elif rel in view.drifted:
                docs = view.drifted[rel]
            else:
                docs = self.shards.read(rel)
            out += [d for d in docs if (d["uuid"], d["revision"]) in wanted]
        return out

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
        key = (sheet.uuid, sheet.revision)
        with self.db.transaction() as db:
            data = db.storage.read() or {}
            have = {d.get("sha256") for d in (data.get("forms") or {}).values()}
            forms = []
            if loaded is not None and loaded.sha256 not in have:
                forms.append(self._form_doc(loaded))
            elif loaded is None and sheet.form_sha256 not in have:
                raise StoreError("数据库中没有此表单版本，无法提交")
            view = self._index(data)
            existing = next((r for r in view.rows if (r["uuid"], r["revision"]) == key), None)
            if existing is not None and key not in view.orphans:
                raise StoreError(f"评分表 {sheet.uuid} 第 {sheet.revision} 版已经提交过")
            event = self._event(
                "amended" if sheet.revision > 1 else "finalized",
                sheet.uuid,
                sheet.rater,
                reason=sheet.amend_reason,
                revision=sheet.revision,
            )
            self._prepare(data, view, keep={key})
            if existing is not None:
                # Left in its shard by a finalize cut short before the main file was written
                # (a crash, a full disk): this finalize of the same draft takes its place.
                self._replace(data, doc, existing["shard"])
            else:
                self._put(data, [doc])
            add_rows(data.setdefault("forms", {}), forms)
            add_rows(data.setdefault("events", {}), [event])
            db.storage.write(data)
        # The draft is removed only after the archive write succeeded; a crash in between
        # leaves a draft that `drafts()` callers can recognise as already final.
        self.delete_draft(sheet.uuid)
        return doc

    @staticmethod
    def _filtered(docs: list[dict[str, Any]], *, form: str | None, round: str | None,
                  subject: str | None, status: str | None, rater: str | None,
                  all_revisions: bool) -> list[dict[str, Any]]:  # fmt: skip
        if not all_revisions:
            docs = newest_revisions(docs)

        def keep(d: dict[str, Any]) -> bool:
            return ((form is None or d["form"] == form) and (round is None or d["round"] == round)
                    and (subject is None or d["subject"] == subject)
                    and (status is None or d["status"] == status)
                    and (rater is None or d["rater"] == rater))  # fmt: skip

        docs = [d for d in docs if keep(d)]
        return sorted(docs, key=lambda d: (d["form"], d["round"], d["subject"], d["rater"]))

    def submissions(self, *, form: str | None = None, round: str | None = None,
                    subject: str | None = None, status: str | None = None,
                    rater: str | None = None,
                    all_revisions: bool = False) -> list[dict[str, Any]]:  # fmt: skip
        """Finalized sheets, newest revision of each unless all_revisions. Only the shards of
        the asked form and round are opened."""
        with self.db.snapshot() as db:
            data = db.storage.read() or {}
            docs = [d for d in (data.get(LEGACY) or {}).values()
                    if (form is None or d["form"] == form)
                    and (round is None or d["round"] == round)]  # fmt: skip
            for rel in self.shards.listing(form, round):
                docs += self.shards.read(rel)
        return self._filtered(docs, form=form, round=round, subject=subject, status=status,
                              rater=rater, all_revisions=all_revisions)  # fmt: skip

    def summaries(self, *, form: str | None = None, round: str | None = None,
                  subject: str | None = None, status: str | None = None,
                  rater: str | None = None,
                  all_revisions: bool = False) -> list[dict[str, Any]]:  # fmt: skip
        """Index rows of the finalized sheets, filtered and ordered like submissions(), without
        opening the shards: uuid, revision, form, round, subject, subject_name, rater, role,
        status, total, bonus, final, grade, vetoed, finalized_at, shard. For list screens."""
        with self.db.snapshot() as db:
            view = self._index(db.storage.read() or {})
        return self._filtered([dict(r) for r in view.rows], form=form, round=round,
                              subject=subject, status=status, rater=rater,
                              all_revisions=all_revisions)  # fmt: skip

    def _revisions(self, sheet_uuid: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """(every stored revision of the sheet a uuid or unique prefix names, the main tree)."""
        with self.db.snapshot() as db:
            data = db.storage.read() or {}
            view = self._index(data)
            rows = [r for r in view.rows if r["uuid"] == sheet_uuid]
            if not rows and len(sheet_uuid) >= 6:
                rows = [r for r in view.rows if r["uuid"].startswith(sheet_uuid)]
                if len({r["uuid"] for r in rows}) > 1:
                    raise NotFound(f"编号 {sheet_uuid} 对应多张评分表，请写得更长一些")
            docs = self._docs_for(data, view, rows)
        return docs, data

    def submission(self, sheet_uuid: str, revision: int | None = None) -> dict[str, Any]:
        """A sheet by uuid (a unique prefix of at least 6 characters is enough)."""
        matches, _ = self._revisions(sheet_uuid)
        if revision is not None:
            matches = [d for d in matches if d["revision"] == revision]
        if not matches:
            raise NotFound(f"没有编号为 {sheet_uuid} 的已提交评分表")
        return max(matches, key=lambda d: d["revision"])

    def history(self, sheet_uuid: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(every revision, oldest first; every event) of a sheet."""
        revisions, data = self._revisions(sheet_uuid)
        if not revisions:
            raise NotFound(f"没有编号为 {sheet_uuid} 的已提交评分表")
        full = revisions[0]["uuid"]
        events = [d for d in (data.get("events") or {}).values() if d.get("uuid") == full]
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
        self._archive([doc], [self._event("voided", doc["uuid"], by, reason=reason.strip(),
                                          revision=doc["revision"])])  # fmt: skip
        return doc

    def _archive(self, docs: list[dict[str, Any]], events: list[dict[str, Any]],
                 forms: Iterable[LoadedForm] = ()) -> None:  # fmt: skip
        """Archive records as they are (no blockers, no duplicate check) in one transaction:
        their shards, then one main write with index rows, new form versions and events."""
        with self.db.transaction() as db:
            data = db.storage.read() or {}
            have = {d.get("sha256") for d in (data.get("forms") or {}).values()}
            new_forms = []
            for loaded in forms:
                if loaded.sha256 not in have:
                    have.add(loaded.sha256)
                    new_forms.append(self._form_doc(loaded))
            self._prepare(data, self._index(data))
            self._put(data, docs)
            add_rows(data.setdefault("forms", {}), new_forms)
            add_rows(data.setdefault("events", {}), events)
            db.storage.write(data)

    def events(self, sheet_uuid: str | None = None) -> list[dict[str, Any]]:
        with self.db.snapshot() as db:
            docs = list(((db.storage.read() or {}).get("events") or {}).values())
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

    def log(self, event: str, sheet_uuid: str | None, who: str, **details: Any) -> None:
        with self._transaction() as db:
            self._log(db, event, sheet_uuid, who, **details)

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
        self._archive(docs, events, {id(lf): lf for _, lf in sheets}.values())
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
