"""Office review of a finalized sheet, as every front-end does it: the decision (a signed event,
store/reviews.py), then the sheet's bundle in the sync outbox so the decision travels back to
the rater's laptop by itself (services/outbox.py; nothing happens until `sync init`)."""

from __future__ import annotations

from typing import Any

from inspect_kit.domain.sheet_review import Decision, ReviewState
from inspect_kit.services.outbox import publish
from inspect_kit.store.store import Store


def review_sheet(store: Store, sheet_uuid: str, decision: Decision, by: str,
                 reason: str = "") -> tuple[dict[str, Any], ReviewState]:  # fmt: skip
    doc, state = store.review(sheet_uuid, decision, by, reason)
    publish(store, store.workspace, [doc["uuid"]])
    return doc, state
