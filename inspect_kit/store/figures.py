"""The panel figures cache: per shard, only what a panel reads of each stored sheet (issue 18).

A panel, a chart or the panel table needs a sheet's identity (uuid, revision, status, form,
round, subject, rater, role, dates), its score summary (totals unrounded and shown, grade,
bonus, vetoes), each section's scaled points, each item's points and points lost (agreement,
items by loss) and the answers behind its deductions; not the rest of the answers, notes or
facts, which are most of a shard's bytes. `panel_record` is that projection; `panel_source`
reads it for a form from `<db folder>/.figures/<archive>/<shard>` instead of the shard.

Each shard's projections are kept in three files, read as the caller needs them (`Detail`): the
lean part (identity, score summary, sections: what the panel, its grades, ranks, robustness and
calibration read), the items part (each item's points and points lost: agreement, items by loss)
and the answers part (the deductions' answers). Most of a projection's bytes are items and
answers, which a histogram or the load of every form's panel never reads.

It is a cache, never a source: each file names its shard's version (inode, size, mtime_ns, taken
before the shard was read) and a digest of its body, and is used only when both match, else
rebuilt from the shard (read and checked as every read of it is) and written again. Deleting
or damaging it changes no result. It lives outside the main database and the archive folder,
and nothing in the store's write path reads or writes it. Written with a rename and no fsync:
a reader sees a whole file or none, and a file torn by a power cut fails its digest.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from inspect_kit.base.errors import StoreError
from inspect_kit.base.fsio import file_key, plain_write
from inspect_kit.base.gc_pause import gc_paused
from inspect_kit.domain.panel_rounds import rounds_for
from inspect_kit.domain.panel_view import Detail
from inspect_kit.store.archive import LEGACY, Shards, archive_dir
from inspect_kit.store.index import filtered, roster_table
from inspect_kit.store.ledger_storage import form_scope, scoped_read

if TYPE_CHECKING:
    from inspect_kit.store.store import Store

FIGURES_VERSION = 5
"""Bumped whenever `panel_record` keeps something else, its parts are cut otherwise or their
digest changes: older files are then rebuilt."""
SHEET_KEYS = ("uuid", "revision", "supersedes", "amend_reason", "form", "form_version",
              "form_sha256", "round", "subject", "subject_name", "rater", "role", "status",
              "finalized_at")  # fmt: skip
SECTION_KEYS = ("id", "bonus", "scaled")
ITEM_KEYS = ("points", "lost", "na", "hidden")
LEFT_OUT_OF_SCORE = ("sections", "items", "missing_notes", "unanswered")
"""Score keys not copied whole (sections and items are narrowed, the lists left out)."""


def panel_record(doc: Mapping[str, Any]) -> dict[str, Any]:
    """What a panel and its figures read of a stored sheet, in the sheet's own shape.

    Kept: SHEET_KEYS, the score's summary, each section's id, bonus flag and scaled points, each
    item's points, points lost, N/A and hidden flags, and the answers of items that lost points
    (their value and note are the deductions). Not kept: other answers, veto answers, the
    subject's facts, drafting dates and devices. `lean_record` with its `record_detail`."""
    return figure_record(doc, "full")


def figure_record(doc: Mapping[str, Any], detail: Detail) -> dict[str, Any]:
    """`panel_record` with the detail asked for: the lean part, with items, or both parts."""
    out = lean_record(doc)
    items, answers = record_detail(doc)
    return with_detail(out, items if detail != "summary" else None,
                       answers if detail == "full" else None)  # fmt: skip


def lean_record(doc: Mapping[str, Any]) -> dict[str, Any]:
    """`panel_record` without the per-item entries and the deductions' answers."""
    out = {k: doc[k] for k in SHEET_KEYS if k in doc}
    score = doc.get("score")
    if not isinstance(score, Mapping):
        return {**out, "score": score}
    slim = {k: v for k, v in score.items() if k not in LEFT_OUT_OF_SCORE}
    if "sections" in score:
        slim["sections"] = [
            {k: s[k] for k in SECTION_KEYS if k in s} for s in score["sections"] or ()
        ]
    out["score"] = slim
    return out


