"""The plain (line-by-line) fill driven through prompt_toolkit's pipe input.

Every test asserts on what the store holds."""

from __future__ import annotations

from conftest import CTRL_C, CTRL_U, DOWN, ENTER, SPACE

from inspect_kit.domain.sheet import Sheet
from inspect_kit.prompt.plain import run_plain_fill

RESUME = "inspect-kit fill mini --subject eb-001 --rater 王建国 --round 2026 --plain"

# Full marks everywhere: 有, 好, 0 defects, score 2, no named defect, 否 (no rectification),
# veto 否, then finalize and confirm.
FULL = ENTER + ENTER + "0" + ENTER + "2" + ENTER + ENTER + DOWN + ENTER + ENTER + ENTER + ENTER


def new_sheet(loaded, subject="eb-001"):
    return Sheet(
        form=loaded.form,
        form_sha256=loaded.sha256,
        subject=subject,
        subject_name="红星教育基地",
        rater="王建国",
        round="2026",
    )


def fill(drive, store, loaded, keys, sheet=None):
    sheet = sheet or new_sheet(loaded)
    return drive(
        lambda **io: run_plain_fill(store, loaded, sheet, resume_command=RESUME, **io), keys
    )


def test_whole_plain_fill_finalizes_with_full_marks(drive, store, mini_form):
    run = fill(drive, store, mini_form, FULL)
    assert run.result.status == "final"
    (doc,) = store.submissions()
    assert doc["score"]["total"] == 10
    assert doc["answers"]["a-yes"]["value"] is True
    assert doc["answers"]["b-defects"]["value"] == []
    assert doc["vetoes"]["v-safety"]["fired"] is False
    assert "b-what" not in doc["answers"]  # hidden by show_if, never asked
    assert store.drafts() == []
    assert "一、甲：6 / 6" in run.text and "累计 已得 10 / 可得 10" in run.text


def test_deduction_prompts_for_its_note_and_refuses_an_empty_one(drive, store, mini_form):
    # fmt: off
    keys = (ENTER + ENTER + "2" + ENTER            # two hazards: loses 2 points
            + ENTER                                # empty note refused (form requires one)
            + "两处灭火器过期" + ENTER
            + "2" + ENTER + SPACE + ENTER          # tick 甲制度: loses 1 point
            + "缺甲制度" + ENTER
            + DOWN + ENTER + ENTER + ENTER + ENTER)
    # fmt: on
    run = fill(drive, store, mini_form, keys)
    assert run.result.status == "final"
    (doc,) = store.submissions()
    assert doc["answers"]["a-deduct"] == {"value": 2, "na": False, "note": "两处灭火器过期"}
    assert doc["answers"]["b-defects"]["value"] == ["甲制度"]
    assert doc["answers"]["b-defects"]["note"] == "缺甲制度"
    assert doc["score"]["total"] == 7
    assert doc["score"]["missing_notes"] == []


def test_ctrl_c_keeps_the_draft_and_prints_the_resume_command(drive, store, mini_form):
    run = fill(drive, store, mini_form, ENTER + DOWN + ENTER + CTRL_C)
    assert run.result.status == "interrupted"
    assert store.submissions() == []
    (draft,) = store.drafts("mini")
    assert draft["answers"]["a-yes"]["value"] is True
    assert draft["answers"]["a-choice"]["value"] == "差"
    assert draft["position"] == "a-choice"
    assert RESUME in run.text


def test_closed_input_saves_the_draft_like_ctrl_c(drive, store, mini_form):
    run = fill(drive, store, mini_form, ENTER)
    assert run.result.status == "interrupted"
    assert store.drafts("mini")[0]["answers"]["a-yes"]["value"] is True


def test_resumed_draft_continues_where_it_stopped(drive, store, mini_form):
    fill(drive, store, mini_form, ENTER + ENTER + CTRL_C)
    draft = store.drafts("mini")[0]
    sheet = store.load_sheet(draft, mini_form)
    # Resumes on a-choice (the last item answered): accept it, then the rest.
    run = fill(
        drive,
        store,
        mini_form,
        ENTER + "0" + ENTER + "2" + ENTER + ENTER + DOWN + ENTER + ENTER + ENTER + ENTER,
        sheet=sheet,
    )
    assert run.result.status == "final"
    (doc,) = store.submissions()
    assert doc["uuid"] == draft["uuid"]
    assert doc["score"]["total"] == 10


def test_typed_less_than_goes_back_one_question(drive, store, mini_form):
    # fmt: off
    keys = (ENTER + ENTER                     # 有, 好
            + "<" + ENTER                     # back from a-deduct to a-choice
            + DOWN + ENTER                    # change it to 差 (0 points)
            + "场所为临时借用" + ENTER          # its note
            + "0" + ENTER + "2" + ENTER + ENTER + DOWN + ENTER + ENTER
            + ENTER + ENTER)
    # fmt: on
    run = fill(drive, store, mini_form, keys)
    assert run.result.status == "final"
    (doc,) = store.submissions()
    assert doc["answers"]["a-choice"] == {"value": "差", "na": False, "note": "场所为临时借用"}
    assert doc["score"]["total"] == 8


