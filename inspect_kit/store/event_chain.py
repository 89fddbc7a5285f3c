"""The audit log as one signed hash chain per device, and the check `doctor --verify` runs.

Every event this device writes names its public key (`key`), its place in the device's chain
(`seq`, from 1) and the sha256 of the device's previous event (`prev`), and is signed over all
of that (`sig`, base/signing.py). Events that came from other devices keep their own chain and
signature untouched. So an edited event fails its signature, a deleted or reordered one breaks
the next link, and an event with its signature stripped shows up among a signing device's
events as unsigned.

What a chain cannot show: events cut from the end of a chain (nothing links to them) and
whatever the owner of a private key signs (see README: a stolen laptop).

Events written before signing existed carry none of these fields; they are reported as
"unsigned, before signing was introduced", not as damage.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from inspect_kit.base.signing import DeviceKey, canonical, device_key, fingerprint, record_hash
from inspect_kit.base.signing import verify as verify_signature
from inspect_kit.store.archive import add_rows


def _head(events: Iterable[dict[str, Any]], public_key: str,
          heads: dict[str, list[Any]] | None = None) -> tuple[int, str | None]:  # fmt: skip
    """(seq, hash) of the newest event of this key's chain, (0, None) when it has none.
    `heads`: the heads the main file recorded, for events read scoped (store.ledger)."""
    seq, known = 0, None
    if heads and isinstance(head := heads.get(public_key), list) and len(head) == 2:
        seq, known = int(head[0]), head[1]
    last = None
    for e in events:
        if e.get("key") == public_key and isinstance(e.get("seq"), int) and e["seq"] > seq:
            seq, last = e["seq"], e
    return seq, (record_hash(last) if last is not None else known)


def seal_events(existing: Iterable[dict[str, Any]], new: list[dict[str, Any]], *,
                local: Collection[int] | None = None,
                key: DeviceKey | None = None,
                heads: dict[str, list[Any]] | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """`new` with this device's events linked to its chain and signed, in order.

    `local`: the ids (`id(event)`) of the events this device writes now; the others (events
    imported from another laptop) pass as they are. Default: all of `new` are this device's.
    Call it under the main-file lock, with `existing` read in the same transaction."""
    mine = [e for e in new if local is None or id(e) in local]
    if not mine:
        return list(new)
    signer = key or device_key()
    assert signer is not None
    seq, prev = _head(existing, signer.public_key, heads)
    sealed_ids: dict[int, dict[str, Any]] = {}
    for event in mine:
        seq += 1
        body = {k: v for k, v in event.items() if k not in ("key", "seq", "prev", "sig")}
        sealed = signer.sign_record({**body, "seq": seq, "prev": prev})
        prev = record_hash(sealed)
        sealed_ids[id(event)] = sealed
    return [sealed_ids.get(id(e), e) for e in new]


def seal_one(existing: Iterable[dict[str, Any]], event: dict[str, Any]) -> dict[str, Any]:
    return seal_events(existing, [event])[0]


def append_events(table: dict[str, Any], events: list[dict[str, Any]], *,
                  records: Iterable[dict[str, Any]] = ()) -> None:  # fmt: skip
    """Add this device's new events to the main file's events table, sealed. An event about a
    sheet revision in `records` also carries that record's hash (`record_sha256`), so its
    signature vouches for the sheet as it was archived."""
    by_key = {(d.get("uuid"), d.get("revision")): d for d in records}
    for event in events:
        doc = by_key.get((event.get("uuid"), event.get("revision")))
        if doc is not None and "record_sha256" not in event:
            event["record_sha256"] = record_hash(doc)
    add_rows(table, seal_events(table.values(), events, heads=getattr(table, "heads", None)))


# ------------------------------------------------------------------ verification


@dataclass
class Chain:
    """What the check found in one device's chain."""

    public_key: str
    names: set[str] = field(default_factory=set)
    """Device names (host names) its events carry."""
    events: int = 0
    problems: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


@dataclass
class ChainReport:
    chains: list[Chain] = field(default_factory=list)
    unsigned: int = 0
    """Events from before signing was introduced (or from a kit without signing)."""
    problems: list[str] = field(default_factory=list)
    """Breaks not tied to one chain (a signing device's event without a signature)."""
    signed: set[str] = field(default_factory=set)
    """Row ids of the events whose signature verified: verify_sheets trusts these without
    checking each signature a second time (an Ed25519 check is most of the check's cost)."""

    @property
    def ok(self) -> bool:
        return not self.problems and not any(c.problems for c in self.chains)


def _describe(row: str, event: dict[str, Any]) -> str:
    what = event.get("event", "?")
    sheet = str(event.get("uuid") or "")[:8]
    rev = event.get("revision")
    where = f"{sheet} 第 {rev} 版" if sheet and rev is not None else sheet or "—"
    return f"第 {row} 条记录（{what}，{where}，{event.get('at', '?')}）"


