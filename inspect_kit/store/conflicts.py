"""Conflicts between laptops: the same (uuid, revision) with different content, kept with both
versions in the main database's `conflicts` table until a person settles one (DESIGN §4).

Written through the Store's public API (Store.edit, Store.table).
"""

from __future__ import annotations

import platform
from collections.abc import Iterable, Iterator, Mapping
from enum import Enum
from typing import Any, Literal

import orjson

from inspect_kit.base.errors import StoreError
from inspect_kit.base.signing import record_hash
from inspect_kit.domain.sheet import now_iso
from inspect_kit.store.archive import add_rows
from inspect_kit.store.event_chain import seal_events
from inspect_kit.store.rectifications import RECTIFICATIONS, replace_revision
from inspect_kit.store.shard_names import SHEETS
from inspect_kit.store.store import Store

CONFLICTS = "conflicts"


def canonical(doc: Mapping[str, Any]) -> bytes:
    """The bytes two equal records share, whatever their key order."""
    return orjson.dumps(dict(doc), option=orjson.OPT_SORT_KEYS)


def conflict_versions(conflicts: dict[str, Any]) -> set[tuple[str, int, bytes]]:
    """(uuid, revision, canonical record) of every version any conflict already holds."""
    known = set()
    for doc in conflicts.values():
        for side in ("local", "incoming"):
            if isinstance(doc.get(side), dict):
                known.add((doc["uuid"], doc["revision"], canonical(doc[side])))
    return known


def conflict_record(doc: dict[str, Any], mine: dict[str, Any], source: str,
                    source_device: str) -> dict[str, Any]:  # fmt: skip
    """A new open conflict: the local record `mine` against the incoming `doc`."""
    return {
        "uuid": doc["uuid"],
        "revision": doc["revision"],
        "form": doc["form"],
        "round": str(doc["round"]),
        "subject": doc["subject"],
        "rater": doc["rater"],
        "local": mine,
        "incoming": doc,
        "source": source,
        "source_device": source_device,
        "found_at": now_iso(),
        "status": "open",
    }


def rectification_conflict(doc: dict[str, Any], mine: dict[str, Any], source: str,
                           source_device: str) -> dict[str, Any]:  # fmt: skip
    """A new open conflict over one revision of a rectification item (整改项): `kind` tells it
    from a sheet's; `rater` is who made the local change."""
    return {
        "kind": "rectification",
        "uuid": doc["uuid"],
        "revision": doc["revision"],
        "form": doc.get("form") or "",
        "round": str(doc.get("round") or ""),
        "subject": doc["subject"],
        "rater": str((mine.get("log") or [{}])[-1].get("by") or ""),
        "local": mine,
        "incoming": doc,
        "source": source,
        "source_device": source_device,
        "found_at": now_iso(),
        "status": "open",
    }


def conflicts(store: Store, *, include_resolved: bool = False) -> list[dict[str, Any]]:
    """Recorded conflicts, oldest first (open ones only unless include_resolved)."""
    docs = [d for d in store.table(CONFLICTS) if include_resolved or d.get("status") == "open"]
    return sorted(docs, key=lambda d: (d.get("found_at") or "", d["uuid"], d["revision"]))


def resolve_conflict(
    store: Store,
    sheet_uuid: str,
    revision: int | None,
    keep: Literal["local", "incoming"],
    *,
    who: str = "",
) -> dict[str, Any]:
    """Settle one open conflict. `incoming` replaces the local record of that (uuid, revision);
    the version not kept stays in the conflict record. Returns the resolved conflict."""
    if keep not in ("local", "incoming"):
        raise StoreError("--keep 只能是 local 或 incoming")
    with store.edit() as edit:
        data = edit.data
        table = dict(data.get(CONFLICTS) or {})
        matches = [
            (k, d)
            for k, d in table.items()
            if d.get("status") == "open"
            and (
                d["uuid"] == sheet_uuid
                or (len(sheet_uuid) >= 6 and d["uuid"].startswith(sheet_uuid))
            )
            and (revision is None or d["revision"] == revision)
        ]
        if not matches:
            raise StoreError(
                f"没有编号为 {sheet_uuid} 的未处理冲突（inspect-kit results conflicts 查看）"
            )
        if len(matches) > 1:
            which = "、".join(f"{d['uuid'][:8]} 第 {d['revision']} 版" for _, d in matches[:5])
            raise StoreError(f"{sheet_uuid} 对应多个冲突（{which}）；请写全编号并给出版本号")
        doc_id, conflict = matches[0]
        conflict = {
            **conflict,
            "status": "resolved",
            "kept": keep,
            "resolved_at": now_iso(),
            "resolved_by": who,
        }
        table[doc_id] = conflict
        edit.prepare()
        if keep == "incoming" and conflict.get("kind") == "rectification":
            replace_revision(data.setdefault(RECTIFICATIONS, {}), conflict["incoming"])
        elif keep == "incoming":
            key = (conflict["uuid"], conflict["revision"])
            rows = [r for r in (data.get(SHEETS) or {}).values()
                    if (r["uuid"], r["revision"]) == key]  # fmt: skip
            if rows:
                edit.replace(conflict["incoming"], rows[0]["shard"])
            else:
                edit.put([conflict["incoming"]])
        events = dict(data.get("events") or {})
        add_rows(
            events,
            seal_events(events.values(), [
                {
                    "event": "conflict_resolved",
                    "uuid": conflict["uuid"],
                    "by": who,
                    "at": now_iso(),
                    "device": platform.node(),
                    "revision": conflict["revision"],
                    "kept": keep,
                    "source": conflict.get("source"),
                    "source_device": conflict.get("source_device"),
                    "record_sha256": record_hash(conflict[keep]),  # the revision now held
                }
            ]),
        )  # fmt: skip
        data.update({CONFLICTS: table, "events": events})
        edit.write()
    return conflict


class Match(Enum):
    """How an incoming revision stands against the local one with the same (uuid, revision)."""

    ADDED = "added"
    EQUAL = "equal"
    KNOWN_CONFLICT = "known_conflict"
    NEW_CONFLICT = "new_conflict"


def match_revisions(
    incoming: Iterable[dict[str, Any]],
    local: dict[tuple[str, int], dict[str, Any]],
    known: set[tuple[str, int, bytes]],
) -> Iterator[tuple[Match, dict[str, Any], dict[str, Any]]]:
    """Match revisions by (uuid, revision), in that order, for sheets and 整改 items alike: a new
    one is added to `local` (so a second copy in the same import is equal), an identical one
    (same canonical JSON) is equal, and a differing one is a conflict — known when the same
    incoming version was recorded before, else new and added to `known`. Yields (match,
    incoming, the local revision it met: itself when added)."""
    for doc in sorted(incoming, key=lambda d: (d["uuid"], d["revision"])):
        key = (doc["uuid"], doc["revision"])
        mine = local.get(key)
        if mine is None:
            local[key] = doc
            yield Match.ADDED, doc, doc
            continue
        theirs = canonical(doc)
        if canonical(mine) == theirs:
            yield Match.EQUAL, doc, mine
        elif (*key, theirs) in known:
            yield Match.KNOWN_CONFLICT, doc, mine
        else:
            known.add((*key, theirs))
            yield Match.NEW_CONFLICT, doc, mine