def test_back_choice_in_a_list_goes_back(drive, store, mini_form):
    # fmt: off
    # a-choice list: 好, 差, ← 上一题 → back to a-yes, change it to 无 (with its note).
    keys = (ENTER + DOWN + DOWN + ENTER + DOWN + ENTER + "无牌" + ENTER
            + ENTER + "0" + ENTER + "2" + ENTER + ENTER + DOWN + ENTER + ENTER + ENTER + ENTER)
    # fmt: on
    fill(drive, store, mini_form, keys)
    (doc,) = store.submissions()
    assert doc["answers"]["a-yes"] == {"value": False, "na": False, "note": "无牌"}
    assert doc["score"]["total"] == 8


def test_review_menu_changes_an_answer_by_picking_the_item(drive, store, mini_form):
    # fmt: off
    keys = (ENTER + ENTER + "0" + ENTER + "2" + ENTER + ENTER + DOWN + ENTER + ENTER
            + DOWN + ENTER                    # review: 修改某一题
            + DOWN + ENTER                    # pick a-choice (second in the list)
            + DOWN + ENTER                    # 差
            + "临时场所" + ENTER                # note
            + ENTER + ENTER)                  # 提交, confirm
    # fmt: on
    run = fill(drive, store, mini_form, keys)
    assert run.result.status == "final"
    (doc,) = store.submissions()
    assert doc["answers"]["a-choice"]["value"] == "差"
    assert doc["score"]["total"] == 8


def test_finalize_is_refused_while_something_blocks_it(drive, store, mini_form):
    # fmt: off
    keys = (ENTER + ENTER + ENTER             # a-deduct left empty (skipped)
            + "2" + ENTER + ENTER + DOWN + ENTER + ENTER
            + DOWN + ENTER                    # review: 提交 although a-deduct is unanswered
            + DOWN + DOWN + DOWN + ENTER)      # 保存草稿并退出
    # fmt: on
    run = fill(drive, store, mini_form, keys)
    assert run.result.status == "saved"
    assert "还不能提交：1 个必答项未回答" in run.text
    assert "未答：隐患" in run.text
    assert store.submissions() == []
    assert store.drafts("mini")[0]["answers"]["b-score"]["value"] == 2


def test_show_if_asks_the_dependent_item_and_the_review_fills_gaps(drive, store, mini_form):
    # fmt: off
    keys = (ENTER + ENTER + "0" + ENTER + "2" + ENTER + ENTER
            + ENTER                           # b-need 是 → b-what becomes visible
            + "补充台账" + ENTER
            + DOWN + ENTER                    # veto 是
            + "发生事故" + ENTER                # veto note
            + ENTER + ENTER)
    # fmt: on
    fill(drive, store, mini_form, keys)
    (doc,) = store.submissions()
    assert doc["answers"]["b-what"]["value"] == "补充台账"
    assert doc["score"]["grade"] == "不合格"
    assert doc["vetoes"]["v-safety"] == {"fired": True, "note": "发生事故"}


def test_number_prompt_repeats_until_the_value_is_valid(drive, store, mini_form):
    # fmt: off
    keys = (ENTER + ENTER + "x" + ENTER + CTRL_U + "-1" + ENTER + CTRL_U + "1" + ENTER
            + "一处隐患" + ENTER + CTRL_C)
    # fmt: on
    fill(drive, store, mini_form, keys)
    draft = store.drafts("mini")[0]
    assert draft["answers"]["a-deduct"] == {"value": 1, "na": False, "note": "一处隐患"}


def test_na_where_allowed_and_photos_copied_into_attachments(
    drive, store, workspace, tmp_path, edu_form
):
    from inspect_kit.prompt.io import Prompter
    from inspect_kit.prompt.plain import PlainFill

    photo = tmp_path / "sign.jpg"
    photo.write_bytes(b"\xff\xd8\xffjpeg")
    sheet = new_sheet(edu_form)
    store.start_sheet(edu_form, sheet)
    facility_access = edu_form.form.item("facility-access")
    site_photos = edu_form.form.item("site-photos")

    def ask_two(**io):
        filler = PlainFill(
            store, edu_form, sheet, Prompter(**io), attachments_root=workspace.attachments_dir
        )
        filler.ask_step(next(s for s in filler.steps if s.item is facility_access), back=True)
        filler.ask_step(next(s for s in filler.steps if s.item is site_photos), back=True)

    drive(ask_two, DOWN + DOWN + ENTER + "../nope.jpg" + ENTER + CTRL_U + str(photo) + ENTER)
    draft = store.draft(sheet.uuid)
    assert draft["answers"]["facility-access"]["na"] is True
    assert draft["answers"]["site-photos"]["attachments"] == ["sign.jpg"]
    copied = workspace.attachments_dir / sheet.uuid / "sign.jpg"
    assert copied.read_bytes() == b"\xff\xd8\xffjpeg"


def test_position_at_a_veto_is_its_bare_id_and_resume_starts_there(drive, store, mini_form):
    keys = ENTER + ENTER + "0" + ENTER + "2" + ENTER + ENTER + DOWN + ENTER + ENTER + CTRL_C
    fill(drive, store, mini_form, keys)
    draft = store.drafts("mini")[0]
    assert draft["position"] == "v-safety"  # the TUI reads the same field
    sheet = store.load_sheet(draft, mini_form)
    run = fill(drive, store, mini_form, DOWN + ENTER + ENTER + ENTER + ENTER, sheet=sheet)
    assert run.result.status == "final"
    assert store.submissions()[0]["vetoes"]["v-safety"]["fired"] is True
