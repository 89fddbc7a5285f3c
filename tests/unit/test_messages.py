"""One catalog (issue 10): every sentence in Chinese and English, every error code the core raises
worded there, and the core's errors, blockers and grade reasons rendered in English without any
front-end re-translating them."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from inspect_kit.base.errors import AnswerError, InspectKitError
from inspect_kit.domain.answers import normalize_value
from inspect_kit.domain.reasons import explain_grade
from inspect_kit.domain.sheet import Sheet
from inspect_kit.i18n import (
    cli_messages,
    core_messages,
    prompt_messages,
    rectify_messages,
    review_messages,
    screen_messages,
    security_messages,
    sync_messages,
    table_messages,
    toolkit_messages,
    trust_messages,
)
from inspect_kit.i18n.catalog import STRINGS, tr

PACKAGE = Path(__file__).resolve().parents[2] / "inspect_kit"
ENGLISH_ONLY = re.compile(r"^plain\.invalid\.")  # hints shown only in English (zh shows the core's)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_tables_share_no_key():
    tables = [core_messages.CORE_STRINGS, screen_messages.SCREEN_STRINGS,
              prompt_messages.PROMPT_STRINGS, toolkit_messages.TOOLKIT_STRINGS,
              cli_messages.CLI_STRINGS, security_messages.SECURITY_STRINGS,
              review_messages.REVIEW_STRINGS, rectify_messages.RECTIFY_STRINGS,
              sync_messages.SYNC_STRINGS, trust_messages.TRUST_STRINGS,
              table_messages.TABLE_STRINGS]  # fmt: skip
    assert sum(len(t) for t in tables) == len(STRINGS)


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_sentence_has_chinese_and_english_with_the_same_placeholders(key):
    zh, en = STRINGS[key]
    assert en.strip()
    if not ENGLISH_ONLY.match(key):
        assert zh.strip()
        # English may name a placeholder's English twin (what -> what_en)
        assert {f.removesuffix("_en") for f in fields(en)} == fields(zh)


def test_every_error_code_raised_in_the_package_is_in_the_catalog():
    codes = set()
    for path in PACKAGE.rglob("*.py"):
        codes |= set(re.findall(r'code="([a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert codes, "the scan found no codes"
    assert codes <= set(STRINGS), codes - set(STRINGS)


def test_a_refused_answer_is_worded_once_in_each_language(edu_form):
    item = edu_form.form.item("site-safety")
    with pytest.raises(AnswerError) as caught:
        normalize_value(item, -1)
    error = caught.value
    assert error.code == "answer.defect_count"
    assert str(error) == error.render("zh") == "问题数应为 0 或正整数"
    assert error.render("en") == "The number of problems is 0 or a whole number"


def test_an_error_without_a_code_renders_as_written():
    assert InspectKitError("原样").render("en") == "原样"
    with pytest.raises(TypeError):
        InspectKitError()


def test_blockers_and_grade_reasons_in_english(edu_form):
    sheet = Sheet(form=edu_form.form, form_sha256=edu_form.sha256, subject="eb-001",
                  subject_name="x", rater="r", round="2026")  # fmt: skip
    zh, en = sheet.blockers(), sheet.blockers(lang="en")
    assert zh[0].endswith("个必答项未回答") and en[0].endswith("required item(s) unanswered")
    veto = edu_form.form.vetoes[0]
    sheet.set_veto(veto.id, True, "事故")
    record = sheet.score()
    assert record.grade_reason == tr("reason.veto", "zh", texts=veto.text)
    english = explain_grade(edu_form.form, record, "en")
    assert english == tr("reason.veto", "en", texts=veto.text_en or veto.text)
    assert explain_grade(edu_form.form, record, "zh") == record.grade_reason


def test_an_unknown_form_is_refused_in_chinese_and_rendered_in_english(tmp_path):
    from inspect_kit.base.errors import FormNotFound
    from inspect_kit.formfiles.loader import load_form_file

    with pytest.raises(FormNotFound) as caught:
        load_form_file(tmp_path / "nope.yaml")
    exc = caught.value
    assert exc.code == "form.no_file"
    assert str(exc).startswith("找不到表单文件 ")
    assert exc.render("en") == f"No form file {tmp_path / 'nope.yaml'}"