def record_detail(doc: Mapping[str, Any]) -> tuple[Any, Any]:
    """(the score's items narrowed to ITEM_KEYS, the answers kept): what `lean_record` leaves
    out of `panel_record`, each None where `panel_record` has no such key."""
    score = doc.get("score")
    if not isinstance(score, Mapping):
        return None, None
    items = score.get("items")
    if not isinstance(items, Mapping):
        return None, doc.get("answers")
    narrowed = {
        item_id: {k: e[k] for k in ITEM_KEYS if k in e} if isinstance(e, Mapping) else e
        for item_id, e in items.items()
    }
    answers = doc.get("answers") or {}
    # A superset of the deductions' test (lost above EPS): any item with points lost.
    losing = [i for i, e in items.items() if isinstance(e, Mapping) and e.get("lost")]
    return narrowed, {i: answers[i] for i in losing if i in answers}


def with_detail(doc: dict[str, Any], items: Any, answers: Any) -> dict[str, Any]:
    """A lean record with its items and answers put back (in place; None: left out)."""
    if items is not None:
        doc["score"]["items"] = items
    if answers is not None:
        doc["answers"] = answers
    return doc


HEAD_KEYS = ("uuid", "revision", "form", "round", "subject", "subject_name", "rater", "role",
             "status", "finalized_at")  # fmt: skip
HEAD_SCORE_KEYS = ("total", "total_exact")


def sheet_head(doc: Mapping[str, Any]) -> dict[str, Any]:
    """What a panel reads of a sheet of another round: which revision is newest and where, who
    scored whom, and the total (each rater's leniency per round, `domain.calibration`)."""
    out = {k: doc[k] for k in HEAD_KEYS if k in doc}
    score = doc.get("score")
    if isinstance(score, Mapping):
        out["score"] = {k: score[k] for k in HEAD_SCORE_KEYS if k in score}
    return out


Choose = Callable[[list[str]], "str | None"]
"""Picks a form's round from the rounds that hold its final sheets (oldest first)."""


def newest(rounds: list[str]) -> str | None:
    return rounds[-1] if rounds else None


@dataclass(frozen=True)
class PanelSource:
    """What panels read of the store, from one read of the main file."""

    records: list[dict[str, Any]]
    """The sheets, newest revision of each, ordered like Store.submissions(): whole records;
    or `panel_record` projections for the chosen round of each form and `sheet_head`s for the
    others (what rounds, newest revisions and calibration read)."""
    rounds: dict[str, str | None]
    """Form id -> the round chosen for it."""
    events: list[dict[str, Any]]
    roster: list[dict[str, Any]]
    """The roster's records (as Store.subjects() reads them)."""


def figures_root(shards: Shards) -> Path | None:
    """Where the cache files of these shards live (None in memory)."""
    if shards.root is None or shards.main.path is None:
        return None
    return shards.main.path.parent / ".figures" / archive_dir(shards.main.path).name


