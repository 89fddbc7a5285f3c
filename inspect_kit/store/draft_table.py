"""The drafts table as autosave edits it: the parsed tree of the drafts file, changed in place.

Why not TinyDB's Table (`contains` + `update`): each of those reads the storage again, so one
autosave parsed the drafts file three times. The layout stays TinyDB's (document id → record,
ids counted up from 1), so every other reader opens the file as before.
"""

from __future__ import annotations

from typing import Any


def put_draft(table: dict[str, Any], record: dict[str, Any]) -> None:
    """Replace the draft with the record's uuid and revision, or add it under the next id.

    The scores older versions kept in every draft are dropped on the way: the file is
    rewritten whole on each save, so it stays as small as its answers (the write is the cost)."""
    key = (record["uuid"], record["revision"])
    doc_id = None
    for existing_id, doc in table.items():
        if isinstance(doc, dict):
            doc.pop("score", None)
            if doc_id is None and (doc.get("uuid"), doc.get("revision")) == key:
                doc_id = existing_id
    if doc_id is None:
        doc_id = str(max((int(k) for k in table if k.isdigit()), default=0) + 1)
        table[doc_id] = record
    else:
        table[doc_id].clear()  # TinyDB's update kept unknown keys; a draft is rewritten whole
        table[doc_id].update(record)
