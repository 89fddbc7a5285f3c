"""The plain fill in English (`--lang en`): English chrome and form text, the same stored answers.

Prompts are rendered to prompt_toolkit's PlainTextOutput (wide, so nothing wraps) and read back
only from each prompt's final "? question answer" line, which is always drawn (intermediate
frames depend on timing); the plain lines (headers, running totals, review) go to the stream."""

from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner
from conftest import CTRL_C, DOWN, ENTER, FINALIZE, SPACE, pick
from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.plain_text import PlainTextOutput

from inspect_kit.base.errors import AnswerError
from inspect_kit.cli import cli
from inspect_kit.domain.sheet import Sheet
from inspect_kit.formfiles.loader import load_form_file
from inspect_kit.prompt.io import Prompter
from inspect_kit.prompt.plain import PlainFill, ask_resume, run_plain_fill
from inspect_kit.store.store import Store, Subject

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

EN_FORM = """\
form: mini-en
version: 1
title: 小表
title_en: Small form
subject: education-base
total: 10
grades:
  - {grade: 合格, grade_en: Pass, min: 6}
  - {grade: 不合格, grade_en: Fail, min: 0}
deduction_note: required
sections:
  - id: a
    title: 一、甲
    title_en: "1. Alpha"
    points: 6
    items:
      - {id: a-yes, type: yesno, text: 有标牌, text_en: Sign posted, points: 2, labels: [有, 无]}
      - id: a-choice
        type: choice
        text: 场所
        text_en: Premises
        guidance: 查看场所，固定场所得2分。
        guidance_en: Check the premises; fixed premises score 2 points.
        options:
          - {label: 好, label_en: Good, points: 2}
          - {label: 差, label_en: Poor, points: 0}
      - {id: a-deduct, type: deduct, text: 隐患, text_en: Hazards, max: 2, per: 1}
  - id: b
    title: 二、乙
    title_en: "2. Beta"
    points: 4
    items:
      - {id: b-score, type: score, text: 设施, text_en: Facilities, max: 2}
      - id: b-multi
        type: multi
        text: 活动
        text_en: Activities
        options:
          - {label: 讲座, label_en: Lectures, points: 1}
          - {label: 参观, label_en: Visits, points: 1}
      - {id: b-need, type: yesno, text: 需整改, required: true}
vetoes:
  - {id: v-safety, text: 安全事故, text_en: Safety accident, guidance: 以通报为准。,
     guidance_en: The official notice decides.}
"""

# 有, 差 (+ note), 1 hazard (+ note), score 1.5, tick 讲座 only (+ note), 否, veto 否, finalize.
# fmt: off
KEYS = (pick(1)                                 # a-yes: 有 / Yes
        + pick(2) + "temp site" + ENTER         # a-choice: 差 / Poor, its note
        + "1" + ENTER + "one hazard" + ENTER    # a-deduct: 1, its note
        + "1.5" + ENTER + "half" + ENTER        # b-score 1.5 of 2, its note
        + SPACE + ENTER + "no visits" + ENTER   # b-multi: 讲座 / Lectures, its note
        + pick(2)                               # b-need: 否 / No
        + pick(1)                               # veto: no
        + FINALIZE)                             # review: finalize, confirm
# fmt: on


class WideOutput(PlainTextOutput):
    def get_size(self) -> Size:
        return Size(rows=40, columns=400)


# The final line of each English prompt of KEYS: question, instruction, answer.
EN_PROMPTS = (
    "? Sign posted Yes (2 pts)",
    "? Premises Poor (0 pts)",
    "? Reason for the deduction (−2 pts)  (required; < to change the score) temp site",
    "? Hazards  (number of problems found, 1 pts each, 0 = none; < goes back) 1",
    "? Facilities  (0–2 points, step 0.5; < goes back) 1.5",
    "? Activities (pick any) [Lectures (1 pts)]",
    "? Veto: Safety accident No (did not happen)",
    "? Next step Finalize",
    "? A finalized sheet cannot be edited (only amended). Finalize? Yes, finalize",
)


@pytest.fixture
def en_form(workspace, roster):
    path = workspace.forms_dir / "mini-en.yaml"
    path.write_text(EN_FORM, encoding="utf-8")
    return load_form_file(path)


def new_sheet(loaded, subject):
    return Sheet(
        form=loaded.form,
        form_sha256=loaded.sha256,
        subject=subject,
        subject_name="红星教育基地",
        rater="王建国",
        round="2026",
    )


def run_fill(store, loaded, subject, keys, lang):
    """(result, plain lines, rendered prompts) of one fill driven by `keys`."""
    stream, screen = io.StringIO(), io.StringIO()
    sheet = new_sheet(loaded, subject)
    with create_pipe_input() as inp:
        inp.send_text(keys)
        inp.close()
        result = run_plain_fill(
            store,
            loaded,
            sheet,
            input=inp,
            output=WideOutput(screen),
            stream=stream,
            resume_command="RESUME",
            lang=lang,
        )
    return result, stream.getvalue(), screen.getvalue()


def stored(doc):
    return doc["answers"], doc["vetoes"], doc["score"]["total"], doc["score"]["grade"]


