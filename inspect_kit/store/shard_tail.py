"""Appending sheets to a shard without parsing it (issue 18: a finalize's cost must not grow
with how full the newest shard of its group is).

Why: a finalize adds one sheet to the newest shard of its (form, round). Parsing that shard
(0 to 250 sheets, up to 2.4 MB) and encoding it again cost ~9 ms a MB, so a finalize took
19 ms beside a shard of 80 sheets and 38 ms beside one of 166. A shard's bytes are
`database_bytes({"submissions": table})`: `{"submissions":{"1":{…},…},"meta":{"1":{"schema":N}}}`,
records in id order, compact. The bytes of the table with records appended are therefore the
old bytes with `,"<id>":<record>` put before that closing `},"meta":…}`: byte for byte what
encoding the parsed table would give (a property test compares the two).

Only on bytes this store wrote itself: for a shard with room left, the main file's shards row
keeps a digest of the bytes staged (CRC-32, 0.2 ms a MB; blake2b took 1 ms a MB, twice a
finalize) and the next record id. The digest is there to catch accidental change that keeps
the size and mtime (a tool restoring times, a bad disk), not forgery: whoever can rewrite a
shard can rewrite the main file's row too, and every read still checks what it parses. The fast
path is taken only when the file's key (size, mtime) is the recorded one, its digest matches
and it has the expected start and end; anything else (a shard restored, edited, written by an
older kit, torn) is read and checked as always. A full shard whose key matches is known full
from its row, and is not read at all.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from inspect_kit.store.parsing import SCHEMA
from inspect_kit.store.shard_names import LEGACY

_HEAD = b'{"' + LEGACY.encode() + b'":{"'
_TAIL = b'},"meta":{"1":{"schema":' + str(SCHEMA).encode() + b"}}}"


def digest(payload: bytes) -> str:
    """What the shards row keeps of a shard's bytes, to know them again without a parse."""
    return f"{zlib.crc32(payload):08x}"


@dataclass(frozen=True)
class Tail:
    """The newest shard of a group as its shards row vouches for it."""

    count: int
    next_id: int
    raw: bytes | None
    """The shard's bytes; None for a full shard (nothing is appended to it)."""

    def appended(self, docs: Sequence[Mapping[str, Any]]) -> bytes:
        """The shard's bytes with `docs` added under the next ids (store.archive.add_rows)."""
        assert self.raw is not None
        body = b"".join(b',"%d":%b' % (self.next_id + i, orjson.dumps(doc))
                        for i, doc in enumerate(docs))  # fmt: skip
        return self.raw[: -len(_TAIL)] + body + _TAIL


def tail_of(raw: bytes | None, row: Mapping[str, Any], capacity: int) -> Tail | None:
    """The shard (its key already found to be the recorded one) as a Tail, when its row says
    it is full, or its bytes are exactly those the row's digest names; None: read it."""
    count, next_id, kept = row.get("count"), row.get("next"), row.get("digest")
    if type(count) is not int or count < 1:
        return None
    if count >= capacity:
        return Tail(count, 0, None)
    if type(next_id) is not int or not isinstance(kept, str) or raw is None:
        return None
    if not (raw.startswith(_HEAD) and raw.endswith(_TAIL)) or digest(raw) != kept:
        return None
    return Tail(count, next_id, raw)


def tail_facts(payload: bytes, count: int, next_id: int, capacity: int) -> dict[str, Any]:
    """The shards row's fields that let the next append skip the parse (none for a full
    shard, which is never appended to)."""
    if count >= capacity or not (payload.startswith(_HEAD) and payload.endswith(_TAIL)):
        return {}
    return {"digest": digest(payload), "next": next_id}
