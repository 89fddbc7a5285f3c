"""--lang en shows what the form says in English: option labels (label_en), defects
(defects_en), yes/no labels and grades (grade_en); answers stay stored in Chinese."""

from __future__ import annotations

import re

from click.testing import CliRunner

from inspect_kit.cli import cli
from inspect_kit.domain.answers import display_value, normalize_value
from inspect_kit.formfiles.loader import load_form_file
from inspect_kit.i18n.form_text import defect_labels, grade_for

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_builtin_checklist_names_its_defects_in_english(builtin_forms):
    checked = 0
    for loaded in builtin_forms.values():
        for _, item in loaded.form.iter_items():
            if item.type == "deduct" and item.defects:
                english = defect_labels(item, "en")
                assert len(english) == len(item.defects) and not any(map(CJK.search, english))
                assert defect_labels(item, "zh") == list(item.defects)
                checked += 1
    assert checked >= 15


def test_values_are_described_in_the_language_asked(edu_form):
    form = edu_form.form
    sign, info = form.item("sign-posted"), form.item("info-posted")
    assert display_value(sign, "不规范", "en") == "Non-compliant"
    assert display_value(sign, "不规范", "zh") == "不规范"
    assert display_value(info, ["功能介绍", "联系人"], "en") == "Functions; Contact person"
    assert display_value(info, ["功能介绍", "联系人"]) == "功能介绍、联系人"
    yesno = next(i for _, i in form.iter_items() if i.type == "yesno")
    assert not CJK.search(display_value(yesno, True, "en"))
    multi = next(i for _, i in form.iter_items() if i.type == "multi")
    chosen = [o.label for o in multi.options[:2]]
    assert display_value(multi, chosen, "en") == "; ".join(o.label_en for o in multi.options[:2])
    assert grade_for(form, "优秀", "en") == "Excellent"


def test_english_defect_names_are_stored_as_the_chinese_ones(edu_form):
    info = edu_form.form.item("info-posted")
    assert normalize_value(info, ["Contact person", "功能介绍"]) == ["功能介绍", "联系人"]


def test_defects_en_must_name_every_defect(workspace):
    path = workspace.forms_dir / "bad.yaml"
    path.write_text("""\
form: bad
version: 1
title: 表
subject: education-base
total: 2
grades: [{grade: 合格, min: 0}]
sections:
  - id: a
    title: 甲
    points: 2
    items:
      - {id: d, type: deduct, text: 制度, max: 2, defects: [甲, 乙], defects_en: [A]}
""", encoding="utf-8")  # fmt: skip
    from inspect_kit.base.errors import FormError

    try:
        load_form_file(path)
    except FormError as error:
        assert "defects_en" in str(error)
    else:
        raise AssertionError("a short defects_en was accepted")


def test_results_show_in_english_uses_the_forms_english(tmp_path):
    runner = CliRunner()
    base = ["--workspace", str(tmp_path)]
    assert runner.invoke(cli, [*base, "demo", "--subjects", "4", "--raters", "2", "--rounds", "1",
                               "--form", "edu-base-inspection"]).exit_code == 0  # fmt: skip
    import json

    docs = json.loads(runner.invoke(cli, [*base, "results", "list", "--json"]).output)
    doc = next(d for d in docs if d["answers"].get("info-posted", {}).get("value"))
    shown = runner.invoke(cli, [*base, "--lang", "en", "results", "show", doc["uuid"]]).output
    grade = {"优秀": "Excellent", "良好": "Good", "合格": "Pass", "不合格": "Fail"}
    assert f"Grade: {grade[doc['score']['grade']]}" in shown, shown
    ticked = doc["answers"]["info-posted"]["value"]
    if isinstance(ticked, list):
        english = ["Functions", "Opening hours", "Contact person"]
        names = dict(zip(["功能介绍", "开放时间", "联系人"], english, strict=True))
        assert "; ".join(names[t] for t in ticked) in shown
    chinese = runner.invoke(cli, [*base, "results", "show", doc["uuid"]]).output
    assert doc["score"]["grade"] in chinese
