"""Plain mode on the 活动台账 table of edu-base-inspection, through pipe input: rows entered one
by one and ended with an empty first cell, a refused cell said in plain words, a row edited and
one deleted from the item's menu; Enter alone on an unanswered table stores nothing. Each
asserts what the drafts file holds."""

from __future__ import annotations

import io

import pytest
from conftest import CTRL_U, DOWN, ENTER
from prompt_toolkit.input import create_pipe_input
from test_plain_edu_items import Recording, WideOutput

from inspect_kit.domain.sheet import Sheet
from inspect_kit.prompt.plain import PlainFill
from inspect_kit.services.drafts import DraftSession


@pytest.fixture
def session(store, edu_form):
    sheet = Sheet(form=edu_form.form, form_sha256=edu_form.sha256, subject="eb-001",
                  subject_name="红星教育基地", rater="王建国", round="2026")  # fmt: skip
    held = DraftSession.hold(store, store.workspace, edu_form, sheet)
    store.start_sheet(edu_form, held.sheet)
    yield held
    held.close()


def ask(session, keys: str, lang: str = "zh") -> tuple[str, str]:
    """Ask act-log with `keys` piped in; returns (refusals, what was printed)."""
    out = io.StringIO()
    with create_pipe_input() as inp:
        inp.send_text(keys)
        inp.close()
        prompter = Recording(input=inp, output=WideOutput(io.StringIO()), stream=out, lang=lang)
        filler = PlainFill(session, prompter)
        filler.ask_step(next(s for s in filler.steps if s.key == "act-log"), back=True)
    return "\n".join(prompter.refusals), out.getvalue()


def stored(session) -> dict:
    return session.store.draft(session.sheet.uuid)["answers"].get("act-log", {})


def test_rows_are_entered_one_by_one_edited_and_deleted_and_stored(session):
    keys = (
        DOWN + ENTER  # 继续添加行
        + "2026-03-05" + ENTER + "清明祭英烈" + ENTER + "120" + ENTER  # row 1
        + "4月1日" + ENTER + "法治讲座" + ENTER + "9.5" + ENTER  # refused: not whole
        + CTRL_U + "80" + ENTER  # row 2
        + ENTER  # an empty first cell ends the rows
        + DOWN * 2 + ENTER  # 修改第 1 行
        + CTRL_U + "2026/3/6" + ENTER + ENTER + ENTER  # new date, theme and count kept
        + DOWN * 5 + ENTER  # 删除第 2 行
        + ENTER  # 保持不变: done
        + "只有1场有完整记录" + ENTER  # 1 row → 0 of 8: the 扣分理由
    )  # fmt: skip
    refused, _ = ask(session, keys)
    assert "第 2 行「参加人数」" not in refused  # the cell prompt names it; the refusal is plain
    assert "“9.5”不是整数" in refused
    assert stored(session) == {
        "value": [{"date": "2026-03-06", "theme": "清明祭英烈", "people": 120}],
        "na": False,
        "note": "只有1场有完整记录",
    }


def test_enter_alone_on_an_unanswered_table_stores_nothing(session):
    refused, _ = ask(session, ENTER)
    assert refused == "" and stored(session) == {}
    assert session.sheet.answer("act-log").value is None


def test_no_records_is_an_explicit_answer(session):
    # keep, add, 无记录 (0 行) → stored [] → the menu again → keep; 0 of 8 asks its reason
    ask(session, DOWN * 2 + ENTER + ENTER + "全年未开展活动" + ENTER)
    assert stored(session) == {"value": [], "na": False, "note": "全年未开展活动"}


def test_rows_in_english(session):
    keys = DOWN + ENTER + "yesterday" + ENTER + "Flag day" + ENTER + "30" + ENTER + ENTER
    keys += ENTER + "one only" + ENTER
    _, out = ask(session, keys, lang="en")
    (row,) = stored(session)["value"]
    assert row["theme"] == "Flag day" and row["people"] == 30
