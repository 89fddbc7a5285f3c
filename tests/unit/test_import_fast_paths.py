"""What makes a one-pass import of many laptops fast (issue 18) without dropping a check: the
collector paused while sources are read and merged, and the column-at-once checks deciding
exactly as the per-record ones."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_kit.base.paths import Workspace
from inspect_kit.demo.generator import DemoPlan, build_demo
from inspect_kit.store import merge, sources, verify
from inspect_kit.store.store import Store


def laptop(root: Path, forms, seed: int) -> Store:
    (root / "results").mkdir(parents=True)
    store = Store(Workspace(root))
    subjects, finals, _ = build_demo(forms, DemoPlan(subjects=2, raters=2, rounds=1, seed=seed))
    store.add_subjects(subjects)
    store.bulk_finalize(finals)
    return store


@pytest.fixture
def target(tmp_path) -> Store:
    (tmp_path / "secretary" / "results").mkdir(parents=True)
    return Store(Workspace(tmp_path / "secretary"))


def test_sources_are_read_and_merged_with_the_collector_paused(tmp_path, edu_form, target,
                                                               monkeypatch):  # fmt: skip
    seen: dict[str, list[bool]] = {"parse": [], "verify": []}
    parse, verify = sources.parse_database_bytes, merge.verify_new_sheets
    monkeypatch.setattr(
        sources,
        "parse_database_bytes",
        lambda raw: seen["parse"].append(gc.isenabled()) or parse(raw),
    )
    monkeypatch.setattr(merge, "verify_new_sheets",
                        lambda *a: seen["verify"].append(gc.isenabled()) or verify(*a))  # fmt: skip
    paths = [laptop(tmp_path / f"l{seed}", [edu_form], seed).db.path for seed in (1, 2)]
    assert gc.isenabled()
    reports = merge.import_files(target, paths, who="秘书")
    assert [r.added for r in reports] == [6, 6]
    assert seen["parse"] and seen["verify"] == [False, False]
    assert not any(seen["parse"])
    assert gc.isenabled()  # back on after


SHEET = {"uuid": "u1", "revision": 2, "form": "f", "form_sha256": "x", "round": "2026",
         "subject": "s", "subject_name": "名", "rater": "r", "role": None, "status": "final",
         "finalized_at": "2026-05-01T10:00:00+08:00", "amend_reason": "改", "supersedes": 1,
         "device": "笔记本", "answers": {}, "vetoes": {},
         "score": {"total": 80, "bonus": 1.5, "final": 81.5, "grade": "良好"}}  # fmt: skip
_GONE = object()
VALUES = st.one_of(st.just(_GONE), st.none(), st.booleans(), st.integers(-2, 3),
                   st.floats(allow_nan=False, width=16), st.text(max_size=2),
                   st.just({}), st.just([]))  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_the_field_columns_decide_like_field_problem(data):
    """Random sheets, a few fields (or score fields) changed to any JSON value or left out: the
    column-at-once check passes exactly the lists in which field_problem finds nothing."""
    docs = [dict(SHEET, score=dict(SHEET["score"])) for _ in range(data.draw(st.integers(1, 5)))]
    for _ in range(data.draw(st.integers(0, 3))):
        doc = data.draw(st.sampled_from(docs))
        target = doc["score"] if isinstance(doc.get("score"), dict) and data.draw(
            st.booleans()) else doc  # fmt: skip
        name = data.draw(st.sampled_from(sorted(target) + ["extra"]))
        value = data.draw(VALUES)
        if value is _GONE:
            target.pop(name, None)
        else:
            target[name] = value
    fit, each = verify.fields_fit(docs), all(_field_problem(d) is None for d in docs)
    assert each or not fit  # never a pass where a record is wrong
    if all(isinstance(d.get("score"), dict) for d in docs):  # as record_problem leaves them
        assert fit == each


def _field_problem(doc):
    try:
        return verify.field_problem(doc)
    except (TypeError, AttributeError):
        return "unusable"  # a score the per-record check cannot read: never a pass


def test_a_wrong_field_among_many_is_still_named():
    docs = [dict(SHEET, revision=1) for _ in range(8)]
    docs[5] = dict(SHEET, revision=1, subject_name=None)
    assert not verify.fields_fit(docs) and verify.fields_fit(docs[:5])
    problems = verify.verify_new_sheets(docs, set(), [], {})
    assert "字段 subject_name 的类型不对" in problems[5]
    assert all("表单版本" in p for i, p in enumerate(problems) if i != 5)


EVENTS = st.lists(st.fixed_dictionaries({}, optional={
    "event": st.sampled_from(["amended", "voided", "finalized", ["amended"]]),
    "uuid": st.sampled_from(["u1", "u2", None, ["u1"]]),
    "revision": st.one_of(st.integers(1, 3), st.just(2.0), st.just(True), st.just([2]))}),
    max_size=6)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(events=EVENTS, uuid=st.sampled_from(["u1", "u2"]), revision=st.integers(1, 3))
def test_looking_the_revision_events_up_finds_what_scanning_them_finds(events, uuid, revision):
    doc = dict(SHEET, uuid=uuid, revision=revision, supersedes=revision - 1)
    known = {(uuid, revision - 1)}
    scanned = verify.chain_problem(doc, known, events)
    assert verify.chain_problem(doc, known, events, verify.revision_events(events)) == scanned