def panel_source(
    store: Store,
    form: str | None = None,
    choose: Choose = newest,
    *,
    whole: bool = False,
    detail: Detail = "summary",
) -> PanelSource:
    """The form's (or every form's) sheets, the events and the roster, under one snapshot of
    the main file with the checks every read makes: a commit a crash cut short is finished,
    a lost or emptied shard refused, the index checked. `choose` picks each form's round from
    its rounds (it may raise); only that round's shards are read beyond their heads, from the
    figures cache (or whole, with `whole`): their lean records, with each item's points
    (`detail` "items") and the deductions' answers too ("full", `panel_record`)."""
    with gc_paused(), store.db.snapshot() as db:
        # the events of the form's sheets are kept with its shards (store.ledger)
        data = scoped_read(db, form_scope(form))
        view = store.index.view(data)
        legacy = [d for d in (data.get(LEGACY) or {}).values() if form in (None, d["form"])]
        parts = [Part("", legacy, legacy)]
        for rel in store.shards.listing(form):
            full = None  # the whole records, when read: a drifted shard the index check read
            if rel in view.drifted or whole:
                full = view.drifted[rel] if rel in view.drifted else store.shards.read(rel)
            heads = full if full is not None else shard_parts(store.shards, rel, HEADS)[0]
            parts.append(Part(rel, heads, full))
        heads = [h for p in parts for h in p.heads]
        kept = newest_order(heads)  # what `filtered` keeps of them, in its order
        by_form: dict[str, list[dict[str, Any]]] = {}
        for i in kept:
            by_form.setdefault(heads[i]["form"], []).append(heads[i])
        chosen = {f: choose(rounds_for(heads, f)) for f, heads in sorted(by_form.items())}
        docs: list[dict[str, Any]] = []
        for part in parts:
            if whole:
                docs += part.full or []
            elif not any(str(h["round"]) == chosen.get(h["form"]) for h in part.heads):
                docs += part.heads if part.full is None else [sheet_head(d) for d in part.full]
            elif part.full is not None:
                docs += [figure_record(d, detail) for d in part.full]
            else:
                docs += chosen_records(store.shards, part.rel, detail)
        events = list((data.get("events") or {}).values())
        roster = list(roster_table(store.shards, data).values())
    return PanelSource(_same_kept(docs, heads, kept), chosen, events, roster)


def newest_order(rows: list[dict[str, Any]]) -> list[int]:
    """The indexes of `filtered(rows, **EVERY)`: each uuid's newest revision (the first seen
    on a tie), ordered by form, round, subject and rater (stably)."""
    newest: dict[str, int] = {}
    for i, row in enumerate(rows):
        j = newest.get(row["uuid"])
        if j is None or row["revision"] > rows[j]["revision"]:
            newest[row["uuid"]] = i
    kept = list(newest.values())
    keys = [SORT_KEY(rows[i]) for i in kept]
    return [kept[k] for k in sorted(range(len(kept)), key=keys.__getitem__)]


SORT_KEY = itemgetter("form", "round", "subject", "rater")


def _same_kept(docs: list[dict[str, Any]], heads: list[dict[str, Any]], kept: list[int]) -> Any:
    """`filtered(docs, **EVERY)` when each doc is the projection of the head at its place (a
    shard's parts are one version of it), found from the heads' order: the same sheets. Else
    (a shard rewritten between its two reads) filtered again."""
    if len(docs) == len(heads):
        out = [docs[i] for i in kept]
        if all(d["uuid"] == heads[i]["uuid"] and d["revision"] == heads[i]["revision"]
               for d, i in zip(out, kept, strict=True)):  # fmt: skip
            return out
    return filtered(docs, **EVERY)


EVERY: dict[str, Any] = dict(form=None, round=None, subject=None, status=None, rater=None,
                             all_revisions=False)  # fmt: skip


@dataclass(frozen=True)
class Part:
    """One shard (or the main file's old-layout sheets, rel ''): its heads (or its whole
    records), and its whole records when they were read."""

    rel: str
    heads: list[dict[str, Any]]
    full: list[dict[str, Any]] | None


DETAIL_PARTS: dict[str, tuple[str, ...]] = {
    "summary": ("lean",), "items": ("lean", "items"), "full": ("lean", "items", "answers")
}  # fmt: skip
"""The cache files read for each `Detail`."""
HEADS = ("heads",)
PARTS = ("heads", "lean", "items", "answers")


def chosen_records(shards: Shards, rel: str, detail: Detail) -> list[dict[str, Any]]:
    """One shard's projections with the detail asked for (the lean part, its other parts
    put back, entry by entry: all of one version of the shard)."""
    lean, *more = shard_parts(shards, rel, DETAIL_PARTS[detail])
    if not more:
        return lean
    items = more[0]
    answers = more[1] if len(more) > 1 else [None] * len(lean)
    return [with_detail(d, i, a) for d, i, a in zip(lean, items, answers, strict=True)]


