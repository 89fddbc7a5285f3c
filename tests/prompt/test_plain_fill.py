"""The plain (line-by-line) fill driven through prompt_toolkit's pipe input, under issue 11's
contract: only an explicit pick answers (every list opens on "leave as it is"), N/A stays, a
deduction asks its 扣分理由 on that item, vetoes need 是/否 and a fired one its 情况说明, and the
review lists every answer before finalizing. Every test asserts on what the store holds."""

from __future__ import annotations

from conftest import CTRL_C, CTRL_U, DOWN, ENTER, FINALIZE, SPACE, TAB, none_of, pick

from inspect_kit.domain.sheet import Sheet
from inspect_kit.prompt.plain import run_plain_fill

RESUME = "inspect-kit fill mini --subject eb-001 --rater 王建国 --round 2026 --plain"

# Full marks everywhere: 有, 好, 0 hazards, score 2, "none of these" defects, 否 (no
# rectification), veto 否, then finalize and confirm.
FULL = (pick(1) + pick(1) + "0" + ENTER + "2" + ENTER + none_of(2) + pick(2) + pick(1)
        + FINALIZE)  # fmt: skip


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


def answered(record) -> dict:
    """{item id: value or "N/A"} of what a stored draft or sheet actually answers."""
    return {
        key: ("N/A" if a.get("na") else a.get("value"))
        for key, a in (record.get("answers") or {}).items()
        if a.get("na") or a.get("value") is not None
    }


def draft_score(store, draft, loaded) -> dict:
    """The score a stored draft's answers give (drafts keep answers, not scores): what
    finalizing it would store."""
    return store.load_sheet(draft, loaded).score().to_stored()


def fired(record) -> dict:
    return {k: v.get("fired") for k, v in (record.get("vetoes") or {}).items()
            if v.get("fired") is not None}  # fmt: skip


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


def test_enter_and_tab_alone_through_the_whole_sheet_store_no_answer(drive, store, mini_form):
    """Issue 11, "Enter answers": Enter on a new sheet stored the first option (full marks) and
    Enter on a veto stored 未发生. Here Enter and Tab, however many, answer nothing; the review
    opens on "answer the open items", so it walks the sheet again until the input ends."""
    run = fill(drive, store, mini_form, (ENTER + TAB + ENTER) * 15)
    assert run.result.status == "interrupted"
    assert store.submissions() == []
    (draft,) = store.drafts("mini")
    assert answered(draft) == {} and fired(draft) == {}
    assert "未作答" in run.text or "未答" in run.text


def test_enter_alone_through_a_whole_edu_sheet_stores_no_answer(drive, store, edu_form):
    run = fill(drive, store, edu_form, ENTER * 90)  # the sheet, the review, the sheet again
    assert run.result.status == "interrupted"
    (draft,) = store.drafts("edu-base-inspection")
    assert answered(draft) == {} and fired(draft) == {}
    assert draft_score(store, draft, edu_form)["total"] == 0
    assert "══ 复核" in run.text and run.text.count("[1/") >= 2  # walked, reviewed, walked again


def test_enter_on_an_answered_item_keeps_it_and_on_na_keeps_na(drive, store, mini_form):
    """Resumed at a-choice (差, with its note): Enter keeps 差 and its note, asks nothing more."""
    sheet = new_sheet(mini_form)
    fill(drive, store, mini_form, pick(1) + pick(2) + "临时场所" + ENTER + CTRL_C, sheet)
    draft = store.drafts("mini")[0]
    assert draft["position"] == "a-choice"
    resumed = store.load_sheet(draft, mini_form)
    run = fill(drive, store, mini_form, ENTER + CTRL_C, resumed)
    assert run.result.status == "interrupted"
    after = store.drafts("mini")[0]
    assert after["answers"]["a-choice"] == {"value": "差", "na": False, "note": "临时场所"}
    assert answered(after) == {"a-yes": True, "a-choice": "差"}


def test_na_stays_until_another_answer_is_picked(drive, store, edu_form):
    """Issue 11: after N/A on 3.5, Enter replaced the N/A with a value and the score changed."""
    from inspect_kit.prompt.io import Prompter
    from inspect_kit.prompt.plain import PlainFill
    from inspect_kit.services.drafts import DraftSession

    sheet = new_sheet(edu_form)
    session = DraftSession.hold(store, store.workspace, edu_form, sheet)
    try:
        store.start_sheet(edu_form, session.sheet)

        def ask_access_three_times(**io):
            filler = PlainFill(session, Prompter(**io))
            step = next(s for s in filler.steps if s.key == "facility-access")
            for _ in range(3):
                filler.ask_step(step, back=True)

        # [保持/未作答, 有, 无, 不适用, …]: N/A, then Enter twice
        drive(ask_access_three_times, pick(3) + ENTER + ENTER)
    finally:
        session.close()
    draft = store.draft(sheet.uuid)
    assert draft["answers"]["facility-access"]["na"] is True
    assert draft["answers"]["facility-access"]["value"] is None


