"""`doctor --verify` checks each event's signature once: verify_sheets trusts the rows that
verify_chains found correctly signed, and vouches for nothing the chain check rejected."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from inspect_kit.base import signing
from inspect_kit.base.signing import DeviceKey, record_hash
from inspect_kit.store.event_chain import seal_events, verify_chains, verify_sheets


def _key() -> DeviceKey:
    private = Ed25519PrivateKey.generate()
    return DeviceKey(private, signing._public_text(private))


def _setup() -> tuple[dict[str, dict], list[dict]]:
    sheets = [{"uuid": f"s{i}", "revision": 1, "final": 80 + i} for i in range(3)]
    events = [{"event": "finalized", "uuid": d["uuid"], "revision": 1, "device": "pc",
               "record_sha256": record_hash(d)} for d in sheets]  # fmt: skip
    rows = {str(i): e for i, e in enumerate(seal_events([], events, key=_key()), 1)}
    return rows, sheets


def test_the_signed_rows_give_the_same_result_as_checking_each_signature_again():
    rows, sheets = _setup()
    sheets[1]["final"] = 0  # edited after it was archived
    report = verify_chains(rows)
    assert report.signed == {"1", "2", "3"}
    assert verify_sheets(rows, sheets, report.signed) == verify_sheets(rows, sheets)
    checked, problems = verify_sheets(rows, sheets, report.signed)
    assert checked == 3 and len(problems) == 1 and "s1" in problems[0]


def test_an_event_whose_signature_fails_vouches_for_nothing():
    rows, sheets = _setup()
    sheets[2]["final"] = 0
    rows["3"]["record_sha256"] = record_hash(sheets[2])  # the forger points it at the edit
    report = verify_chains(rows)
    assert "3" not in report.signed and not report.ok
    assert verify_sheets(rows, sheets, report.signed) == (2, [])
    assert verify_sheets(rows, sheets) == (2, [])
