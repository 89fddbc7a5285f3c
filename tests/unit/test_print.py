"""`results print` (one sheet's 检查记录表) and `forms print` (the blank paper form): A4 PDFs
whose text holds every item, answer and reason, and whose column names fit import-sheets."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader
from test_report import A4, assert_a4, assert_no_type3, pdf_text, squash

from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    from inspect_kit.base.paths import Workspace
    from inspect_kit.store.store import Store

    root = tmp_path_factory.mktemp("ws")
    store = Store(Workspace(root))
    forms = [f for f in demo_forms() if f.form.form == "edu-base-inspection"]
    roster, finals, _ = build_demo(
        forms, DemoPlan(subjects=2, raters=2, rounds=1, seed=4, drafts=0, self_assessments=0)
    )
    sheet = finals[0][0]
    sheet.set_veto(forms[0].form.vetoes[0].id, True, "情况 #eval(1) *说明* $x$ ]")
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    return root, store


def _cli(root, *args):
    from click.testing import CliRunner

    from inspect_kit.cli import cli

    return CliRunner().invoke(cli, ["--workspace", str(root), *args])


def test_results_print_is_an_a4_record_with_every_item(printed, tmp_path):
    root, store = printed
    doc = next(d for d in store.submissions() if d["score"]["vetoes"])
    out = tmp_path / "记录.pdf"
    result = _cli(root, "results", "print", doc["uuid"][:8], "--out", str(out))
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    reader = PdfReader(out)
    assert_a4(reader)
    assert_no_type3(out)
    text = squash(pdf_text(out))
    form = store.stored_form(doc["form_sha256"])
    for _, item in form.iter_items():
        if item.type != "note":
            assert squash(item.text) in text, item.text
    for answer in doc["answers"].values():
        if answer.get("note"):
            assert squash(answer["note"]) in text
    assert squash("情况 #eval(1) *说明* $x$ ]") in text  # the veto's note, literally
    assert doc["score"]["grade"] in text and "不合格" in text
    assert "检查人（签名）" in text and "被检查单位负责人（签名）" in text
    bonus = {i.text for s in form.bonus_sections for i in s.items}
    for line in pdf_text(out).splitlines():
        if "未写理由" in line:
            assert not any(b in line for b in bonus)


def test_results_print_default_path_and_errors(printed):
    root, store = printed
    doc = store.submissions()[0]
    result = _cli(root, "results", "print", doc["uuid"])
    assert result.exit_code == 0, result.output
    [path] = list((root / "results" / "prints").glob(f"*{doc['uuid'][:8]}*.pdf"))
    assert str(path) in result.output
    assert _cli(root, "results", "print", "no-such-sheet").exit_code == 1
    bad = _cli(root, "results", "print", doc["uuid"], "--out", str(root / "x.txt"))
    assert bad.exit_code == 1 and ".pdf" in bad.output


@pytest.mark.parametrize("form_id", [f.form.form for f in demo_forms()])
def test_forms_print_is_a_blank_a4_form_with_import_columns(printed, tmp_path, form_id):
    from inspect_kit.base.errors import Located
    from inspect_kit.intake.csv_sheets import CSV_META, _csv_columns

    root, _ = printed
    out = tmp_path / f"{form_id}.pdf"
    result = _cli(root, "forms", "print", form_id, "--out", str(out))
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    assert_a4(reader)
    assert_no_type3(out)
    text = pdf_text(out)
    form = next(f.form for f in demo_forms() if f.form.form == form_id)
    columns = set(re.findall(r"\[([a-z0-9:.\-]+)\]", squash(text)))
    for _, item in form.iter_items():
        if item.type != "note":
            assert item.id in columns, item.id
    for veto in form.vetoes:
        assert f"veto:{veto.id}" in columns and f"veto:{veto.id}.note" in columns
    # Every printed column name is one import-sheets reads.
    problems: list[Located] = []
    header = sorted(columns)
    parsed = _csv_columns(form, header, "x.csv", problems)
    assert problems == []
    assert not parsed["ignored"]
    assert {"subject", "rater", "round", "role"} <= columns and set(CSV_META) >= {"subject"}
    assert squash(form.title) in squash(text)


def test_a4_constant_is_portrait_points():
    assert A4 == (595.28, 841.89)
