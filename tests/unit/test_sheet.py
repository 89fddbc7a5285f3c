"""Sheet: the rules for changing answers, what blocks finalizing, and the record round trip."""

from __future__ import annotations

import pytest

from inspect_kit.base.errors import AnswerError
from inspect_kit.domain.sheet import RECORD_SCHEMA, Sheet, current_round


@pytest.fixture
def sheet(edu_form) -> Sheet:
    return Sheet(form=edu_form.form, form_sha256=edu_form.sha256, subject="eb-001",
                 subject_name="东钱湖青少年科普教育基地", rater="王建国", round="2026")  # fmt: skip


def best(item):
    """A value giving full marks (unscored items: something plausible; bonus: nothing)."""
    kind = item.type
    if kind == "yesno":
        return item.good == "yes" if item.scored else False
    if kind == "choice":
        return max(item.options, key=lambda o: o.points).label
    if kind == "multi":
        return [o.label for o in item.options]
    if kind == "score":
        return item.max
    if kind == "deduct":
        return [] if item.defects else 0
    if kind == "number":
        return max((b.min for b in item.bands), default=0)
    if kind == "table":  # as many records as the top band asks, each cell plausible
        cell = {"date": "2026-05-01", "text": "主题教育", "number": 30}
        row = [cell.get(c.type) or c.options[0].label for c in item.columns]
        return [row] * int(max((b.min for b in item.bands), default=1))
    return {"text": "良好", "signature": "王建国", "date": "2026-05-01"}.get(kind)


def fill_complete(sheet: Sheet) -> None:
    """Every item at full marks through the Sheet API (as a front-end does), no veto fired."""
    for section, item in sheet.form.iter_items():
        value = (0 if item.type == "number" else False) if section.bonus else best(item)
        if value is not None:
            sheet.set_value(item.id, value)
    for veto in sheet.form.vetoes:
        sheet.set_veto(veto.id, False)


def test_set_value_normalizes_and_keeps_the_note(sheet):
    sheet.set_note("site-safety", "  灭火器过期  ")
    answer = sheet.set_value("site-safety", "2")
    assert answer.value == 2 and answer.note == "灭火器过期"
    assert sheet.answer("site-safety").value == 2
    assert sheet.score().items["site-safety"].points == 3


def test_set_value_refuses_a_bad_value_and_leaves_the_old_one(sheet):
    sheet.set_value("facility-theme", 5)
    with pytest.raises(AnswerError):
        sheet.set_value("facility-theme", 9)
    assert sheet.answer("facility-theme").value == 5


def test_empty_raw_clears_the_value_but_keeps_the_note(sheet):
    sheet.set_value("site-safety", 1)
    sheet.set_note("site-safety", "通道堆物")
    sheet.set_value("site-safety", "")
    assert sheet.answer("site-safety").value is None
    assert sheet.answer("site-safety").note == "通道堆物"


def test_na_only_where_allowed(sheet):
    with pytest.raises(AnswerError, match="不适用"):
        sheet.set_na("facility-theme")
    sheet.set_value("facility-access", True)
    sheet.set_na("facility-access")
    assert sheet.answer("facility-access").na and sheet.answer("facility-access").value is None
    assert sheet.score().items["facility-access"].na


def test_note_items_and_unknown_vetoes_are_refused(sheet):
    with pytest.raises(AnswerError):
        sheet.set_veto("veto-nothing", True)
    with pytest.raises(KeyError):
        sheet.set_value("no-such-item", 1)


def test_signature_is_time_stamped(sheet):
    sheet.set_value("inspector-signature", "王建国")
    assert sheet.answer("inspector-signature").signed_at


def test_blockers_name_unanswered_and_missing_notes(sheet):
    assert any("必答项未回答" in b for b in sheet.blockers())
    fill_complete(sheet)
    assert sheet.blockers() == []
    assert sheet.progress() == 1.0
    sheet.set_value("site-safety", 2)  # a deduction without 扣分理由
    assert sheet.blockers() == ["1 个扣分项缺少扣分理由"]
    sheet.set_note("site-safety", "灭火器过期")
    assert sheet.blockers() == []


def test_progress_counts_required_items_and_vetoes(sheet):
    assert sheet.progress() == 0.0
    sheet.set_value("sign-posted", "规范")
    before = sheet.progress()
    assert 0 < before < 1
    sheet.set_veto("veto-safety", False)
    assert sheet.progress() > before


def test_empty_list_is_an_answer_for_multi_and_deduct(sheet):
    sheet.set_value("act-themes", [])  # nothing ticked: answered, 0 points
    sheet.set_value("info-posted", [])  # no defects found: answered, full marks
    record = sheet.score()
    assert record.items["act-themes"].answered and record.items["act-themes"].points == 0
    assert record.items["info-posted"].answered and record.items["info-posted"].points == 2
    assert "act-themes" not in record.unanswered and "info-posted" not in record.unanswered


def test_clear_removes_the_answer(sheet):
    sheet.set_value("site-safety", 1)
    sheet.clear("site-safety")
    assert "site-safety" not in sheet.answers.items


def test_record_round_trip_keeps_everything(sheet):
    fill_complete(sheet)
    sheet.set_na("facility-access")
    sheet.set_value("site-safety", 1)
    sheet.set_note("site-safety", "疏散标识缺失")
    sheet.set_veto("veto-fees", True, "收取讲解费")
    sheet.position = "site-safety"
    record = sheet.to_record()
    assert record["schema"] == RECORD_SCHEMA
    assert record["form"] == "edu-base-inspection" and record["form_version"] == 2
    assert record["answers"]["site-safety"] == {"value": 1, "na": False, "note": "疏散标识缺失"}
    assert record["vetoes"]["veto-fees"] == {"fired": True, "note": "收取讲解费"}
    assert record["score"]["grade"] == "不合格"
    again = Sheet.from_record(record, sheet.form)
    assert again.answers == sheet.answers
    assert again.to_record() == record
    assert (again.uuid, again.position, again.rater) == (sheet.uuid, "site-safety", "王建国")


def test_current_round_is_a_year():
    assert current_round().isdigit() and len(current_round()) == 4