def shard_parts(shards: Shards, rel: str, names: tuple[str, ...]) -> list[list[Any]]:
    """One shard's heads or record parts: from its cache files when each names this version
    of the shard and its digest holds, else from the shard (every part rewritten)."""
    root = figures_root(shards)
    if root is None:
        return _parts(shards.read(rel), names)
    try:
        st = os.stat(shards.root / rel)  # type: ignore[operator]
    except FileNotFoundError:
        return _parts(shards.read(rel), names)  # refused or read as the store says
    key = list(file_key(st))
    if shards.key(rel) != key[1:]:  # staged in this process: not the file on disk
        return _parts(shards.read(rel), names)
    cached = [read_cache_file(cache_path(root, rel, name), rel, key, name) for name in names]
    found = [c for c in cached if c is not None]
    if len(found) == len(names) and len({len(c) for c in found}) == 1:
        return found
    parts = _parts(shards.read(rel), PARTS)  # stat first: a newer shard only makes it stale
    with suppress(StoreError, OSError):  # a cache that cannot be written is only slower
        for name, docs in zip(PARTS, parts, strict=True):
            write_cache_file(cache_path(root, rel, name), rel, key, name, docs)
        cache_path(root, rel, "records").unlink(missing_ok=True)  # cut whole before version 4
    return [parts[PARTS.index(name)] for name in names]


def cache_path(root: Path, rel: str, part: str) -> Path:
    """`<form>/<round>-NNNN.json` -> `<form>/<round>-NNNN.<part>.json` under the cache root."""
    return root / f"{rel.removesuffix('.json')}.{part}.json"


def _parts(docs: list[dict[str, Any]], names: tuple[str, ...]) -> list[list[Any]]:
    """The parts named, in order: heads, lean records, their items, their answers (the last
    two entry by entry, None where the record has none)."""
    details = [record_detail(d) for d in docs] if {"items", "answers"} & set(names) else []
    made = {
        "heads": lambda: [sheet_head(d) for d in docs],
        "lean": lambda: [lean_record(d) for d in docs],
        "items": lambda: [d[0] for d in details],
        "answers": lambda: [d[1] for d in details],
    }
    return [made[name]() for name in names]


def _digest(body: bytes) -> str:
    """A CRC-32 of the body: what tells a torn or damaged file (a cache, not a signature:
    whoever can edit it can edit the shards), at a third of blake2b's time (0.03 s of a 100k
    panel's 35 MB)."""
    return f"crc32:{zlib.crc32(body):08x}"


def cache_bytes(rel: str, key: list[int], part: str, docs: list[Any]) -> bytes:
    """A header line (version, shard, its key, the part, the body's digest), then the body."""
    body = orjson.dumps(docs)
    head = {"figures": FIGURES_VERSION, "shard": rel, "key": key, "part": part,
            "digest": _digest(body)}  # fmt: skip
    return orjson.dumps(head) + b"\n" + body


def write_cache_file(path: Path, rel: str, key: list[int], part: str, docs: list[Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    plain_write(path, cache_bytes(rel, key, part, docs))


def read_cache_file(path: Path, rel: str, key: list[int], part: str) -> list[Any] | None:
    """The cached heads or projections (or their items or answers), or None when the file is
    missing, of another version, shard, shard version or part, torn, or not the shape written
    (then it is rebuilt)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    head_bytes, _, body = raw.partition(b"\n")
    try:
        head = orjson.loads(head_bytes)
        if not isinstance(head, dict) or head.get("figures") != FIGURES_VERSION:
            return None
        if (head.get("shard"), head.get("key"), head.get("part")) != (rel, key, part):
            return None
        if head.get("digest") != _digest(body):
            return None
        docs = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    # The digest says these are the bytes written from checked records; the shape is cheap.
    if not isinstance(docs, list):
        return None
    entry = (dict, type(None)) if part in ("items", "answers") else dict
    if not all(isinstance(d, entry) for d in docs):
        return None
    return docs
