"""Agreement reads each sheet's items in one pass and hands alpha only the pairable values: the
tables equal asking every sheet for every item (`item_value`), whatever the entries hold (N/A,
hidden, unanswered, missing, unknown ids), and each item's alpha equals that of the whole
subjects × raters table with its empty cells."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_kit.demo.generator import demo_forms
from inspect_kit.domain.agreement import krippendorff_alpha
from inspect_kit.domain.panel_agreement import (
    ORDINAL_TYPES,
    item_tables,
    item_value,
    round_agreement,
)

IDS = ["a", "b", "c", "d"]
entry = st.one_of(
    st.none(),
    st.just({}),
    st.fixed_dictionaries(
        {"points": st.one_of(st.none(), st.integers(0, 5), st.floats(0, 5, allow_nan=False))},
        optional={"na": st.booleans(), "hidden": st.booleans(), "lost": st.floats(0, 5)},
    ),
)
sheet = st.fixed_dictionaries({
    "subject": st.sampled_from(["s1", "s2", "s3"]),
    "rater": st.sampled_from(["r1", "r2", "r3"]),  # a rater twice per subject: the last counts
    "score": st.fixed_dictionaries({
        "items": st.dictionaries(st.sampled_from([*IDS, "other"]), entry, max_size=5)
    }),
})  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(sheet, max_size=12), st.lists(st.sampled_from(IDS), unique=True))
def test_one_pass_tables_equal_item_value_per_sheet(docs, wanted):
    expected: dict[str, dict[str, dict[str, float]]] = {i: defaultdict(dict) for i in wanted}
    for item_id in wanted:
        for doc in docs:
            if (value := item_value(doc, item_id)) is not None:
                expected[item_id][doc["subject"]][doc["rater"]] = value
    got = item_tables(docs, wanted)
    assert {i: dict(t) for i, t in got.items()} == {i: dict(t) for i, t in expected.items()}
    assert all(list(by) == sorted(by) for t in got.values() for by in t.values())  # rater order


FORM = next(lf.form for lf in demo_forms() if lf.form.form == "five-good-committee")
SCORED = [(s, i) for s, i in FORM.iter_items() if not s.bonus and i.scored]
thirds = st.integers(0, 8).map(lambda n: n / 3)
"""Points whose sums depend on their order: alpha must add them as the whole table does."""
rated = st.fixed_dictionaries({
    "subject": st.sampled_from(["s1", "s2", "s3", "s4"]),
    "rater": st.sampled_from(["r1", "r2", "r3", "r4"]),
    "points": st.lists(st.one_of(st.none(), thirds), min_size=len(SCORED), max_size=len(SCORED)),
})  # fmt: skip


def as_sheet(row: dict) -> dict:
    items = {item.id: ({"points": p} if p is not None else {"points": None, "na": True})
             for (_, item), p in zip(SCORED, row["points"], strict=True)}  # fmt: skip
    score = {"total": 80.0, "sections": [], "items": items}
    return {"subject": row["subject"], "rater": row["rater"], "score": score}


@settings(max_examples=200, deadline=None)
@given(st.lists(rated, min_size=1, max_size=14))
def test_item_alphas_equal_alpha_of_the_whole_units_by_raters_table(rows):
    docs = [as_sheet(r) for r in rows]
    got = round_agreement(FORM, docs).items
    raters = sorted({d["rater"] for d in docs})
    subjects = sorted({d["subject"] for d in docs})
    for figure, (_, item) in zip(got, SCORED, strict=True):
        cells: dict[tuple[str, str], float] = {}
        for doc in docs:
            if (value := item_value(doc, item.id)) is not None:
                cells[doc["subject"], doc["rater"]] = value
        table = [[cells.get((s, r)) for r in raters] for s in subjects]
        level = "ordinal" if item.type in ORDINAL_TYPES else "interval"
        pairable = [row for row in table if sum(v is not None for v in row) >= 2]
        assert (figure.alpha, figure.units, figure.values) == (
            krippendorff_alpha(table, level), len(pairable),
            sum(v is not None for row in pairable for v in row),
        )  # fmt: skip
