"""`fill --answers FILE`: good files store a sheet; bad ones list every problem, store nothing."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from inspect_kit.cli import cli
from inspect_kit.domain.sheet import Sheet
from inspect_kit.intake.answer_file import read_answer_file
from inspect_kit.intake.entries import AnswerFileError, apply_entries
from inspect_kit.store.store import Store, Subject

VETOES_CLEAR = (
    "vetoes: {veto-safety: false, veto-politics: false, veto-fees: false, "
    "veto-fraud: false, veto-inactive: false}\n"
)
GOOD = (
    """\
rater: 王建国
round: "2026"
sign-posted: 规范
info-posted: {value: [开放时间], note: 未公示开放时间}
site-fixed: 固定场所
site-safety: {value: 1, note: 一处灭火器过期}
facility-theme: 5
facility-updated: 有
facility-repair: 0
facility-youth: 2
facility-access: {na: true}
team-leader: 有
team-guides: 3
team-wulao: 有
team-training: 有
rules-posted: []
rules-emergency: 有预案有演练
rules-drill-date: 2026-03-01
rules-archive: 有
rules-funds: 经费稳定且专款专用
act-plan: 计划完整
act-log: [[2026-01-10, 主题教育1, 21], [2026-02-10, 主题教育2, 22], [2026-03-10, 主题教育3, 23],
  [2026-04-10, 主题教育4, 24], [2026-05-10, 主题教育5, 25], [2026-06-10, 主题教育6, 26],
  [2026-07-10, 主题教育7, 27], [2026-08-10, 主题教育8, 28], [2026-09-10, 主题教育9, 29],
  [2026-10-10, 主题教育10, 30], [2026-11-10, 主题教育11, 31], [2026-12-10, 主题教育12, 32]]
