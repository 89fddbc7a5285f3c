"""Store (DESIGN §4): subjects, form versions, drafts, finalize, void and history.

Every test runs on the file store and on Store(memory=True): both must behave the same.
Assertions read back what the store holds, never what the caller passed in.
"""

from __future__ import annotations

import json

import pytest

from inspect_kit.base.errors import NotFound, StoreError
from inspect_kit.domain.answers import AnswerSet
from inspect_kit.domain.scoring import ScoreRecord, score
from inspect_kit.domain.sheet import Sheet
from inspect_kit.formfiles.loader import load_form_file
from inspect_kit.store.files import main_tree
from inspect_kit.store.store import Store, Subject, newest_revisions


def best(item):
    kind = item.type
    if kind == "yesno":
        return item.good == "yes" if item.scored else False
    if kind == "choice":
        return max(item.options, key=lambda o: o.points).label
    if kind == "multi":
        return [o.label for o in item.options]
    if kind == "score":
        return item.max
    if kind == "deduct":
        return [] if item.defects else 0
    if kind == "number":
        return max((b.min for b in item.bands), default=0)
    if kind == "table":  # as many records as the top band asks, each cell plausible
        cell = {"date": "2026-05-01", "text": "主题教育", "number": 30}
        row = [cell.get(c.type) or c.options[0].label for c in item.columns]
        return [row] * int(max((b.min for b in item.bands), default=1))
    return {"text": "良好", "signature": "王建国", "date": "2026-05-01"}.get(kind)


def new_sheet(loaded, subject="eb-001", rater="王建国") -> Sheet:
    return Sheet(form=loaded.form, form_sha256=loaded.sha256, subject=subject,
                 subject_name="东钱湖青少年科普教育基地", rater=rater, round="2026")  # fmt: skip


def complete(sheet: Sheet) -> Sheet:
    for section, item in sheet.form.iter_items():
        value = (0 if item.type == "number" else False) if section.bonus else best(item)
        if value is not None:
            sheet.set_value(item.id, value)
    for veto in sheet.form.vetoes:
        sheet.set_veto(veto.id, False)
    return sheet


@pytest.fixture(params=["file", "memory"])
def kind(request):
    return request.param


@pytest.fixture
def st(kind, workspace) -> Store:
    return Store(workspace) if kind == "file" else Store(memory=True)


# ---------------------------------------------------------------- subjects


def test_subjects_add_update_and_list(st):
    added, updated = st.add_subjects([
        Subject("eb-002", "月湖红色记忆馆", "education-base", "海曙区", "市级", ("党史",)),
        Subject("cm-001", "白鹤街道关工委", "committee", "鄞州区"),
    ])  # fmt: skip
    assert (added, updated) == (2, 0)
    added, updated = st.add_subjects(
        [Subject("eb-002", "月湖红色记忆馆（新馆）", "education-base")]
    )
    assert (added, updated) == (0, 1)
    assert [s.id for s in st.subjects()] == ["cm-001", "eb-002"]
    assert [s.id for s in st.subjects("committee")] == ["cm-001"]
    assert st.subject("eb-002").name == "月湖红色记忆馆（新馆）"
    assert st.subject("nope") is None
    assert st.subject("cm-001").district == "鄞州区"


def test_add_subject_refuses_an_existing_id(st):
    st.add_subject(Subject("eb-001", "甲", "education-base"))
    with pytest.raises(StoreError, match="eb-001"):
        st.add_subject(Subject("eb-001", "乙", "education-base"))
    assert st.subject("eb-001").name == "甲"
    assert len(st.subjects()) == 1


def test_subject_tags_survive_the_round_trip(st):
    st.add_subjects([Subject("eb-003", "基地", "education-base", tags=("科普", "生态"))])
    assert st.subject("eb-003").tags == ("科普", "生态")


# ---------------------------------------------------------------- drafts


def test_draft_save_and_resume_gives_equal_answers(st, edu_form):
    sheet = new_sheet(edu_form)
    st.start_sheet(edu_form, sheet)
    sheet.set_value("site-safety", 2)
    sheet.set_note("site-safety", "灭火器过期")
    sheet.set_value("act-themes", ["法治", "科普"])
    sheet.set_veto("veto-fees", False)
    sheet.position = "act-themes"
    saved_at = st.save_draft(sheet)
    assert saved_at

    drafts = st.drafts("edu-base-inspection")
    assert [d["uuid"] for d in drafts] == [sheet.uuid]
    assert st.drafts("four-oclock-school") == []
    resumed = st.load_sheet(st.draft(sheet.uuid), edu_form)
    assert resumed.answers == sheet.answers
    assert resumed.position == "act-themes" and resumed.saved_at == saved_at
    # saving again updates the one draft, it does not add a second
    resumed.set_value("site-safety", 1)
    st.save_draft(resumed)
    assert len(st.drafts()) == 1
    assert st.draft(sheet.uuid)["answers"]["site-safety"]["value"] == 1