def test_a_deduction_asks_its_reason_and_the_reason_stays_on_that_item(drive, store, mini_form):
    """Issue 11: a digit that lost points, then Enter, jumped to the next item, and the reason
    typed next went there. Here the next stop is the reason; the next item is untouched."""
    keys = (pick(1) + pick(1) + "1" + ENTER   # one hazard: loses 1 point
            + ENTER                           # empty reason refused (the form requires one)
            + "两处灭火器过期" + ENTER
            + CTRL_C)  # fmt: skip
    fill(drive, store, mini_form, keys)
    draft = store.drafts("mini")[0]
    assert draft["answers"]["a-deduct"] == {"value": 1, "na": False, "note": "两处灭火器过期"}
    assert "b-score" not in answered(draft)
    assert draft_score(store, draft, mini_form)["missing_notes"] == []


def test_deductions_with_reasons_then_finalize(drive, store, mini_form):
    keys = (pick(1) + pick(1) + "2" + ENTER + "两处灭火器过期" + ENTER
            + "2" + ENTER + SPACE + ENTER     # tick 甲制度: loses 1 point
            + "缺甲制度" + ENTER
            + pick(2) + pick(1) + FINALIZE)  # fmt: skip
    run = fill(drive, store, mini_form, keys)
    assert run.result.status == "final"
    (doc,) = store.submissions()
    assert doc["answers"]["a-deduct"] == {"value": 2, "na": False, "note": "两处灭火器过期"}
    assert doc["answers"]["b-defects"]["value"] == ["甲制度"]
    assert doc["answers"]["b-defects"]["note"] == "缺甲制度"
    assert doc["score"]["total"] == 7


def test_a_checklist_left_unticked_is_unanswered_not_full_marks(drive, store, mini_form):
    keys = pick(1) + pick(1) + "0" + ENTER + "2" + ENTER + ENTER + CTRL_C
    fill(drive, store, mini_form, keys)
    draft = store.drafts("mini")[0]
    assert "b-defects" not in answered(draft)
    assert draft_score(store, draft, mini_form)["total"] == 8  # b-defects' 2 points not given


def test_ticking_none_with_a_defect_is_refused_and_asked_again(drive, store, mini_form):
    keys = (pick(1) + pick(1) + "0" + ENTER + "2" + ENTER
            + SPACE + DOWN + DOWN + SPACE + ENTER   # 甲制度 and "none": contradictory
            + SPACE + ENTER                          # untick 甲制度: "none" alone
            + CTRL_C)  # fmt: skip
    run = fill(drive, store, mini_form, keys)
    assert "不能与其他选项同时勾选" in run.text
    assert store.drafts("mini")[0]["answers"]["b-defects"]["value"] == []


def test_ctrl_c_keeps_the_draft_and_prints_the_resume_command(drive, store, mini_form):
    run = fill(drive, store, mini_form, pick(1) + pick(2) + "差" + ENTER + CTRL_C)
    assert run.result.status == "interrupted"
    assert store.submissions() == []
    (draft,) = store.drafts("mini")
    assert draft["answers"]["a-yes"]["value"] is True
    assert draft["answers"]["a-choice"]["value"] == "差"
    assert draft["position"] == "a-choice"
    assert RESUME in run.text


def test_closed_input_saves_the_draft_like_ctrl_c(drive, store, mini_form):
    run = fill(drive, store, mini_form, pick(1))
    assert run.result.status == "interrupted"
    assert store.drafts("mini")[0]["answers"]["a-yes"]["value"] is True


def test_resumed_draft_continues_where_it_stopped(drive, store, mini_form):
    fill(drive, store, mini_form, pick(1) + pick(1) + CTRL_C)
    draft = store.drafts("mini")[0]
    sheet = store.load_sheet(draft, mini_form)
    # Resumes on a-choice (the last item answered): Enter keeps it, then the rest.
    keys = ENTER + "0" + ENTER + "2" + ENTER + none_of(2) + pick(2) + pick(1) + FINALIZE
    run = fill(drive, store, mini_form, keys, sheet=sheet)
    assert run.result.status == "final"
    (doc,) = store.submissions()
    assert doc["uuid"] == draft["uuid"]
    assert doc["score"]["total"] == 10