act-themes: [爱国主义, 法治, 科普]
act-partner: []
act-open-days: 310
out-visitors: 6000
out-satisfaction: 95
out-archive: []
out-report: 已报送
bonus-award: 1
bonus-brand: 否
bonus-media: 否
rectify-needed: 否
inspector-opinion: 总体良好
inspector-signature: 王建国
"""
    + VETOES_CLEAR
)


@pytest.fixture
def ws_store(workspace):
    store = Store(workspace)
    store.add_subjects([Subject("eb-001", "红星教育基地", "education-base")])
    return store


def invoke(workspace, *args, input=None):
    return CliRunner().invoke(cli, ["--workspace", str(workspace.root), *args], input=input)


def write(workspace, name, text):
    path = workspace.root / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_yaml_file_finalizes_a_sheet(workspace, ws_store):
    path = write(workspace, "a.yaml", GOOD)
    result = invoke(
        workspace, "fill", "edu-base-inspection", "--subject", "eb-001", "--answers", str(path)
    )
    assert result.exit_code == 0, result.output
    (doc,) = ws_store.submissions()
    assert (doc["rater"], doc["round"], doc["subject_name"]) == ("王建国", "2026", "红星教育基地")
    assert doc["answers"]["info-posted"] == {
        "value": ["开放时间"],
        "na": False,
        "note": "未公示开放时间",
    }
    assert doc["answers"]["facility-access"]["na"] is True
    assert doc["score"]["total"] == 98 and doc["score"]["bonus"] == 1
    assert doc["score"]["grade"] == "优秀"
    assert doc["answers"]["inspector-signature"]["signed_at"]
    assert ws_store.drafts() == []


def test_json_file_with_finalize_false_saves_a_draft(workspace, ws_store):
    data = {"sign-posted": "基本规范", "site-safety": {"value": 2}, "finalize": False}
    path = write(workspace, "a.json", json.dumps(data, ensure_ascii=False))
    result = invoke(
        workspace,
        "--db",
        str(workspace.db_path),
        "fill",
        "edu-base-inspection",
        "--subject",
        "eb-001",
        "--rater",
        "李秀英",
        "--answers",
        str(path),
    )
    assert result.exit_code == 0, result.output
    assert ws_store.submissions() == []
    (draft,) = ws_store.drafts("edu-base-inspection")
    assert draft["rater"] == "李秀英"
    assert draft["answers"]["sign-posted"]["value"] == "基本规范"
    assert draft["answers"]["site-safety"]["value"] == 2


def test_bad_file_lists_every_problem_with_its_line_and_stores_nothing(workspace, ws_store):
    text = (
        GOOD.replace("facility-theme: 5", "facility-theme: 7")
        .replace("team-guides: 3", "team-guides: abc")
        .replace("site-fixed: 固定场所", "site-fixd: 固定场所")
        .replace("sign-posted: 规范", "sign-posted: 很好")
    )
    path = write(workspace, "bad.yaml", text)
    result = invoke(
        workspace, "fill", "edu-base-inspection", "--subject", "eb-001", "--answers", str(path)
    )
    assert result.exit_code == 1
    out = result.output
    assert (
        f"{path}:5: site-fixd: 表单 edu-base-inspection 没有题目 site-fixd（是不是 site-fixed？）"
        in out
    )
    assert f"{path}:7: facility-theme: 得分应在 0 到 5 之间" in out
    assert f"{path}:13: team-guides: “abc”不是数字" in out
    assert f"{path}:3: sign-posted: “很好”不是可选项" in out
    assert "Traceback" not in out
    assert ws_store.submissions() == [] and ws_store.drafts() == []


def test_missing_required_and_missing_note_are_reported_when_finalizing(workspace, ws_store):
    text = GOOD.replace("team-guides: 3\n", "").replace(
        "site-safety: {value: 1, note: 一处灭火器过期}", "site-safety: 1"
    )
    path = write(workspace, "incomplete.yaml", text)
    result = invoke(
        workspace, "fill", "edu-base-inspection", "--subject", "eb-001", "--answers", str(path)
    )
    assert result.exit_code == 1
    assert f"{path}: team-guides: 必答项未回答" in result.output
    assert f"{path}:6: site-safety: 扣了 1 分，需要写扣分理由（note）" in result.output
    assert "finalize: false" in result.output
    assert ws_store.submissions() == [] and ws_store.drafts() == []


def test_unanswered_veto_blocks_finalizing(workspace, ws_store):
    path = write(workspace, "noveto.yaml", GOOD.replace(VETOES_CLEAR, ""))
    result = invoke(
        workspace, "fill", "edu-base-inspection", "--subject", "eb-001", "--answers", str(path)
    )
    assert result.exit_code == 1
    assert "veto-safety: 否决项未回答" in result.output


def test_vetoes_as_a_list_fire_the_listed_ones(workspace, ws_store):
    path = write(workspace, "veto.yaml", GOOD.replace(VETOES_CLEAR, "vetoes: [veto-fees]\n"))
    result = invoke(
        workspace, "fill", "edu-base-inspection", "--subject", "eb-001", "--answers", str(path)
    )
    assert result.exit_code == 0, result.output
    (doc,) = ws_store.submissions()
    assert doc["vetoes"]["veto-fees"]["fired"] is True
    assert doc["vetoes"]["veto-safety"]["fired"] is False
    assert doc["score"]["grade"] == "不合格"


def test_unknown_subject_and_wrong_form_are_plain_errors(workspace, ws_store):
    path = write(workspace, "a.yaml", GOOD + "form: five-good-committee\n")
    result = invoke(
        workspace, "fill", "edu-base-inspection", "--subject", "eb-001", "--answers", str(path)
    )
    assert result.exit_code == 1 and "form: 文件是表单 five-good-committee 的答案" in result.output
    result = invoke(
        workspace, "fill", "edu-base-inspection", "--subject", "nope", "--answers", str(path)
    )
    assert result.exit_code == 1 and "名册中没有对象 nope" in result.output


def test_yaml_syntax_error_is_located(workspace, ws_store):
    path = write(workspace, "broken.yaml", "sign-posted: 规范\nsite-fixed: [固定\n")
    result = invoke(
        workspace, "fill", "edu-base-inspection", "--subject", "eb-001", "--answers", str(path)
    )
    assert result.exit_code == 1
    assert f"{path}:" in result.output and "YAML syntax error" in result.output
    assert "Traceback" not in result.output


def test_photos_are_copied_and_a_missing_photo_is_an_error(workspace, ws_store):
    (workspace.root / "pics").mkdir()
    (workspace.root / "pics" / "sign.jpg").write_bytes(b"\xff\xd8\xffjpeg")
    path = write(workspace, "photo.yaml", GOOD + "site-photos: [pics/sign.jpg, pics/missing.jpg]\n")
    result = invoke(
        workspace, "fill", "edu-base-inspection", "--subject", "eb-001", "--answers", str(path)
    )
    assert result.exit_code == 1 and "找不到照片文件 pics/missing.jpg" in result.output
    assert not workspace.attachments_dir.exists()
    path = write(workspace, "photo.yaml", GOOD + "site-photos: [pics/sign.jpg]\n")
    result = invoke(
        workspace, "fill", "edu-base-inspection", "--subject", "eb-001", "--answers", str(path)
    )
    assert result.exit_code == 0, result.output
    (doc,) = ws_store.submissions()
    assert doc["answers"]["site-photos"]["attachments"] == ["sign.jpg"]
    assert (
        workspace.attachments_dir / doc["uuid"] / "sign.jpg"
    ).read_bytes() == b"\xff\xd8\xffjpeg"


def test_answer_for_a_hidden_item_is_dropped_with_a_warning(tmp_path, edu_form):
    path = tmp_path / "hidden.yaml"
    path.write_text("rectify-needed: 否\nrectify-items: 补台账\n", encoding="utf-8")
    parsed = read_answer_file(path)
    sheet = Sheet(
        form=edu_form.form,
        form_sha256=edu_form.sha256,
        subject="eb-001",
        subject_name="x",
        rater="r",
        round="2026",
    )
    applied = apply_entries(sheet, parsed.entries, parsed.vetoes, path=str(path), complete=False)
    assert applied.problems == []
    assert applied.dropped == ["rectify-items"]
    assert "rectify-items" not in sheet.answers.items


def test_nested_answers_of_a_stored_record_are_accepted(tmp_path, edu_form):
    record = {
        "uuid": "x",
        "form": "edu-base-inspection",
        "score": {},
        "status": "final",
        "answers": {"sign-posted": {"value": "规范", "na": False, "note": ""}},
        "vetoes": {"veto-fees": {"fired": False, "note": ""}},
    }
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    parsed = read_answer_file(path)
    assert parsed.problems == [] and parsed.form == "edu-base-inspection"
    assert parsed.entries["sign-posted"].value == "规范"
    assert parsed.vetoes["veto-fees"].fired is False


def test_top_level_list_is_refused(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(AnswerFileError, match="映射"):
        read_answer_file(path)
