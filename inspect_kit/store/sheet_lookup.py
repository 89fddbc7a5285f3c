"""One sheet by its id: its revisions, history and events (the Store's part for them).

A whole uuid is looked up in its own (form, round) group alone: the Bloom filters of the main
file's shards table name the companions its first revision may be in, that revision's row
names the group, and every revision of a sheet stays in its group (amend and void keep form
and round). At 100k sheets `results show` and the sheet detail screen read ~35 companions
instead of 409 (0.9 -> 0.1 s for the look-up, measured). A prefix, or a sheet not found that
way (an old layout), reads every companion as before.
"""

from __future__ import annotations

from typing import Any

from tinydb import TinyDB

from inspect_kit.base.errors import NotFound
from inspect_kit.store.database import Database
from inspect_kit.store.index import ShardIndex
from inspect_kit.store.ledger_storage import (
    Scope,
    first_revision_scope,
    form_scope,
    main_only,
    scoped_read,
)

UUID_LENGTH = 36
"""A whole sheet id (uuid4 text); anything shorter is a prefix."""


class SheetLookupMixin:
    """submission / history / events / sheetless_events / group_scope."""

    db: Database
    index: ShardIndex

    def _revisions(self, sheet_uuid: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """(every stored revision of the sheet a uuid or unique prefix names, the tree read).
        A whole uuid is looked up in its own group's companions alone (_sheet_group)."""
        with self.db.snapshot() as db:
            data, view, rows = self._sheet_group(db, sheet_uuid)
            if not rows:  # a prefix, an old layout, no such sheet: every companion is read
                data = db.storage.read() or {}
                view = self.index.view(data)
                rows = [r for r in view.rows if r["uuid"] == sheet_uuid]
            if not rows and len(sheet_uuid) >= 6:
                rows = [r for r in view.rows if r["uuid"].startswith(sheet_uuid)]
                if len({r["uuid"] for r in rows}) > 1:
                    raise NotFound(code="store.ambiguous_id", uuid=sheet_uuid)
            docs = self.index.docs_for(data, view, rows)
        return docs, data

    def _sheet_group(self, db: TinyDB, sheet_uuid: str) -> tuple[dict[str, Any], Any, list]:
        """(the tree of the group the sheet of a whole uuid is in, its view, the sheet's rows);
        no rows: not found this way (the caller reads every companion)."""
        scope = self._group_scope(db, sheet_uuid)
        if scope is None:
            return {}, None, []
        data = scoped_read(db, scope)
        view = self.index.view(data)
        return data, view, [r for r in view.rows if r["uuid"] == sheet_uuid]

    def _group_scope(self, db: TinyDB, sheet_uuid: str) -> Scope | None:
        """The (form, round) group of the sheet a whole uuid names, every revision of which
        stays in it: the Bloom filters name the companions its first revision may be in.
        None: a prefix, or not found so (an old layout): every companion is read then."""
        if len(sheet_uuid) != UUID_LENGTH:
            return None
        first = self.index.view(scoped_read(db, first_revision_scope(sheet_uuid)))
        found = [r for r in first.rows if r["uuid"] == sheet_uuid and r.get("shard")]
        return form_scope(found[0]["form"], found[0]["round"]) if found else None

    def group_scope(self, sheet_uuid: str) -> Scope | None:
        """_group_scope for a write: the group is found before the edit takes the lock (a
        sheet never changes group, so the lock need not cover the look-up)."""
        with self.db.snapshot() as db:
            return self._group_scope(db, sheet_uuid)

    def submission(self, sheet_uuid: str, revision: int | None = None) -> dict[str, Any]:
        """A sheet by uuid (a unique prefix of at least 6 characters is enough)."""
        matches, _ = self._revisions(sheet_uuid)
        if revision is not None:
            matches = [d for d in matches if d["revision"] == revision]
        if not matches:
            raise NotFound(code="store.no_sheet", uuid=sheet_uuid)
        return max(matches, key=lambda d: d["revision"])

    def history(self, sheet_uuid: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(every revision, oldest first; every event) of a sheet."""
        revisions, data = self._revisions(sheet_uuid)
        if not revisions:
            raise NotFound(code="store.no_sheet", uuid=sheet_uuid)
        full = revisions[0]["uuid"]
        events = [d for d in (data.get("events") or {}).values() if d.get("uuid") == full]
        return sorted(revisions, key=lambda d: d["revision"]), events

    def events(self, sheet_uuid: str | None = None) -> list[dict[str, Any]]:
        """The audit log, or one sheet's events (a whole uuid: its group's companions alone)."""
        with self.db.snapshot() as db:
            data = self._sheet_group(db, sheet_uuid)[0] if sheet_uuid else {}
            if not data:
                data = db.storage.read() or {}
        docs = list((data.get("events") or {}).values())
        return [d for d in docs if sheet_uuid is None or d.get("uuid") == sheet_uuid]

    def sheetless_events(self) -> list[dict[str, Any]]:
        """The events about no stored sheet (conflicts of interest declared, re-score rounds
        opened…): the main file keeps them (store.ledger), so no companion is read."""
        with self.db.snapshot() as db:
            data = scoped_read(db, main_only)
        return list((data.get("events") or {}).values())