def test_typed_less_than_goes_back_one_question(drive, store, mini_form):
    keys = (pick(1) + pick(1)                 # 有, 好
            + "<" + ENTER                     # back from a-deduct to a-choice
            + pick(2)                         # change it to 差 (0 points)
            + "场所为临时借用" + ENTER          # its note
            + "0" + ENTER + "2" + ENTER + none_of(2) + pick(2) + pick(1) + FINALIZE)  # fmt: skip
    run = fill(drive, store, mini_form, keys)
    assert run.result.status == "final"
    (doc,) = store.submissions()
    assert doc["answers"]["a-choice"] == {"value": "差", "na": False, "note": "场所为临时借用"}
    assert doc["score"]["total"] == 8


def test_back_choice_in_a_list_goes_back(drive, store, mini_form):
    # a-choice list: 保持, 好, 差, ← 上一题 → back to a-yes, change it to 无 (with its note).
    keys = (pick(1) + DOWN * 3 + ENTER + pick(2) + "无牌" + ENTER
            + pick(1) + "0" + ENTER + "2" + ENTER + none_of(2) + pick(2) + pick(1)
            + FINALIZE)  # fmt: skip
    fill(drive, store, mini_form, keys)
    (doc,) = store.submissions()
    assert doc["answers"]["a-yes"] == {"value": False, "na": False, "note": "无牌"}
    assert doc["score"]["total"] == 8


def test_veto_needs_an_explicit_choice_and_firing_it_asks_what_happened(drive, store, mini_form):
    keys = (pick(1) + pick(1) + "0" + ENTER + "2" + ENTER + none_of(2) + pick(2)
            + ENTER                           # veto: Enter alone leaves it unanswered
            + ENTER                           # review opens on "answer the 1 open item"
            + pick(2)                         # veto 是
            + ENTER                           # empty 情况说明 refused
            + "参观时发生踩踏，两人受伤" + ENTER
            + ENTER                           # review: list every answer
            + FINALIZE)  # fmt: skip
    run = fill(drive, store, mini_form, keys)
    assert run.result.status == "final"
    assert "未答：一票否决 安全事故" in run.text
    (doc,) = store.submissions()
    assert doc["vetoes"]["v-safety"] == {"fired": True, "note": "参观时发生踩踏，两人受伤"}
    assert doc["score"]["grade"] == "不合格"
    assert "  安全事故 = 是" in run.text and "情况说明：参观时发生踩踏，两人受伤" in run.text
    assert "总分 10，等次 不合格（一票否决：安全事故）" in run.text  # why the grade fell


def test_review_lists_every_answer_then_jumps_to_any_item(drive, store, mini_form):
    keys = (pick(1) + pick(1) + "1" + ENTER + "一处隐患" + ENTER
            + "2" + ENTER + none_of(2)
            + pick(1) + "补充台账" + ENTER      # b-need 是 shows b-what
            + pick(1)                          # veto 否
            + DOWN + ENTER                     # review: go to a question
            + DOWN + ENTER                     # a-choice (second in the list)
            + pick(2) + "临时场所" + ENTER      # 差, its reason
            + FINALIZE)  # fmt: skip
    run = fill(drive, store, mini_form, keys)
    assert run.result.status == "final"
    first_listing = run.text.split("══ 复核")[1].split("总分 9")[0]  # before the jump
    shown = [
        "  a-yes 有标牌 = 有（2/2 分）",
        "  a-choice 场所 = 好（2/2 分）",
        "  a-deduct 隐患 = 1 处（1/2 分）",
        "      扣分理由：一处隐患",
        "── 二、乙：4 / 4 ──",
        "  b-defects 制度 = 无（2/2 分）",
        "  b-need 需整改 = 是",
        "  b-what 整改事项 = 补充台账",
        "  安全事故 = 否",
    ]
    for line in shown:
        assert line in first_listing, line
    assert "总分 9，等次 合格" in run.text
    (doc,) = store.submissions()
    assert doc["answers"]["a-choice"] == {"value": "差", "na": False, "note": "临时场所"}
    assert doc["answers"]["a-deduct"]["note"] == "一处隐患"
    assert doc["score"]["total"] == 7


