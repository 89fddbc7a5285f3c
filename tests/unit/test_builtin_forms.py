"""The built-in forms as a 关工委 office reads them (issue 15): English for every text the UI
shows, whole or half points, 公文 quotes, the cap and the bonus rule stated, subject-aware rules
checked by the loader, and `forms show --json`."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from inspect_kit.base.errors import FormError
from inspect_kit.cli import cli
from inspect_kit.domain.model import METHODS
from inspect_kit.formfiles.loader import parse_form_text
from inspect_kit.i18n.form_text import METHOD_EN, UNIT_EN, YESNO_EN

CJK = re.compile(
    r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
)  # ideographs, CJK and full-width punctuation


def english_texts(form):
    """(where, English text or None) for every form text the UI shows in English."""
    yield "title", form.title_en
    yield "description", form.description_en
    for g in form.grades:
        yield f"grade {g.grade}", g.grade_en
    for v in form.vetoes:
        yield f"veto {v.id}", v.text_en
        if v.guidance:
            yield f"veto guidance {v.id}", v.guidance_en
    for section in form.sections:
        yield f"section {section.id}", section.title_en
        for item in section.items:
            yield f"item {item.id}", item.text_en
            if item.guidance:  # 检查要点, shown beside the input
                yield f"guidance {item.id}", item.guidance_en
            if item.hint:
                yield f"hint {item.id}", item.hint_en
            for option in getattr(item, "options", ()):
                yield f"option {item.id}/{option.label}", option.label_en
            if item.type == "deduct" and item.defects:
                assert len(item.defects_en) == len(item.defects), item.id
                for zh, en in zip(item.defects, item.defects_en, strict=True):
                    yield f"defect {item.id}/{zh}", en
            if item.type == "yesno":
                yes_no = YESNO_EN.get(tuple(item.labels))
                yield f"labels {item.id}", " / ".join(yes_no) if yes_no else None
            if getattr(item, "unit", None):
                yield f"unit {item.id}", UNIT_EN.get(item.unit)
            for method in item.methods:
                yield f"method {item.id}/{method}", METHOD_EN.get(method)


def test_every_builtin_form_has_english_for_every_text_the_ui_shows(builtin_forms):
    missing, chinese = [], []
    for stem, loaded in builtin_forms.items():
        for where, text in english_texts(loaded.form):
            if text is None:
                missing.append(f"{stem}: {where}")
            elif CJK.search(text):
                chinese.append(f"{stem}: {where}: {text}")
    assert missing == [] and chinese == []  # no Chinese character and no "，" in English


def test_the_english_lookups_fail_for_a_text_without_english(builtin_forms):
    # the check above can fail: a form missing one label_en is reported by name
    source = builtin_forms["four-oclock-school"].source
    form = parse_form_text(source.replace(", label_en: Regularly", "", 1))
    assert ("option lead-wulao/常态参与", None) in list(english_texts(form))
    line = (
        "        guidance_en: Check the tutor roster and duty rota. No roster deducts 3 points.\n"
    )
    form = parse_form_text(source.replace(line, "", 1))
    assert ("guidance staff-roster", None) in list(english_texts(form))
    assert set(METHOD_EN) == set(METHODS)


def test_five_goods_is_explained_once_in_english(builtin_forms):
    for stem in ("five-good-committee", "five-good-enterprise"):
        form = builtin_forms[stem].form
        assert "“Five Goods”" in form.title_en
        assert form.description_en.startswith("“Five Goods” are the five standards")


@pytest.mark.parametrize(
    "stem", ["edu-base-inspection", "five-good-committee", "five-good-enterprise",
             "four-oclock-school"],
)  # fmt: skip
def test_lang_en_forms_show_prints_no_chinese(workspace, stem):
    result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), "--lang", "en",
                                      "forms", "show", stem])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert not CJK.search(result.output), [line for line in result.output.splitlines()
                                           if CJK.search(line)]  # fmt: skip


def test_points_are_whole_or_half(builtin_forms):
    def half(x: float) -> bool:
        return abs(x * 2 - round(x * 2)) < 1e-9

    for stem, loaded in builtin_forms.items():
        for section, item in loaded.form.iter_items():
            values = [item.max_points]
            values += [o.points for o in getattr(item, "options", ())]
            values += [b.points for b in getattr(item, "bands", ())]
            values += [v for v in (getattr(item, "per", None), getattr(item, "step", None)) if v]
            assert all(map(half, values)), (stem, section.id, item.id, values)


def test_titles_use_full_width_quotes_and_state_cap_and_bonus_rule(builtin_forms):
    for stem, loaded in builtin_forms.items():
        form = loaded.form
        texts = [form.title, form.description or ""] + [s.title for s in form.sections]
        texts += [i.text for _, i in form.iter_items()]
        assert not any('"' in t for t in texts), stem  # “五好”, not "五好"
        # each form says its cap and whether the bonus counts, in so many words
        assert {"score_cap", "bonus_counts"} <= form.model_fields_set, stem
        assert form.score_cap == 100
        assert form.version == 2


def test_every_builtin_form_has_a_funding_item(builtin_forms):
    found = {stem: [i.id for _, i in lf.form.iter_items() if "经费" in i.text]
             for stem, lf in builtin_forms.items()}  # fmt: skip
    assert all(found.values()), found


BASE = """\
form: x
version: 1
title: 表
subject: education-base
total: 10
grades: [{grade: 合格, min: 0}]
sections:
  - id: s
    title: 部分
    points: 10
    items:
      - id: n
        type: number
        text: 场次
        bands:
          - {min: 5, points: 10}
          - {min: 0, points: 0}
          - {min: 3, points: 10, when: "subject.level == '乡镇级'"}
          - {min: 0, points: 0, when: "subject.level == '乡镇级'"}
      - id: t
        type: text
        text: 说明
        show_if: "subject.tags contains '学校'"