def verify_chains(rows: dict[str, dict[str, Any]], own_key: str | None = None) -> ChainReport:
    """Check every signature and link of the events table (row id → event).

    A gap (a missing seq) is a break in this device's own chain; in another device's chain it
    is noted only, since a bundle carries just the events of the sheets it holds."""
    report = ChainReport()
    ordered = sorted(rows.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 0)
    chains: dict[str, dict[int, tuple[str, dict[str, Any]]]] = {}
    first_signed_row: dict[str, int] = {}  # device name -> row of its first signed event
    for n, (row, event) in enumerate(ordered):
        key = event.get("key")
        if "sig" not in event and key is None:
            name = str(event.get("device") or "")
            if name in first_signed_row:
                report.problems.append(
                    f"{_describe(row, event)}：没有签名，但设备 {name} 此前的记录都已签名"
                    "（签名可能被去掉了）"
                )
            else:
                report.unsigned += 1
            continue
        first_signed_row.setdefault(str(event.get("device") or ""), n)
        chain = next((c for c in report.chains if c.public_key == key), None)
        if chain is None:
            chain = Chain(str(key))
            report.chains.append(chain)
        chain.events += 1
        chain.names.add(str(event.get("device") or ""))
        sig = event.get("sig")
        if not (isinstance(key, str) and isinstance(sig, str)
                and verify_signature(key, canonical(event), sig)):  # fmt: skip
            chain.problems.append(f"{_describe(row, event)}：签名不符（记录被改动过）")
            continue
        report.signed.add(row)
        seq = event.get("seq")
        if type(seq) is not int or seq < 1:
            chain.problems.append(f"{_describe(row, event)}：缺少链序号")
            continue
        held = chains.setdefault(str(key), {})
        if seq in held:
            chain.problems.append(
                f"{_describe(row, event)}：链序号 {seq} 重复（第 {held[seq][0]} 条）"
            )
            continue
        held[seq] = (row, event)
    for chain in report.chains:
        held = chains.get(chain.public_key, {})
        expected_prev: dict[int, str] = {s: record_hash(e) for s, (_, e) in held.items()}
        for seq, (row, event) in sorted(held.items()):
            if seq == 1 and event.get("prev") is not None:
                chain.problems.append(f"{_describe(row, event)}：链的第一条不应指向前一条")
            elif seq - 1 in held and event.get("prev") != expected_prev[seq - 1]:
                chain.problems.append(
                    f"{_describe(row, event)}：与前一条（链序号 {seq - 1}）对不上"
                    "（记录被改动、删除或调换过）"
                )
        seqs = sorted(held)
        missing = _ranges(sorted(set(range(1, seqs[-1] + 1)) - set(seqs))) if seqs else []
        if missing:
            text = f"缺少链序号 {', '.join(missing)}"
            if chain.public_key == own_key:
                chain.problems.append(f"本机的记录链{text}（记录被删除过）")
            else:
                chain.gaps.append(text)
    return report


def verify_sheets(rows: dict[str, dict[str, Any]], revisions: Iterable[dict[str, Any]],
                  signed: Collection[str] | None = None) -> tuple[int, list[str]]:  # fmt: skip
    """(revisions checked, problems): every stored sheet revision that a correctly signed
    event vouches for (`record_sha256`) must still be exactly that record. Revisions with no
    such event (older databases) are not counted. `signed`: the row ids verify_chains found
    correctly signed (ChainReport.signed); without it each signature is checked here."""
    vouched: dict[tuple[Any, Any], set[str]] = {}
    for row, event in rows.items():
        key, sig, digest = event.get("key"), event.get("sig"), event.get("record_sha256")
        if not (isinstance(key, str) and isinstance(sig, str) and isinstance(digest, str)):
            continue
        if row in signed if signed is not None else verify_signature(key, canonical(event), sig):
            vouched.setdefault((event.get("uuid"), event.get("revision")), set()).add(digest)
    checked, problems = 0, []
    for doc in revisions:
        digests = vouched.get((doc.get("uuid"), doc.get("revision")))
        if not digests:
            continue
        checked += 1
        if record_hash(doc) not in digests:
            problems.append(f"评分表 {str(doc.get('uuid'))[:8]} 第 {doc.get('revision')} 版"
                            "与签名记录不符（提交后被改动过）")  # fmt: skip
    return checked, problems


def _ranges(numbers: list[int]) -> list[str]:
    out: list[str] = []
    for n in numbers:
        if out and out[-1].split("–")[-1] == str(n - 1):
            out[-1] = f"{out[-1].split('–')[0]}–{n}"
        else:
            out.append(str(n))
    return out