def test_two_enters_at_the_review_never_finalize(drive, store, mini_form):
    keys = (pick(1) + pick(1) + "0" + ENTER + "2" + ENTER + none_of(2) + pick(2) + pick(1)
            + ENTER * 10)  # fmt: skip
    run = fill(drive, store, mini_form, keys)
    assert run.result.status == "interrupted"
    assert store.submissions() == []
    assert draft_score(store, store.drafts("mini")[0], mini_form)["total"] == 10
    # and "提交" then Enter lands on 先不提交
    keys = ENTER + "0" + ENTER + "2" + ENTER + ENTER + ENTER + ENTER + DOWN * 2 + ENTER + ENTER
    sheet = store.load_sheet(store.drafts("mini")[0], mini_form)
    fill(drive, store, mini_form, keys, sheet)
    assert store.submissions() == []


def test_finalize_is_refused_while_something_blocks_it_and_no_grade_is_shown(
    drive, store, mini_form
):
    keys = (pick(1) + pick(1) + ENTER          # a-deduct left empty
            + "2" + ENTER + none_of(2) + pick(2) + pick(1)
            + DOWN * 3 + ENTER                 # review: 提交 although a-deduct is open
            + DOWN * 4 + ENTER)  # fmt: skip   # 保存草稿并退出
    run = fill(drive, store, mini_form, keys)
    assert run.result.status == "saved"
    assert "还不能提交：1 个必答项未回答" in run.text
    assert "未答：隐患" in run.text
    assert "已答部分得 8 分（已答可得 8，满分 10）；尚有未答项，等次待答完后评定" in run.text
    assert "等次 不合格" not in run.text  # 8 of 8 answered is not graded against the full 10
    assert store.submissions() == []
    draft = store.drafts("mini")[0]
    assert draft["answers"]["b-score"]["value"] == 2 and "a-deduct" not in answered(draft)


def test_number_prompt_repeats_until_the_value_is_valid(drive, store, mini_form):
    keys = (pick(1) + pick(1) + "x" + ENTER + CTRL_U + "-1" + ENTER + CTRL_U + "1" + ENTER
            + "一处隐患" + ENTER + CTRL_C)  # fmt: skip
    fill(drive, store, mini_form, keys)
    draft = store.drafts("mini")[0]
    assert draft["answers"]["a-deduct"] == {"value": 1, "na": False, "note": "一处隐患"}


def test_position_at_a_veto_is_its_bare_id_and_resume_starts_there(drive, store, mini_form):
    keys = pick(1) + pick(1) + "0" + ENTER + "2" + ENTER + none_of(2) + pick(2) + ENTER + CTRL_C
    fill(drive, store, mini_form, keys)
    draft = store.drafts("mini")[0]
    assert draft["position"] == "v-safety"  # the TUI reads the same field
    assert fired(draft) == {}
    sheet = store.load_sheet(draft, mini_form)
    run = fill(drive, store, mini_form, pick(2) + "发生事故" + ENTER + FINALIZE, sheet=sheet)
    assert run.result.status == "final"
    assert store.submissions()[0]["vetoes"]["v-safety"] == {"fired": True, "note": "发生事故"}


def test_the_review_jumps_to_a_question_by_typing_part_of_its_id(drive, store, mini_form):
    keys = (pick(1) + pick(1) + "1" + ENTER + "一处隐患" + ENTER + "2" + ENTER + none_of(2)
            + pick(2) + pick(1)
            + DOWN + ENTER                     # review: go to a question
            + "deduct" + ENTER                 # typed: only a-deduct is left in the list
            + CTRL_U + "0" + ENTER             # no hazard after all
            + FINALIZE)  # fmt: skip
    run = fill(drive, store, mini_form, keys)
    assert run.result.status == "final"
    (doc,) = store.submissions()
    assert doc["answers"]["a-deduct"]["value"] == 0
    assert doc["score"]["total"] == 10


PG_DN, PG_UP, CTRL_B = "\x1b[6~", "\x1b[5~", "\x02"


def test_random_enter_tab_and_page_keys_over_a_whole_sheet_answer_nothing(store, mini_form):
    """Property: any sequence of keys that move nothing on their own (Enter, Tab, PgDn, PgUp,
    Ctrl+B) leaves every item and veto unanswered, whatever order they come in."""
    import io

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    @settings(max_examples=12, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(st.lists(st.sampled_from([ENTER, TAB, PG_DN, PG_UP, CTRL_B]), max_size=40))
    def check(keys):
        sheet = new_sheet(mini_form)
        with create_pipe_input() as inp:
            inp.send_text("".join(keys))
            inp.close()
            run_plain_fill(store, mini_form, sheet, input=inp, output=DummyOutput(),
                           stream=io.StringIO())  # fmt: skip
        draft = store.draft(sheet.uuid)
        assert answered(draft) == {} and fired(draft) == {}
        store.delete_draft(sheet.uuid)

    check()