"""


def test_subject_names_in_conditions_and_bands_load():
    form = parse_form_text(BASE)
    assert form.item("t").show_if == "subject.tags contains '学校'"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("subject.tags contains", "subject.tag contains", "unknown subject fact 'subject.tag'"),
        ("when: \"subject.level == '乡镇级'\"}\n          - {min: 0",
         "when: \"n == 1\"}\n          - {min: 0", "may name only subject"),
        ("          - {min: 5, points: 10}\n          - {min: 0, points: 0}\n", "",
         "give default bands without `when`"),
    ],
)  # fmt: skip
def test_the_loader_checks_subject_names_and_band_conditions(old, new, message):
    assert old in BASE
    with pytest.raises(FormError) as exc:
        parse_form_text(BASE.replace(old, new, 1))
    assert any(message in p.message for p in exc.value.problems), exc.value.problems


def test_forms_show_json_prints_the_loaded_form_as_data(workspace, builtin_forms):
    for stem, loaded in builtin_forms.items():
        result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), "forms", "show",
                                          stem, "--json"])  # fmt: skip
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        form = loaded.form
        assert (data["form"], data["version"], data["sha256"]) == (stem, form.version,
                                                                   loaded.sha256)  # fmt: skip
        assert data["score_cap"] == form.score_cap and data["bonus_counts"] == form.bonus_counts
        assert sum(s["points"] for s in data["sections"] if not s["bonus"]) == form.total
        for section, shown in zip(form.sections, data["sections"], strict=True):
            assert (shown["id"], shown["bonus"], shown["title_en"]) == (
                section.id, section.bonus, section.title_en)  # fmt: skip
            for item, entry in zip(section.items, shown["items"], strict=True):
                assert (entry["id"], entry["type"], entry["text"], entry["text_en"]) == (
                    item.id, item.type, item.text, item.text_en)  # fmt: skip
                assert entry["points"] == item.max_points and entry["bonus"] == section.bonus
        assert [v["id"] for v in data["vetoes"]] == [v.id for v in form.vetoes]
    # the level-aware bands come through with their condition
    edu = json.loads(
        CliRunner()
        .invoke(
            cli,
            ["--workspace", str(workspace.root), "forms", "show", "edu-base-inspection", "--json"],
        )
        .output
    )
    act = next(i for s in edu["sections"] for i in s["items"] if i["id"] == "act-log")
    assert {"min": 8, "points": 8, "when": "subject.level in ['乡镇级', '街道级', '村级', '社区级']"
            } in act["bands"]  # fmt: skip
