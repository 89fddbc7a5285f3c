"""Rectification items (整改项) in the main database's `rectifications` table (issue 13).

Every revision of every item is a row (the table is small: a few per inspected unit), written
through the Store's public API (Store.edit: the main lock, one main write) with a signed event
per revision in the store's event chain (`rectification_<action>`, carrying the record's hash).
A revision is never changed once written: a change is the next revision, and two changes of the
same revision (two windows, two laptops) cannot both land: the second is refused here and, from
another laptop, becomes a conflict (store.merge), with both versions kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from inspect_kit.base.errors import NotFound, StoreError
from inspect_kit.domain.rectification import Rectification, newest, record_problem
from inspect_kit.store.archive import add_rows
from inspect_kit.store.event_chain import append_events
from inspect_kit.store.ledger_storage import main_only
from inspect_kit.store.store import Store

RECTIFICATIONS = "rectifications"
EVENT_PREFIX = "rectification_"


def records(store: Store, *, all_revisions: bool = False) -> list[dict[str, Any]]:
    """Every item's newest revision (or every revision), checked; oldest item first."""
    docs = store.table(RECTIFICATIONS)
    where = store.db.path.name if store.db.path is not None else "<memory>"
    for doc in docs:
        if problem := record_problem(doc):
            raise StoreError(code="rectify.bad_record", file=where,
                             uuid=str(doc.get("uuid"))[:8], problem=problem)  # fmt: skip
    if not all_revisions:
        docs = [dict(d) for d in newest(docs).values()]
    return sorted(docs, key=lambda d: (d["log"][0]["at"], d["uuid"], d["revision"]))


def items(store: Store) -> list[Rectification]:
    return [Rectification.from_record(d) for d in records(store)]


def find(store: Store, ref: str) -> Rectification:
    """The newest revision of the item a uuid or a unique prefix (6+ characters) names."""
    ref = (ref or "").strip()
    found = [d for d in records(store) if d["uuid"] == ref]
    if not found and len(ref) >= 6:
        found = [d for d in records(store) if d["uuid"].startswith(ref)]
    if len(found) > 1:
        raise NotFound(code="rectify.ambiguous", ref=ref)
    if not found:
        raise NotFound(code="rectify.not_found", ref=ref)
    return Rectification.from_record(found[0])


def history(store: Store, item_uuid: str) -> list[dict[str, Any]]:
    """Every revision of one item, oldest first."""
    docs = [d for d in records(store, all_revisions=True) if d["uuid"] == item_uuid]
    return sorted(docs, key=lambda d: d["revision"])


def save(store: Store, new: Sequence[Rectification]) -> list[dict[str, Any]]:
    """Write new revisions (and their events) in one transaction. A revision already there with
    other content is refused (changed meanwhile); one there with the same content is skipped,
    so writing the same items twice (a finalize repeated) adds nothing. Returns what was added."""
    docs = [r.to_record() for r in new]
    # Items and their events are the main file's (an item's uuid names no sheet: store.ledger).
    with store.edit(scope=main_only) as edit:
        table = edit.table(RECTIFICATIONS)
        held = {(d["uuid"], d["revision"]): d for d in table.values()}
        added = []
        for doc in docs:
            have = held.get((doc["uuid"], doc["revision"]))
            if have is not None:
                if dict(have) != doc:
                    raise StoreError(code="rectify.changed_meanwhile", uuid=doc["uuid"][:8],
                                     revision=doc["revision"])  # fmt: skip
                continue
            if doc["revision"] > 1 and (doc["uuid"], doc["revision"] - 1) not in held:
                raise StoreError(code="rectify.no_previous", uuid=doc["uuid"][:8])
            held[(doc["uuid"], doc["revision"])] = doc
            added.append(doc)
        if not added:
            return []
        edit.prepare()
        add_rows(table, added)
        append_events(edit.table("events"), [event_for(d) for d in added], records=added)
        edit.write()
    return added


def event_for(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The audit event of one item revision: its action, who, when, on which device."""
    last = doc["log"][-1]
    return Store.new_event(EVENT_PREFIX + last["action"], doc["uuid"], last.get("by") or "",
                           revision=doc["revision"], status=doc["status"],
                           subject=doc["subject"], note=last.get("note") or None)  # fmt: skip


def events(store: Store, item_uuid: str) -> list[dict[str, Any]]:
    return [e for e in store.events(item_uuid) if str(e.get("event", "")).startswith(EVENT_PREFIX)]


def replace_revision(table: dict[str, Any], doc: Mapping[str, Any]) -> None:
    """Put `doc` in place of the row of the same (uuid, revision) (a settled conflict)."""
    for key, row in table.items():
        if (row.get("uuid"), row.get("revision")) == (doc["uuid"], doc["revision"]):
            table[key] = dict(doc)
            return
    add_rows(table, [dict(doc)])


def keys(docs: Iterable[Mapping[str, Any]]) -> set[tuple[str, int]]:
    return {(d["uuid"], d["revision"]) for d in docs}


Records = list[dict[str, Any]]


def for_bundle(store: Store, *, subjects: Iterable[str] | None = None, form: str | None = None,
               round: str | None = None) -> tuple[Records, Records]:  # fmt: skip
    """(every revision, their events) of the items a bundle carries: those of the exported
    subjects (all when None), narrowed by form and round when the export is. Any bundle writer
    (USB export, a sync outbox) passes these to write_bundle(rectifications=...)."""
    wanted = set(subjects) if subjects is not None else None
    docs = [d for d in records(store, all_revisions=True)
            if (wanted is None or d["subject"] in wanted)
            and (form is None or d.get("form") == form)
            and (round is None or d.get("round") == round)]  # fmt: skip
    uuids = {d["uuid"] for d in docs}
    logged = [e for e in store.events() if e.get("uuid") in uuids]
    return docs, logged
