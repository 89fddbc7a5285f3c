"""Field checks in plain words (domain/values.py), the one parser the TUI, the plain prompts and
answer files share: whole numbers refuse decimals, dates take the forms inspectors write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from inspect_kit.base.errors import AnswerError
from inspect_kit.domain.answers import normalize_value
from inspect_kit.domain.sheet import Sheet
from inspect_kit.domain.values import parse_date, whole_number
from inspect_kit.formfiles.loader import load_form_file

TODAY = dt.date(2026, 12, 2)
FORM = Path(__file__).resolve().parents[2] / "forms" / "edu-base-inspection.yaml"


@pytest.fixture(scope="module")
def loaded():
    return load_form_file(FORM)


@pytest.fixture
def sheet(loaded):
    return Sheet(form=loaded.form, form_sha256=loaded.sha256, subject="eb-001",
                 subject_name="x", rater="r", round="2026")  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("今天", TODAY),
        ("today", TODAY),
        ("昨天", dt.date(2026, 12, 1)),
        ("Yesterday", dt.date(2026, 12, 1)),
        ("2026-05-20", dt.date(2026, 5, 20)),
        ("2026-5-2", dt.date(2026, 5, 2)),
        ("2026/5/20", dt.date(2026, 5, 20)),
        ("2026.05.20", dt.date(2026, 5, 20)),
        ("2026年5月20日", dt.date(2026, 5, 20)),
        ("2026 年 5 月 20 日", dt.date(2026, 5, 20)),
        ("2026年05月20号", dt.date(2026, 5, 20)),
        ("5月20日", dt.date(2026, 5, 20)),  # this year
        ("5月20", dt.date(2026, 5, 20)),
        ("２０２６／５／２０", dt.date(2026, 5, 20)),  # full-width, as a Chinese IME types it
        (dt.date(2025, 1, 3), dt.date(2025, 1, 3)),  # a YAML answer file gives a date object
    ],
)
def test_dates_in_every_form_an_inspector_writes(typed, meant):
    assert parse_date(typed, today=TODAY) == meant


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("明天见", "answer.not_a_date"),
        ("20260520", "answer.not_a_date"),
        ("2026-05/20", "answer.not_a_date"),  # mixed separators: a typo, not a date
        ("5/20", "answer.not_a_date"),  # month/day or day/month? refused rather than guessed
        ("", "answer.not_a_date"),
        ("2026-02-30", "answer.no_such_day"),
        ("13月1日", "answer.no_such_day"),
    ],
)
def test_what_is_not_a_date_is_refused_in_plain_words(typed, code):
    with pytest.raises(AnswerError) as caught:
        parse_date(typed, today=TODAY)
    assert caught.value.code == code
    if code == "answer.not_a_date":
        assert "2026/5/20" in str(caught.value) and "今天" in str(caught.value)
        assert "today or yesterday" in caught.value.render("en")
    else:
        assert str(caught.value) == f"没有“{typed}”这一天"
        assert caught.value.render("en") == f"There is no such day as “{typed}”"


def test_a_date_item_stores_the_iso_day_whichever_form_was_typed(loaded, sheet):
    item = loaded.form.item("rules-drill-date")
    assert normalize_value(item, "2026年5月20日") == "2026-05-20"
    assert normalize_value(item, "2026/5/20") == "2026-05-20"
    assert normalize_value(item, "今天") == dt.date.today().isoformat()
    assert normalize_value(item, f"{dt.date.today().month}月1日") == (
        dt.date.today().replace(day=1).isoformat()
    )


@pytest.mark.parametrize("typed", ["9", "9.0", 9, 9.0, " 9 "])
def test_whole_numbers(typed):
    assert whole_number(typed) == 9


@pytest.mark.parametrize("typed", ["9.5", 9.5, "0.1"])
def test_an_integer_item_refuses_a_decimal_and_keeps_nothing(loaded, sheet, typed):
    """Typing 9.5 into a head count once stored 95 with full marks: now it is refused, with why."""
    with pytest.raises(AnswerError) as caught:
        sheet.set_value("team-guides", typed)
    shown = str(typed).strip()
    assert str(caught.value) == f"“{shown}”不是整数：此项只填整数，如 9 或 10（不能有小数）"
    assert caught.value.render("en").startswith(f"“{shown}” is not a whole number")
    assert sheet.answer("team-guides").value is None
    assert sheet.score().total == 0


def test_an_integer_item_keeps_what_was_typed_when_it_is_whole(sheet):
    sheet.set_value("team-guides", "9")
    assert sheet.answer("team-guides").value == 9
    sheet.set_value("team-guides", "12")
    assert sheet.answer("team-guides").value == 12


def test_a_number_that_is_not_one_is_refused(sheet):
    with pytest.raises(AnswerError, match="不是数字"):
        sheet.set_value("team-guides", "九")


def test_an_answer_file_takes_the_same_dates_and_refuses_the_same_decimal(workspace):
    """One parser for the TUI, plain prompts and answer files: a file is checked the same way."""
    from click.testing import CliRunner

    from inspect_kit.cli import cli
    from inspect_kit.store.store import Store, Subject

    Store(workspace).add_subjects([Subject("eb-001", "红星教育基地", "education-base")])

    def fill(body: str):
        path = workspace.root / "answers.yaml"
        path.write_text("rater: r\nfinalize: false\n" + body, encoding="utf-8")
        return CliRunner().invoke(
            cli,
            ["--workspace", str(workspace.root), "fill", "edu-base-inspection",
             "--subject", "eb-001", "--round", "2026", "--answers", str(path)],
        )  # fmt: skip

    refused = fill("team-guides: 9.5\n")
    assert refused.exit_code == 1
    assert "“9.5”不是整数" in refused.output
    assert Store(workspace).drafts() == []

    kept = fill("rules-emergency: 有预案有演练\nrules-drill-date: 2026年3月1日\nteam-guides: 9\n")
    assert kept.exit_code == 0, kept.output
    (draft,) = Store(workspace).drafts()
    assert draft["answers"]["rules-drill-date"]["value"] == "2026-03-01"
    assert draft["answers"]["team-guides"]["value"] == 9
