"""Which stored sheets a panel counts, and the rounds that hold them (DESIGN §3, §4).

Pure functions over stored submission records (dicts) or the store's index rows (which carry
the same keys): only each sheet's newest revision counts, only status 'final', and a rater who
(wrongly) holds two sheets for one subject counts with the last one finalized.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from inspect_kit.domain.records import newest_revisions


def counted_docs(
    records: Iterable[Mapping[str, Any]], form_id: str | None = None, round_: str | None = None
) -> list[Mapping[str, Any]]:
    """`counted_records` without copying: the caller's own records, sorted."""
    return counted_newest(newest_revisions(records), form_id, round_)


def counted_newest(
    newest: Iterable[Mapping[str, Any]], form_id: str | None = None, round_: str | None = None
) -> list[Mapping[str, Any]]:
    """`counted_docs` of records already narrowed to their newest revisions (newest_revisions),
    for a caller that asks several questions of them."""
    wanted_round = None if round_ is None else str(round_)
    # A rater who (wrongly) holds two sheets for one subject: the last finalized counts.
    latest: dict[tuple[str, str, str, str, str], Mapping[str, Any]] = {}
    for doc in newest:
        if doc.get("status") != "final":
            continue
        if form_id is not None and doc["form"] != form_id:
            continue
        doc_round = str(doc["round"])
        if wanted_round is not None and doc_round != wanted_round:
            continue
        key = (doc["form"], doc_round, doc["subject"], doc["rater"], doc.get("role", ""))
        have = latest.get(key)
        if have is None or (doc.get("finalized_at") or "") > (have.get("finalized_at") or ""):
            latest[key] = doc
    return sorted(latest.values(), key=lambda d: (d["subject"], d["rater"]))


def set_aside(
    records: Iterable[Mapping[str, Any]], form_id: str, round_: str
) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """(sheet not counted, the one counted instead) for each final sheet a panel leaves out
    because the same rater finalized a later one for the subject: shown, never silent."""
    records = list(records)
    kept = {
        (d["subject"], d["rater"], d.get("role", "")): d
        for d in counted_docs(records, form_id, round_)
    }
    out = []
    for doc in newest_revisions(records):
        if doc.get("status") != "final" or doc["form"] != form_id or str(doc["round"]) != round_:
            continue
        counted = kept.get((doc["subject"], doc["rater"], doc.get("role", "")))
        if counted is not None and counted["uuid"] != doc["uuid"]:
            out.append((doc, counted))
    return sorted(out, key=lambda pair: (pair[0]["subject"], pair[0]["rater"]))


def counted_records(
    records: Iterable[Mapping[str, Any]], form_id: str | None = None, round_: str | None = None
) -> list[dict[str, Any]]:
    """Newest revision of each sheet, final only, for this form and round; one per rater.

    The records returned are shallow copies (one per record kept), so callers may change them.
    """
    return [dict(d) for d in counted_docs(records, form_id, round_)]


def voided_records(
    records: Iterable[Mapping[str, Any]], form_id: str, round_: str
) -> list[Mapping[str, Any]]:
    """Sheets of this form and round whose newest revision is void (with the reason)."""
    return voided_newest(newest_revisions(records), form_id, round_)


def voided_newest(
    newest: Iterable[Mapping[str, Any]], form_id: str, round_: str
) -> list[Mapping[str, Any]]:
    """`voided_records` of records already narrowed to their newest revisions."""
    return sorted(
        (
            d
            for d in newest
            if d.get("status") == "void" and d["form"] == form_id and str(d["round"]) == str(round_)
        ),
        key=lambda d: (d["subject"], d["rater"]),
    )


def _round_key(value: str) -> tuple[tuple[int, int | str], ...]:
    return tuple(
        (0, int(p)) if p.isdigit() else (1, p) for p in str(value).replace("-", " ").split()
    )


def rounds_for(records: Iterable[Mapping[str, Any]], form_id: str) -> list[str]:
    """Rounds that hold final sheets for the form, oldest first: the rounds of its counted
    sheets, which are those of its final newest revisions (which of a rater's two sheets
    counts changes no round), so nothing is sorted or paired up to find them."""
    rounds = {
        str(d["round"])
        for d in newest_revisions(records)
        if d["form"] == form_id and d.get("status") == "final"
    }
    return sorted(rounds, key=_round_key)


def newest_round(records: Iterable[Mapping[str, Any]], form_id: str) -> str | None:
    rounds = rounds_for(records, form_id)
    return rounds[-1] if rounds else None
