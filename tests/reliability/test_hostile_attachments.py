"""An answer file, plain mode or the full-screen app can attach only regular image files: no
device, /proc or hidden file, no FIFO (which would hang), nothing outside the answer file's
folder, nothing over the size cap, and a text file named .jpg is still not a photo."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from rel_helpers import assert_clean_failure, run_cli

from inspect_kit.base.config import update_setting
from inspect_kit.base.errors import AnswerError
from inspect_kit.intake.attachments import check_photo
from inspect_kit.store.store import Store, Subject
from tests.unit.test_answer_files import GOOD  # the one complete answer file of the tests

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, /proc and /dev are POSIX"),
]

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


@pytest.fixture
def answers_dir(workspace):
    Store(workspace).add_subjects([Subject("eb-001", "红星教育基地", "education-base")])
    folder = workspace.root / "answers"
    (folder / "pics").mkdir(parents=True)
    (folder / "pics" / "sign.jpg").write_bytes(JPEG)
    (folder / "pics" / "site.png").write_bytes(PNG)
    (folder / "notes.txt").write_text("会议记录", encoding="utf-8")
    (folder / "fake.jpg").write_text("not an image", encoding="utf-8")
    (folder / ".secret.jpg").write_bytes(JPEG)
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "a.jpg").write_bytes(JPEG)
    os.mkfifo(folder / "pipe.jpg")
    os.symlink("/etc/passwd", folder / "passwd.jpg")
    outside = workspace.root / "elsewhere.jpg"
    outside.write_bytes(JPEG)
    os.symlink(outside, folder / "out-link.jpg")
    (folder / "big.jpg").write_bytes(JPEG + bytes(2 * 1024 * 1024))
    return folder


def fill(workspace, folder: Path, photos: str):
    path = folder / "sheet.yaml"
    path.write_text(GOOD + f"site-photos: {photos}\n", encoding="utf-8")
    return run_cli(workspace, "fill", "edu-base-inspection", "--subject", "eb-001",
                   "--answers", str(path))  # fmt: skip


@pytest.mark.parametrize(("photo", "says"), [
    ("/proc/self/environ", "不在答案文件所在的文件夹"),
    ("/etc/shadow", "不在答案文件所在的文件夹"),
    ("../../../../etc/passwd", "不在答案文件所在的文件夹"),
    ("/dev/zero", "不在答案文件所在的文件夹"),
    ("notes.txt", "notes.txt 不是照片"),
    ("fake.jpg", "fake.jpg 不是照片"),
    ("pipe.jpg", "不是普通文件"),
    ("passwd.jpg", "不在答案文件所在的文件夹"),
    ("out-link.jpg", "不在答案文件所在的文件夹"),
    (".secret.jpg", "不可用"),
    (".hidden/a.jpg", "隐藏"),
    ("big.jpg", "超过上限 1 MB"),
])  # fmt: skip
def test_an_answer_file_cannot_attach_what_is_not_its_photo(workspace, answers_dir, photo, says):
    update_setting("photo_max_mb", "1")
    result = fill(workspace, answers_dir, f"['{photo}']")
    text = assert_clean_failure(result)
    assert says in text, text
    assert Store(workspace).submissions() == []  # nothing stored, nothing copied
    assert not workspace.attachments_dir.exists() or not any(workspace.attachments_dir.iterdir())


def test_images_in_the_answer_files_folder_are_attached(workspace, answers_dir):
    result = fill(workspace, answers_dir, "[pics/sign.jpg, pics/site.png]")
    assert result.exit_code == 0, result.output
    (doc,) = Store(workspace).submissions()
    assert doc["answers"]["site-photos"]["attachments"] == ["sign.jpg", "site.png"]
    folder = workspace.attachments_dir / doc["uuid"]
    assert (folder / "sign.jpg").read_bytes() == JPEG and (folder / "site.png").read_bytes() == PNG


def test_the_app_and_plain_mode_check_alike(answers_dir):
    """No base folder (a path typed in the app or plain mode): the content rules still hold."""
    assert check_photo(str(answers_dir / "pics" / "sign.jpg")).name == "sign.jpg"
    refused = {
        "notes.txt": "不是照片",
        "pipe.jpg": "不是普通文件",  # refused at once: opened without blocking
        "passwd.jpg": "不是照片",  # the link is followed, and /etc/passwd is no image
        ".hidden/a.jpg": "隐藏",
    }
    for name, says in refused.items():
        with pytest.raises(AnswerError, match=says):
            check_photo(str(answers_dir / name))
    for path in ("/proc/self/environ", "/dev/zero", "/dev/null"):
        with pytest.raises(AnswerError, match="不是普通文件"):
            check_photo(path)
    with pytest.raises(AnswerError, match="超过上限"):
        check_photo(str(answers_dir / "big.jpg"), max_bytes=1024 * 1024)
    with pytest.raises(AnswerError, match="找不到"):
        check_photo(str(answers_dir / "none.jpg"))


def test_the_app_session_refuses_notes_txt_and_keeps_the_draft_clean(workspace, answers_dir,
                                                                      edu_form):  # fmt: skip
    from inspect_kit.services.drafts import DraftSession

    store = Store(workspace)
    session = DraftSession.start(store, workspace, edu_form, subject="eb-001",
                                 subject_name="红星教育基地", rater="r", round="2026")  # fmt: skip
    try:
        for name, says in (("notes.txt", "notes.txt 不是照片"), ("pipe.jpg", "不是普通文件")):
            with pytest.raises(AnswerError, match=says):
                session.add_photo("site-photos", str(answers_dir / name))
        session.add_photo("site-photos", str(answers_dir / "pics" / "sign.jpg"))
    finally:
        session.close()
    draft = store.draft(session.sheet.uuid)
    assert draft["answers"]["site-photos"]["attachments"] == ["sign.jpg"]
    folder = workspace.attachments_dir / session.sheet.uuid
    assert sorted(p.name for p in folder.iterdir()) == ["sign.jpg"]
