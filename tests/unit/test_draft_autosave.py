"""Autosave (Store.save_draft): one read and one atomic write of the drafts file, the draft's
answers only (its score is derived), backups around every write as before."""

from __future__ import annotations

import json

import pytest

from inspect_kit.domain.sheet import Sheet
from inspect_kit.store.draft_table import put_draft
from inspect_kit.store.store import Store


def new_sheet(loaded, subject="eb-001") -> Sheet:
    return Sheet(form=loaded.form, form_sha256=loaded.sha256, subject=subject,
                 subject_name="东钱湖青少年科普教育基地", rater="王建国", round="2026")  # fmt: skip


def drafts_file(store: Store) -> dict:
    assert store.workspace is not None
    return json.loads(store.workspace.drafts_path.read_text(encoding="utf-8"))


@pytest.fixture(params=["file", "memory"])
def any_store(request, workspace) -> Store:
    return Store(workspace) if request.param == "file" else Store(memory=True)


def test_a_draft_keeps_its_answers_and_gives_the_same_score_when_finalized(any_store, edu_form):
    sheet = new_sheet(edu_form)
    any_store.start_sheet(edu_form, sheet)
    item = next(i for _, i in sheet.form.iter_items() if i.type == "yesno")
    sheet.set_value(item.id, True)
    any_store.save_draft(sheet)
    (draft,) = any_store.drafts()
    assert "score" not in draft
    assert draft["answers"][item.id]["value"] is True
    reloaded = any_store.load_sheet(draft, edu_form)
    assert reloaded.to_record()["score"] == sheet.to_record()["score"]


def test_an_archived_record_keeps_the_score_where_it_always_was(edu_form):
    sheet = new_sheet(edu_form)
    record = sheet.to_record()
    keys = list(record)
    assert keys.index("score") == keys.index("vetoes") + 1
    assert keys.index("started_at") == keys.index("score") + 1
    assert {k: v for k, v in record.items() if k != "score"} == sheet.draft_record()


def test_saving_twice_replaces_the_draft_and_other_drafts_stay(any_store, edu_form):
    first, second = new_sheet(edu_form, "eb-001"), new_sheet(edu_form, "eb-002")
    any_store.start_sheet(edu_form, first)
    any_store.start_sheet(edu_form, second)
    item = next(i for _, i in first.form.iter_items() if i.type == "yesno")
    first.set_value(item.id, False)
    any_store.save_draft(first)
    first.set_value(item.id, True)
    any_store.save_draft(first)
    drafts = {d["subject"]: d for d in any_store.drafts()}
    assert set(drafts) == {"eb-001", "eb-002"}
    assert drafts["eb-001"]["answers"][item.id]["value"] is True
    assert item.id not in drafts["eb-002"]["answers"]


def test_clearing_the_last_rectify_mark_survives_a_reload(store, edu_form):
    """The old autosave merged the record into the stored one, so a draft whose last 需整改
    mark was cleared got the mark back when it was opened again."""
    sheet = new_sheet(edu_form)
    item = next(i for _, i in sheet.form.iter_items() if i.type == "yesno")
    sheet.rectify[item.id] = {"deadline": "2026-09-30", "requirement": "补齐台账"}
    store.start_sheet(edu_form, sheet)
    assert store.draft(sheet.uuid)["rectify"]
    sheet.rectify.clear()
    store.save_draft(sheet)
    assert store.load_sheet(store.draft(sheet.uuid), edu_form).rectify == {}


def test_scores_an_older_version_kept_in_drafts_are_dropped_and_answers_kept(store, edu_form):
    old = new_sheet(edu_form, "eb-001")
    store.start_sheet(edu_form, old)
    data = drafts_file(store)
    (doc_id,) = data["drafts"]
    data["drafts"][doc_id] = old.to_record()  # as older versions stored every draft
    store.workspace.drafts_path.write_text(json.dumps(data), encoding="utf-8")
    store.start_sheet(edu_form, new_sheet(edu_form, "eb-002"))
    stored = drafts_file(store)["drafts"]
    assert sorted(stored) == ["1", "2"]
    assert all("score" not in d for d in stored.values())
    assert stored[doc_id]["answers"] == old.draft_record()["answers"]


def test_put_draft_adds_under_the_next_id_after_gaps():
    table = {"1": {"uuid": "a", "revision": 1}, "5": {"uuid": "b", "revision": 1}}
    put_draft(table, {"uuid": "c", "revision": 1})
    put_draft(table, {"uuid": "a", "revision": 2})  # a new revision is a new draft
    put_draft(table, {"uuid": "b", "revision": 1, "note": "x"})
    assert table["6"]["uuid"] == "c" and table["7"] == {"uuid": "a", "revision": 2}
    assert table["5"] == {"uuid": "b", "revision": 1, "note": "x"}


def test_every_autosave_keeps_a_backup_of_the_state_after_it(store, edu_form):
    sheet = new_sheet(edu_form)
    store.start_sheet(edu_form, sheet)
    items = [i for _, i in sheet.form.iter_items() if i.type == "yesno"][:3]
    for item in items:
        sheet.set_value(item.id, True)
        store.save_draft(sheet)
    backups = store.drafts_db.backups()
    assert backups and backups[0].read_bytes() == store.workspace.drafts_path.read_bytes()
    assert len(backups) <= store.drafts_db.keep_backups
