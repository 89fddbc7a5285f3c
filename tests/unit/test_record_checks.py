"""The table-at-once record check (store.record_types.check_table) decides exactly like the
per-record check: the same tables pass, and a wrong record is named with the same sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_kit.base.errors import DatabaseDamaged
from inspect_kit.store.record_types import (
    _fit,
    check_table,
    index_problem,
    sheet_problem,
    subject_problem,
)

ROW = {"uuid": "u1", "revision": 1, "form": "f", "round": "2026", "subject": "s", "shard": "a/b",
       "status": "final", "subject_name": "名", "rater": None}  # fmt: skip
SHEET = {"uuid": "u1", "revision": 2, "form": "f", "form_sha256": "x", "round": "2026",
         "subject": "s", "rater": "r", "status": "final", "answers": {"a": {"value": 1}},
         "score": {"total": 80, "bonus": 1.5, "final": 81.5, "grade": "良好"},
         "subject_name": "名", "role": None}  # fmt: skip
SUBJECT = {"id": "s1", "name": "对象", "kind": None}

WRONG = [
    (index_problem, ROW, {"revision": True}),
    (index_problem, ROW, {"revision": 1.0}),
    (index_problem, ROW, {"subject_name": 3}),
    (index_problem, ROW, {"uuid": None}),
    (index_problem, ROW, {"shard": ["a"]}),
    (sheet_problem, SHEET, {"subject_name": None}),
    (sheet_problem, SHEET, {"revision": 0}),
    (sheet_problem, SHEET, {"score": {"total": "80"}}),
    (sheet_problem, SHEET, {"score": {"grade": 5}}),
    (sheet_problem, SHEET, {"answers": {"a": 1}}),
    (subject_problem, SUBJECT, {"name": None}),
    (subject_problem, SUBJECT, {"kind": False}),
]


def _per_record(table, check):
    for key, doc in table.items():
        if problem := check(doc):
            return key, problem
    return None


@pytest.mark.parametrize(("check", "good", "optional"), [
    (index_problem, ROW, ("rater", "subject_name")),
    (sheet_problem, SHEET, ("role", "subject_name")),
    (subject_problem, SUBJECT, ("kind",)),
])  # fmt: skip
def test_good_tables_pass(check, good, optional):
    optional_gone = {k: v for k, v in good.items() if k not in optional}
    table = {str(i): dict(good if i % 2 else optional_gone) for i in range(1, 300)}
    check_table(Path("x.json"), table, check)
    assert _per_record(table, check) is None


@pytest.mark.parametrize(("check", "good", "change"), WRONG)
def test_a_wrong_record_is_named_as_before(check, good, change):
    table = {str(i): dict(good) for i in range(1, 50)}
    table["37"] = {**good, **change}
    key, problem = _per_record(table, check)
    with pytest.raises(DatabaseDamaged) as caught:
        check_table(Path("x.json"), table, check)
    assert key == "37" and problem in str(caught.value) and "第 37 条" in str(caught.value)


def test_a_record_that_is_not_an_object():
    table = {"1": dict(ROW), "2": ["not", "a", "row"]}
    with pytest.raises(DatabaseDamaged, match="不是 JSON 对象"):
        check_table(Path("x.json"), table, index_problem)


def test_a_missing_required_field():
    row = {k: v for k, v in ROW.items() if k != "shard"}
    with pytest.raises(DatabaseDamaged, match="缺少字段 shard"):
        check_table(Path("x.json"), {"1": dict(ROW), "2": row}, index_problem)


@pytest.mark.parametrize(("check", "good", "change"), WRONG)
def test_the_fast_path_never_passes_a_wrong_table(check, good, change):
    docs = [dict(good) for _ in range(40)] + [{**good, **change}]
    assert not _fit(docs, check)


_GONE = object()
VALUES = st.one_of(st.just(_GONE), st.none(), st.booleans(), st.integers(-2, 3),
                   st.floats(allow_nan=False, width=16), st.text(max_size=2),
                   st.just({}), st.just([]))  # fmt: skip


@pytest.mark.parametrize(("check", "good"), [
    (index_problem, ROW), (sheet_problem, SHEET), (subject_problem, SUBJECT)])  # fmt: skip
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_fast_path_decides_like_the_per_record_check(check, good, data):
    """Random tables, a few fields of a few records changed to any JSON value or left out: the
    column-at-once check passes exactly the tables the per-record check passes."""
    docs = [dict(good) for _ in range(data.draw(st.integers(1, 6)))]
    for _ in range(data.draw(st.integers(0, 3))):
        target = data.draw(st.sampled_from(docs))
        if check is sheet_problem and isinstance(target.get("score"), dict) and data.draw(
                st.booleans()):  # fmt: skip
            target["score"] = target = dict(target["score"])  # a field of the score
        name = data.draw(st.sampled_from(sorted(target) + ["extra"]))
        value = data.draw(VALUES)
        if value is _GONE:
            target.pop(name, None)
        else:
            target[name] = value
    assert _fit(docs, check) == all(_safe(check, d) is None for d in docs)


def _safe(check, doc):
    try:
        return check(doc)
    except (TypeError, AttributeError, KeyError):
        return "unusable"  # the per-record check itself cannot read it: never a pass
