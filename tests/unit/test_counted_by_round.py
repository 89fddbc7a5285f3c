"""The sheets one round counts are that round's share of every round's, in the same order:
what calibration relies on to read the records once; and the shortcuts of panel_rounds
(rounds_for without pairing, the newest revisions taken once) give what counted_docs gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_kit.domain.panel_rounds import (
    _round_key,
    counted_docs,
    counted_newest,
    rounds_for,
    voided_newest,
    voided_records,
)
from inspect_kit.domain.records import newest_revisions

record = st.fixed_dictionaries({
    "uuid": st.sampled_from([f"u{i}" for i in range(8)]),  # repeated uuids: revisions
    "revision": st.integers(1, 3),
    "form": st.sampled_from(["f1", "f2"]),
    "round": st.sampled_from(["2024", "2025", 2026]),
    "subject": st.sampled_from(["s1", "s2", "s3"]),
    "rater": st.sampled_from(["r1", "r2"]),
    "role": st.sampled_from(["inspector", "inspector", "self"]),
    "status": st.sampled_from(["final", "final", "void", "draft"]),
    "finalized_at": st.sampled_from(["", "2026-01-01", "2026-02-01"]),
})  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(record, max_size=20), st.sampled_from(["2024", "2025", "2026", "2027"]))
def test_a_rounds_counted_sheets_are_its_share_of_all_rounds(records, round_):
    every = counted_docs(records, "f1")
    assert [d for d in every if str(d["round"]) == round_] == counted_docs(records, "f1", round_)


@settings(max_examples=300, deadline=None)
@given(st.lists(record, max_size=20), st.sampled_from(["2024", "2025", "2026", "2027"]))
def test_the_shortcuts_give_what_counted_docs_gives(records, round_):
    """rounds_for reads no pairing; panel_view narrows to newest revisions once for both."""
    assert rounds_for(records, "f1") == sorted(
        {str(d["round"]) for d in counted_docs(records, "f1")}, key=_round_key
    )
    newest = newest_revisions(records)
    assert counted_newest(newest, "f1", round_) == counted_docs(records, "f1", round_)
    assert voided_newest(newest, "f1", round_) == voided_records(records, "f1", round_)