def test_missing_draft_is_not_found(st):
    with pytest.raises(NotFound):
        st.draft("no-such-uuid")


def test_start_sheet_keeps_a_copy_of_the_form_version(st, edu_form):
    st.start_sheet(edu_form, new_sheet(edu_form))
    versions = st.form_versions("edu-base-inspection")
    assert len(versions) == 1 and versions[0]["sha256"] == edu_form.sha256
    assert versions[0]["source"] == edu_form.source
    st.start_sheet(edu_form, new_sheet(edu_form))  # the same version is stored once
    assert len(st.form_versions()) == 1


# ---------------------------------------------------------------- finalize


def test_finalize_is_blocked_by_blockers(st, edu_form):
    sheet = new_sheet(edu_form)
    st.start_sheet(edu_form, sheet)
    sheet.set_value("sign-posted", "规范")
    with pytest.raises(StoreError, match="还不能提交"):
        st.finalize(sheet, edu_form)
    assert st.submissions() == []
    assert len(st.drafts()) == 1
    complete(sheet)
    sheet.set_value("site-safety", 2)  # a deduction without a note still blocks
    with pytest.raises(StoreError, match="扣分理由"):
        st.finalize(sheet, edu_form)
    assert st.submissions() == []


def test_finalize_writes_submission_event_backup_and_deletes_the_draft(st, kind, edu_form):
    sheet = complete(new_sheet(edu_form))
    st.start_sheet(edu_form, sheet)
    sheet.set_value("site-safety", 2)
    sheet.set_note("site-safety", "灭火器过期")
    doc = st.finalize(sheet, edu_form)

    stored = st.submissions()
    assert len(stored) == 1
    record = stored[0]
    assert record["uuid"] == sheet.uuid and record["status"] == "final" and record["revision"] == 1
    assert record["finalized_at"] and record["form_sha256"] == edu_form.sha256
    assert record["score"]["total"] == 98 and record["score"]["grade"] == "优秀"
    assert record == {k: v for k, v in doc.items()}
    events = st.events(sheet.uuid)
    assert [e["event"] for e in events] == ["finalized"] and events[0]["by"] == "王建国"
    assert st.drafts() == []
    if kind == "file":
        assert st.db.backups(), "a backup is taken before each finalize"
        on_disk = main_tree(st.workspace.db_path)
        assert "submissions" not in on_disk and len(on_disk["sheets"]) == 1
        shard = st.workspace.results_dir / "archive" / "edu-base-inspection" / "2026-0001.json"
        assert len(json.loads(shard.read_text(encoding="utf-8"))["submissions"]) == 1
    # the same revision cannot be finalized twice
    with pytest.raises(StoreError, match="已经提交过"):
        st.finalize(sheet, edu_form)
    assert len(st.submissions(all_revisions=True)) == 1


def test_finalize_without_loaded_form_needs_the_stored_version(st, edu_form):
    sheet = complete(new_sheet(edu_form))
    with pytest.raises(StoreError, match="表单版本"):
        st.finalize(sheet)
    assert st.submissions() == []


def test_stored_score_equals_a_recomputation(st, edu_form):
    sheet = complete(new_sheet(edu_form))
    sheet.set_na("facility-access")
    st.finalize(sheet, edu_form)
    doc = st.submissions()[0]
    recomputed = score(st.stored_form(doc["form_sha256"]), AnswerSet.from_record(doc))
    assert doc["score"] == recomputed.to_stored()
    back = ScoreRecord.from_stored(doc["score"])
    assert (back.total, back.final, back.grade) == (
        recomputed.total,
        recomputed.final,
        recomputed.grade,
    )
    assert (
        back.items["facility-access"].na and back.items["facility-access"].id == "facility-access"
    )


# ---------------------------------------------------------------- void, revisions, history


def test_void_creates_a_new_revision_and_history_shows_both(st, edu_form):
    sheet = complete(new_sheet(edu_form))
    st.finalize(sheet, edu_form)
    with pytest.raises(StoreError, match="理由"):
        st.void(sheet.uuid, "  ", "李秀英")
    voided = st.void(sheet.uuid, "评分对象有误", "李秀英")
    assert voided["revision"] == 2 and voided["supersedes"] == 1 and voided["status"] == "void"

    current = st.submissions()
    assert len(current) == 1 and current[0]["status"] == "void" and current[0]["revision"] == 2
    assert st.submissions(status="final") == []
    assert len(st.submissions(all_revisions=True)) == 2
    revisions, events = st.history(sheet.uuid)
    assert [(r["revision"], r["status"]) for r in revisions] == [(1, "final"), (2, "void")]
    assert [e["event"] for e in events] == ["finalized", "voided"]
    assert events[1]["reason"] == "评分对象有误" and events[1]["by"] == "李秀英"
    with pytest.raises(StoreError, match="已经作废"):
        st.void(sheet.uuid, "again", "李秀英")


