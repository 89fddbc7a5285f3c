"""DraftSession.remove_photo: the attachment leaves the draft and its copy leaves the draft's
folder at once, a name the item does not carry is refused in plain words, and a file an earlier
finalized revision still names (an amendment shares the sheet's folder) is kept."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from inspect_kit.base.errors import AnswerError
from inspect_kit.demo.generator import fill_sheet
from inspect_kit.formfiles.catalog import FormCatalog
from inspect_kit.services.drafts import DraftsService
from inspect_kit.services.revisions import Revisions
from inspect_kit.store.store import Store, Subject

ITEM = "site-photos"


def png(path, colour) -> str:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(buf, format="PNG")
    path.write_bytes(buf.getvalue())
    return str(path)


@pytest.fixture
def drafts(workspace) -> DraftsService:
    store = Store(workspace)
    store.add_subjects([Subject("eb-001", "红星教育基地", "education-base")])
    return DraftsService(store, workspace, FormCatalog(workspace))


@pytest.fixture
def session(drafts):
    loaded = drafts.catalog.get("edu-base-inspection")
    s = drafts.start(loaded, subject="eb-001", subject_name="x", rater="r", round="2026")
    yield s
    s.close()


def stored_photos(drafts, uuid) -> list[str]:
    return drafts.store.draft(uuid)["answers"][ITEM].get("attachments") or []


def test_removing_a_photo_drops_it_from_the_draft_and_its_folder(workspace, drafts, session):
    session.add_photo(ITEM, png(workspace.root / "门牌.png", "red"))
    session.add_photo(ITEM, png(workspace.root / "展厅.png", "blue"))
    folder = workspace.attachments_dir / session.sheet.uuid
    assert stored_photos(drafts, session.sheet.uuid) == ["门牌.png", "展厅.png"]

    session.remove_photo(ITEM, "门牌.png")

    assert stored_photos(drafts, session.sheet.uuid) == ["展厅.png"]  # autosaved
    assert not (folder / "门牌.png").exists()
    assert (folder / "展厅.png").is_file()
    session.remove_photo(ITEM, "展厅.png")
    assert stored_photos(drafts, session.sheet.uuid) == []
    assert list(folder.iterdir()) == []


def test_a_name_the_item_does_not_carry_is_refused_and_nothing_changes(workspace, drafts, session):
    session.add_photo(ITEM, png(workspace.root / "门牌.png", "red"))
    stray = workspace.attachments_dir / session.sheet.uuid / "other.png"
    png(stray, "green")  # in the folder, but not on this item

    with pytest.raises(AnswerError) as caught:
        session.remove_photo(ITEM, "other.png")
    assert str(caught.value) == "此项没有照片“other.png”；已附：门牌.png"
    assert caught.value.render("en") == "This item has no photo “other.png”; attached: 门牌.png"
    with pytest.raises(AnswerError, match="../x"):
        session.remove_photo(ITEM, "../x")
    assert stored_photos(drafts, session.sheet.uuid) == ["门牌.png"]
    assert stray.is_file()


def test_an_amendment_keeps_the_file_a_finalized_revision_still_names(workspace, drafts):
    loaded = drafts.catalog.get("edu-base-inspection")
    first = drafts.start(loaded, subject="eb-001", subject_name="x", rater="r", round="2026")
    fill_sheet(first.sheet, 0.9, random.Random(3))
    first.add_photo(ITEM, png(workspace.root / "门牌.png", "red"))
    first.finalize()
    uuid = first.sheet.uuid

    Revisions(drafts.store, workspace, "zh").amend(uuid, "补拍照片", "r")
    amend = drafts.resume(uuid)
    try:
        amend.remove_photo(ITEM, "门牌.png")
        assert stored_photos(drafts, uuid) == []
    finally:
        amend.close()
    # Revision 1 is final and still shows the photo: its file must stay.
    assert drafts.store.submission(uuid, revision=1)["answers"][ITEM]["attachments"] == ["门牌.png"]
    assert (workspace.attachments_dir / uuid / "门牌.png").is_file()
