"""The drafts service: one naming rule for attachments whichever front-end adds them, and every
write to a draft (a session, a one-shot delete, a long plain fill) going through its lock."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from inspect_kit.cli import cli
from inspect_kit.domain.sheet import Sheet
from inspect_kit.formfiles.catalog import FormCatalog
from inspect_kit.services.draft_lock import DraftLocked
from inspect_kit.services.drafts import DraftsService, held_draft
from inspect_kit.store.store import Store, Subject

REFUSED = "已在另一个窗口或进程中打开"


@pytest.fixture
def drafts(workspace) -> DraftsService:
    store = Store(workspace)
    store.add_subjects([Subject("eb-001", "红星教育基地", "education-base")])
    return DraftsService(store, workspace, FormCatalog(workspace))


@pytest.fixture
def two_photos(workspace):
    """Two different photos that share a file name, as from two cameras' folders."""
    paths = []
    for folder, data in (("a", b"\xff\xd8\xfffirst"), ("b", b"\xff\xd8\xffsecond")):
        (workspace.root / folder).mkdir()
        path = workspace.root / folder / "标牌.jpg"
        path.write_bytes(data)
        paths.append(path)
    return paths


def test_the_tui_session_and_an_answer_file_name_a_second_copy_alike(workspace, drafts, two_photos):
    # Two raters' drafts of one subject (one rater has one draft per subject and round).
    loaded = drafts.catalog.get("edu-base-inspection")
    session = drafts.start(loaded, subject="eb-001", subject_name="x", rater="r", round="2026")
    try:
        for path in two_photos:
            session.add_photo("site-photos", str(path))
        from_session = drafts.store.draft(session.sheet.uuid)["answers"]["site-photos"]
        session_folder = workspace.attachments_dir / session.sheet.uuid
    finally:
        session.close()

    answers = workspace.root / "answers.yaml"
    answers.write_text(
        "rater: s\nsite-photos: [a/标牌.jpg, b/标牌.jpg]\nfinalize: false\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        cli,
        ["--workspace", str(workspace.root), "fill", "edu-base-inspection",
         "--subject", "eb-001", "--round", "2026", "--answers", str(answers)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (from_file,) = [d for d in Store(workspace).drafts() if d["uuid"] != session.sheet.uuid]
    file_folder = workspace.attachments_dir / from_file["uuid"]

    assert from_session["attachments"] == ["标牌.jpg", "标牌-2.jpg"]
    assert from_file["answers"]["site-photos"]["attachments"] == ["标牌.jpg", "标牌-2.jpg"]
    for folder in (session_folder, file_folder):
        assert (folder / "标牌.jpg").read_bytes() == b"\xff\xd8\xfffirst"
        assert (folder / "标牌-2.jpg").read_bytes() == b"\xff\xd8\xffsecond"


def test_while_a_session_holds_a_draft_other_writers_are_refused(drafts):
    loaded = drafts.catalog.get("edu-base-inspection")
    session = drafts.start(loaded, subject="eb-001", subject_name="x", rater="r", round="2026")
    uuid = session.sheet.uuid
    try:
        session.set_value("sign-posted", "规范")
        assert drafts.find("edu-base-inspection", "eb-001", "r", "2026")["uuid"] == uuid
        assert drafts.is_open_elsewhere(uuid)
        with pytest.raises(DraftLocked, match=REFUSED):
            drafts.refuse_if_open(uuid)
        with pytest.raises(DraftLocked, match=REFUSED):
            drafts.resume(uuid)
        with pytest.raises(DraftLocked, match=REFUSED):
            drafts.delete(uuid)
        with (
            pytest.raises(DraftLocked, match=REFUSED),
            held_draft(drafts.store, loaded, session.sheet),
        ):
            pass
        assert drafts.store.draft(uuid)["answers"]["sign-posted"]["value"] == "规范"
    finally:
        session.close()
    assert not drafts.is_open_elsewhere(uuid)
    drafts.refuse_if_open(uuid)


def test_a_long_fill_continues_from_what_the_previous_writer_saved(drafts):
    """Plain mode holds the lock for the whole fill and reads the draft under it, so an answer
    saved by a window that closed in between is kept, not overwritten by a stale copy."""
    loaded = drafts.catalog.get("edu-base-inspection")
    session = drafts.start(loaded, subject="eb-001", subject_name="x", rater="r", round="2026")
    stale = drafts.store.load_sheet(drafts.store.draft(session.sheet.uuid), loaded)
    session.set_value("sign-posted", "不规范")
    session.close()
    with held_draft(drafts.store, loaded, stale) as newest:
        assert newest.answer("sign-posted").value == "不规范"
        assert drafts.is_open_elsewhere(newest.uuid)
    assert not drafts.is_open_elsewhere(newest.uuid)


def test_store_new_keeps_a_draft_or_finalizes_under_the_sheets_lock(drafts):
    loaded = drafts.catalog.get("edu-base-inspection")

    def new_sheet() -> Sheet:
        return Sheet(form=loaded.form, form_sha256=loaded.sha256, subject="eb-001",
                     subject_name="x", rater="r", round="2026")  # fmt: skip

    draft = new_sheet()
    assert drafts.store_new(loaded, draft, finalize=False) is None
    assert drafts.store.draft(draft.uuid)["uuid"] == draft.uuid
    assert not drafts.is_open_elsewhere(draft.uuid)
    import random

    from inspect_kit.demo.generator import fill_sheet

    done = new_sheet()
    fill_sheet(done, 0.9, random.Random(1))
    doc = drafts.store_new(loaded, done, finalize=True)
    assert doc is not None and doc["status"] == "final"
    assert not drafts.is_open_elsewhere(done.uuid)


def test_plain_prompts_name_a_second_copy_alike_and_keep_attached_files(workspace, two_photos):
    """What the plain prompts call for a photo answer (a whole list, kept files and new ones)."""
    from inspect_kit.intake.attachments import set_attachments

    uuid = "0e8a6b0c-1f2d-4c3b-9a8e-7d6c5b4a3f21"
    assert set_attachments(workspace.attachments_dir, uuid, two_photos) == [
        "标牌.jpg",
        "标牌-2.jpg",
    ]
    folder = workspace.attachments_dir / uuid
    again = [folder / "标牌-2.jpg", two_photos[0]]  # keep one, add the first file once more
    assert set_attachments(workspace.attachments_dir, uuid, again) == ["标牌-2.jpg", "标牌-3.jpg"]
    assert (folder / "标牌-3.jpg").read_bytes() == b"\xff\xd8\xfffirst"