def test_newest_revision_counts():
    records = [
        {"uuid": "a", "revision": 1, "v": "old"},
        {"uuid": "a", "revision": 3, "v": "new"},
        {"uuid": "a", "revision": 2, "v": "mid"},
        {"uuid": "b", "revision": 1, "v": "b"},
    ]
    assert sorted(r["v"] for r in newest_revisions(records)) == ["b", "new"]
    # One record per uuid already (the fast path): the same records, in their order, and a
    # list of the caller's own (a generator is read once).
    once = [records[3], records[1], {"uuid": "c", "revision": 2, "v": "c"}]
    assert newest_revisions(once) == once and newest_revisions(once) is not once
    assert newest_revisions(iter(once)) == once
    assert [r["v"] for r in newest_revisions(iter(records))] == ["new", "b"]


def test_amended_revision_replaces_the_old_one_in_listings(st, edu_form):
    sheet = complete(new_sheet(edu_form))
    st.finalize(sheet, edu_form)
    amended = st.load_sheet(st.submission(sheet.uuid), edu_form)
    amended.revision, amended.supersedes, amended.amend_reason = 2, 1, "复核后修正"
    amended.set_value("site-safety", 1)
    amended.set_note("site-safety", "复核发现1处隐患")
    st.finalize(amended, edu_form)
    current = st.submissions()
    assert len(current) == 1 and current[0]["revision"] == 2
    assert current[0]["score"]["total"] == 99
    assert st.submission(sheet.uuid, revision=1)["score"]["total"] == 100
    assert [e["event"] for e in st.events(sheet.uuid)] == ["finalized", "amended"]


def test_submission_by_uuid_prefix(st, edu_form):
    first = complete(new_sheet(edu_form))
    first.uuid = "abcdef01-0000-4000-8000-000000000001"
    second = complete(new_sheet(edu_form, subject="eb-002"))
    second.uuid = "abcdef02-0000-4000-8000-000000000002"
    st.finalize(first, edu_form)
    st.finalize(second, edu_form)
    assert st.submission("abcdef01")["subject"] == "eb-001"
    assert st.submission(second.uuid)["subject"] == "eb-002"
    with pytest.raises(NotFound, match="多张"):
        st.submission("abcdef")  # ambiguous
    with pytest.raises(NotFound):
        st.submission("abc")  # shorter than 6 characters
    with pytest.raises(NotFound):
        st.submission("ffffffff")


def test_submission_filters(st, edu_form):
    a = complete(new_sheet(edu_form, subject="eb-001", rater="王建国"))
    b = complete(new_sheet(edu_form, subject="eb-002", rater="李秀英"))
    b.round = "2025"
    st.bulk_finalize([(a, edu_form), (b, edu_form)])
    assert [d["subject"] for d in st.submissions(rater="李秀英")] == ["eb-002"]
    assert [d["subject"] for d in st.submissions(round="2026")] == ["eb-001"]
    assert [d["subject"] for d in st.submissions(subject="eb-001")] == ["eb-001"]
    assert st.submissions(form="four-oclock-school") == []
    assert len(st.events()) == 2


# ---------------------------------------------------------------- form versions


def test_stored_form_survives_the_yaml_file_changing(st, tmp_path, edu_form):
    path = tmp_path / "edu.yaml"
    path.write_text(edu_form.source, encoding="utf-8")
    v1 = load_form_file(path)
    sheet = complete(new_sheet(v1))
    st.finalize(sheet, v1)
    # the file changes: an item's full marks move and the version goes up
    changed = v1.source.replace("version: 2", "version: 3", 1).replace(
        "title: 关心下一代校外教育阵地年度检查评分表", "title: 新版评分表", 1
    )
    path.write_text(changed, encoding="utf-8")
    v2 = load_form_file(path)
    assert v2.sha256 != v1.sha256

    doc = st.submission(sheet.uuid)
    old = st.stored_form(doc["form_sha256"])
    assert old.version == 2 and old.title == "关心下一代校外教育阵地年度检查评分表"
    resumed = st.load_sheet(doc, v2)  # a different version is passed: the stored copy wins
    assert resumed.form.version == 2 and resumed.answers == sheet.answers
    with pytest.raises(NotFound):
        st.stored_form("0" * 64)


def test_file_store_is_shared_between_store_objects(workspace, edu_form):
    first = Store(workspace)
    first.add_subjects([Subject("eb-001", "基地", "education-base")])
    first.finalize(complete(new_sheet(edu_form)), edu_form)
    second = Store(workspace)
    assert [s.id for s in second.subjects()] == ["eb-001"]
    assert len(second.submissions()) == 1