def test_english_fill_stores_the_same_answers_as_the_chinese_one(store, en_form):
    zh, zh_lines, zh_screen = run_fill(store, en_form, "eb-001", KEYS, "zh")
    en, en_lines, en_screen = run_fill(store, en_form, "eb-002", KEYS, "en")
    assert zh.status == en.status == "final"
    by_subject = {doc["subject"]: doc for doc in store.submissions()}
    assert stored(by_subject["eb-002"]) == stored(by_subject["eb-001"])
    answers = by_subject["eb-002"]["answers"]
    assert answers["a-choice"]["value"] == "差"  # canonical Chinese label, not "Poor"
    assert answers["b-multi"]["value"] == ["讲座"]
    assert answers["a-yes"]["value"] is True and answers["b-need"]["value"] is False
    assert by_subject["eb-002"]["score"]["total"] == 5.5

    # The Chinese run speaks Chinese ...
    assert "一、甲：3 / 6；累计 已得 3 / 可得 6（满分 10）" in zh_lines
    assert "? 场所 差（0 分）" in zh_screen
    # ... the English one English: form text from the *_en fields, chrome from the table.
    assert "Small form | 红星教育基地 (eb-002) | rater 王建国 | round 2026" in en_lines
    assert "── 1. Alpha (6 points) ──" in en_lines
    assert "  ▸ 1. Alpha: 3 / 6; so far 3 / 6 possible (full marks 10)" in en_lines
    assert "  ▸ 2. Beta: 2.5 / 4; so far 5.5 / 10 possible (full marks 10)" in en_lines
    assert "Total 5.5, grade Fail" in en_lines
    assert "Finalized: " in en_lines
    # 检查要点 and a veto's 依据 from guidance_en (the Chinese run keeps the Chinese)
    assert "  Check: Check the premises; fixed premises score 2 points." in en_lines
    assert "  Basis: The official notice decides." in en_lines
    assert "  检查要点：查看场所，固定场所得2分。" in zh_lines
    for shown in EN_PROMPTS:
        assert shown in en_screen, shown
    # No Chinese in the English chrome: only the fallbacks (b-need has no text_en, its
    # labels 是/否 become Yes/No) and the subject and rater names.
    leftovers = set(CJK.findall(en_lines + en_screen))
    assert leftovers <= set("需整改红星教育基地王建国"), leftovers


def test_english_review_lists_what_blocks_finalizing_and_saves_the_draft(store, en_form):
    # fmt: off
    keys = (pick(1) + pick(1) + ENTER           # a-deduct left empty
            + "2" + ENTER + SPACE + DOWN + SPACE + ENTER + pick(1) + pick(1)
            + DOWN * 3 + ENTER                  # review: Finalize although a-deduct is open
            + DOWN * 4 + ENTER)                 # Save the draft and quit
    # fmt: on
    result, lines, _ = run_fill(store, en_form, "eb-001", keys, "en")
    assert result.status == "saved"
    assert "  (empty; needed before finalizing)" in lines
    assert "  · Unanswered: Hazards" in lines
    assert "Cannot finalize yet: 1 required item(s) unanswered" in lines
    assert "Draft saved (5 answered)." in lines and "To continue: RESUME" in lines
    assert store.submissions() == []
    assert store.drafts("mini-en")[0]["answers"]["b-multi"]["value"] == ["讲座", "参观"]


def test_english_ctrl_c_message_and_resume_question(store, en_form):
    result, lines, _ = run_fill(store, en_form, "eb-001", pick(1) + CTRL_C, "en")
    assert result.status == "interrupted"
    assert "Interrupted; the draft is saved (1 answered)." in lines
    assert "To continue: RESUME" in lines
    (draft,) = store.drafts("mini-en")

    screen = io.StringIO()
    with create_pipe_input() as inp:
        inp.send_text(ENTER)
        inp.close()
        assert ask_resume(draft, input=inp, output=WideOutput(screen), lang="en") is True
    assert "There is an unfinished draft (1 answered, saved " in screen.getvalue()
    assert "Not now (the draft is kept)" in screen.getvalue()


def test_english_validation_messages_come_from_the_catalog(store, en_form):
    from inspect_kit.services.drafts import DraftSession

    form = en_form.form
    session = DraftSession.hold(store, store.workspace, en_form, new_sheet(en_form, "eb-001"))
    try:
        fills = {lang: PlainFill(session, Prompter(lang=lang)) for lang in ("zh", "en")}
        with pytest.raises(AnswerError) as caught:
            session.sheet.set_value("a-deduct", "x")
        refused = caught.value
        assert fills["zh"]._invalid(form.item("a-deduct"), refused) == str(refused)
        assert fills["en"]._invalid(form.item("a-deduct"), refused) == (
            "“x” is not a number; the number of problems needs a number"
        )
        bare = AnswerError("照片文件名不可用：.x")  # no catalog code: a plain English line
        assert fills["en"]._invalid(form.item("b-score"), bare) == "Invalid answer"
    finally:
        session.close()


def test_cli_lang_en_fills_in_english_and_keeps_lang_in_the_resume_command(workspace, monkeypatch):
    Store(workspace).add_subjects([Subject("eb-001", "红星教育基地", "education-base")])
    monkeypatch.setattr("inspect_kit.cli.fill_cmd.require_terminal", lambda *a: None)
    with create_pipe_input() as inp:
        inp.send_text(pick(1) + CTRL_C)
        inp.close()
        with create_app_session(input=inp, output=DummyOutput()):
            result = CliRunner().invoke(
                cli,
                ["--workspace", str(workspace.root), "--lang", "en", "fill",
                 "edu-base-inspection", "--subject", "eb-001", "--rater", "王建国",
                 "--round", "2026", "--plain"],
            )  # fmt: skip
    assert result.exit_code == 130, result.output
    assert "Annual inspection of off-campus youth education bases" in result.output
    assert "Interrupted; the draft is saved (1 answered)." in result.output
    assert "  Check: Check the sign's position, material and lettering." in result.output
    assert "查看标牌" not in result.output  # the built-in form's guidance_en, not the Chinese
    assert "--lang en fill edu-base-inspection --subject eb-001" in result.output
    (draft,) = Store(workspace).drafts("edu-base-inspection")
    assert draft["answers"]["sign-posted"]["value"] == "规范"
