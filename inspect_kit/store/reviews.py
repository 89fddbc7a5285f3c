"""The review part of the Store: office decisions on finalized sheets (domain/sheet_review.py).

Why events and not a field on the sheet: a finalized record is hashed and signed as archived
(`record_sha256` in its event, `doctor --verify`); writing a state into it would break that and
would make two offices' decisions overwrite each other in a merge. An event keyed by
uuid + revision is signed and chained by this device, names the exact record it judged
(`record_sha256`), travels in bundles with the sheet's other events, and is merged by the
existing event import (an identical event is skipped), so both sides of a disagreement stay.
"""

from __future__ import annotations

import uuid as uuid_lib
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any

from inspect_kit.base.errors import NotFound, StoreError
from inspect_kit.domain.sheet_review import (
    REVIEW_EVENTS,
    Decision,
    Key,
    ReviewState,
    decision_event,
    review_states,
    state_of,
)
from inspect_kit.store.database import Database
from inspect_kit.store.event_chain import append_events
from inspect_kit.store.index import MainEdit, ShardIndex, filtered, own_rows
from inspect_kit.store.ledger_storage import Scope, form_scope, snapshot_read


class ReviewMixin:
    """review / review_states / review_state over the main file's events."""

    db: Database
    index: ShardIndex

    def edit(self, *, everything: bool = False,
             scope: Scope | None = None) -> AbstractContextManager[MainEdit]:  # fmt: skip
        raise NotImplementedError

    def group_scope(self, sheet_uuid: str) -> Scope | None:
        raise NotImplementedError

    @staticmethod
    def new_event(event: str, sheet_uuid: str | None, who: str, **details: Any) -> dict[str, Any]:
        raise NotImplementedError

    def _review_events(self, events: Any) -> Iterator[dict[str, Any]]:
        return filter(is_review_event, events)

    def review_states(self, form: str | None = None,
                      round_: str | None = None) -> dict[Key, ReviewState]:  # fmt: skip
        """(uuid, revision) → review state, for every revision with a decision (others are
        submitted): of one form (and round) when given, else of the whole archive. One read
        of the main file (and of that group's companions: store.ledger)."""
        with self.db.snapshot() as db:  # the review events alone are kept of the audit log
            tree = snapshot_read(db, form_scope(form, round_), is_review_event)
        return review_states((tree.get("events") or {}).values())

    def summaries_and_review_states(self) -> tuple[list[dict[str, Any]], dict[Key, ReviewState]]:
        """summaries(status=None) and review_states() from one read of the files: list screens
        show both, and each read parses every companion (at 100k sheets: 0.5 s a read)."""
        with self.db.snapshot() as db:  # the rows and the review events alone
            tree = snapshot_read(db, None, is_review_event)
            view = self.index.view(tree)
        rows = filtered(own_rows(db, view.rows), form=None, round=None, subject=None,
                        status=None, rater=None, all_revisions=False)  # fmt: skip
        return rows, review_states((tree.get("events") or {}).values())

    def review_state(self, sheet_uuid: str, revision: int) -> ReviewState:
        return state_of(self.review_states(), sheet_uuid, revision)

    def review(self, sheet_uuid: str, decision: Decision, by: str,
               reason: str = "") -> tuple[dict[str, Any], ReviewState]:  # fmt: skip
        """Approve or return the newest revision of a finalized sheet (a uuid or a unique prefix
        of at least 6 characters); returns (the sheet, its state now). The decision replaces
        every current one, so deciding a conflicted sheet resolves the conflict. A return needs
        a reason; the rater's corrected revision (`results amend`) is a new revision and starts
        as submitted. One read and one write of the main file, under its lock."""
        reason = (reason or "").strip()
        by = (by or "").strip()
        if decision == "returned" and not reason:
            raise StoreError(code="oreview.err.reason")
        if not by:
            raise StoreError(code="oreview.err.no_reviewer")
        with self.edit(scope=self.group_scope(sheet_uuid)) as edit:  # its group alone
            row = _newest_row(edit.view.rows, sheet_uuid)
            if row["status"] == "void":
                raise StoreError(code="oreview.err.void", uuid=row["uuid"][:8])
            key = (row["uuid"], int(row["revision"]))
            events = edit.table("events")
            current = state_of(review_states(self._review_events(events.values())), *key)
            if current.state == "approved" and decision == "approved":
                raise StoreError(code="oreview.err.already_approved", uuid=key[0][:8], rev=key[1])
            doc = edit.docs_for([row])[0]  # the exact record judged: its hash goes in the event
            details = decision_event(
                decision, *key, review_id=uuid_lib.uuid4().hex,
                replaces=[d.id for d in current.heads], reason=reason,
            )  # fmt: skip
            name, _ = details.pop("event"), details.pop("uuid")
            event = self.new_event(name, key[0], by, **details)
            edit.prepare()
            append_events(events, [event], records=[doc])  # signed, chained, record_sha256
            edit.write()
            now = state_of(review_states(self._review_events(events.values())), *key)
        return doc, now


def _newest_row(rows: list[dict[str, Any]], sheet_uuid: str) -> dict[str, Any]:
    """The index row of the newest revision of the sheet a uuid or unique prefix names."""
    found = [r for r in rows if r["uuid"] == sheet_uuid]
    if not found and len(sheet_uuid) >= 6:
        found = [r for r in rows if r["uuid"].startswith(sheet_uuid)]
        if len({r["uuid"] for r in found}) > 1:
            raise NotFound(code="store.ambiguous_id", uuid=sheet_uuid)
    if not found:
        raise NotFound(code="store.no_sheet", uuid=sheet_uuid)
    return max(found, key=lambda r: r["revision"])


def is_review_event(event: dict[str, Any]) -> bool:
    """An office decision on a sheet (what review states are built from)."""
    return event.get("event") in REVIEW_EVENTS
