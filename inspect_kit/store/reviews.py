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

from tinydb import TinyDB

from inspect_kit.base.errors import StoreError
from inspect_kit.base.signing import record_hash
from inspect_kit.domain.sheet_review import (
    Decision,
    Key,
    ReviewState,
    decision_event,
    review_states,
    state_of,
)
from inspect_kit.store.database import Database
from inspect_kit.store.event_chain import seal_one


class ReviewMixin:
    """review / review_states / review_state over the main file's events."""

    db: Database

    def _transaction(self) -> AbstractContextManager[TinyDB]:
        raise NotImplementedError

    def submission(self, sheet_uuid: str, revision: int | None = None) -> dict[str, Any]:
        raise NotImplementedError

    @staticmethod
    def new_event(event: str, sheet_uuid: str | None, who: str, **details: Any) -> dict[str, Any]:
        raise NotImplementedError

    def _review_events(self, events: Any) -> Iterator[dict[str, Any]]:
        from inspect_kit.domain.sheet_review import REVIEW_EVENTS

        return (e for e in events if e.get("event") in REVIEW_EVENTS)

    def review_states(self) -> dict[Key, ReviewState]:
        """(uuid, revision) → review state, for every revision with a decision (others are
        submitted). One read of the main file."""
        with self.db.snapshot() as db:
            events = ((db.storage.read() or {}).get("events") or {}).values()
            return review_states(self._review_events(events))

    def review_state(self, sheet_uuid: str, revision: int) -> ReviewState:
        return state_of(self.review_states(), sheet_uuid, revision)

    def review(self, sheet_uuid: str, decision: Decision, by: str,
               reason: str = "") -> tuple[dict[str, Any], ReviewState]:  # fmt: skip
        """Approve or return the newest revision of a finalized sheet; returns (the sheet,
        its state now). The decision replaces every current one, so deciding a conflicted
        sheet resolves the conflict. A return needs a reason; the rater's corrected revision
        (`results amend`) is a new revision and starts as submitted."""
        reason = (reason or "").strip()
        by = (by or "").strip()
        if decision == "returned" and not reason:
            raise StoreError(code="oreview.err.reason")
        if not by:
            raise StoreError(code="oreview.err.no_reviewer")
        doc = self.submission(sheet_uuid)
        if doc["status"] == "void":
            raise StoreError(code="oreview.err.void", uuid=doc["uuid"][:8])
        key = (doc["uuid"], int(doc["revision"]))
        with self._transaction() as db:
            events = db.table("events")
            current = state_of(review_states(self._review_events(events.all())), *key)
            if current.state == "approved" and decision == "approved":
                raise StoreError(code="oreview.err.already_approved", uuid=key[0][:8], rev=key[1])
            replaces = [d.id for d in current.heads]
            review_id = uuid_lib.uuid4().hex
            details = decision_event(
                decision, *key, review_id=review_id, replaces=replaces, reason=reason
            )
            name, _ = details.pop("event"), details.pop("uuid")
            event = self.new_event(name, key[0], by, **details)
            event["record_sha256"] = record_hash(doc)  # the exact record judged
            events.insert(seal_one(events.all(), event))
            now = state_of(review_states(self._review_events(events.all())), *key)
        return doc, now
