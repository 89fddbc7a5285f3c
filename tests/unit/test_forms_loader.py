"""The form loader: built-in forms load, and every kind of bad input becomes one located FormError.

Each bad case edits a built-in form in one place, so the expected line is computed from the text
(never hard-coded) and the test names the rule that is broken.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from inspect_kit.base.errors import FormError, FormNotFound, Located
from inspect_kit.base.paths import Workspace
from inspect_kit.domain.model import Form
from inspect_kit.formfiles.catalog import FormCatalog
from inspect_kit.formfiles.loader import (
    MAX_FORM_BYTES,
    load_form_file,
    parse_form_text,
    sha256_text,
)

REPO = Path(__file__).resolve().parents[2]
FORMS = REPO / "forms"
BUILTIN = {
    "edu-base-inspection": (100, 5, ["优秀", "良好", "合格", "不合格"]),
    "five-good-committee": (100, 5, ["示范", "达标", "未达标"]),
    "five-good-enterprise": (100, 0, ["五星", "示范", "达标", "未达标"]),
    "four-oclock-school": (100, 0, ["三星", "二星", "一星", "不评星"]),
}


def edu_text() -> str:
    return (FORMS / "edu-base-inspection.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth occurrence of `needle`."""
    start = -1
    for _ in range(nth):
        start = text.index(needle, start + 1)
    return text[:start].count("\n") + 1


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def problems_of(text: str, name: str = "BAD.yaml") -> list[Located]:
    with pytest.raises(FormError) as info:
        parse_form_text(text, name)
    assert info.value.problems, "a FormError must carry at least one problem"
    return info.value.problems


def only(problems: list[Located]) -> Located:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# ---------------------------------------------------------------- the built-in forms


@pytest.mark.parametrize("stem", sorted(BUILTIN))
def test_builtin_form_loads_with_its_id_total_and_grades(stem):
    loaded = load_form_file(FORMS / f"{stem}.yaml", builtin=True)
    total, bonus_cap, grades = BUILTIN[stem]
    form = loaded.form
    assert form.form == stem
    assert form.total == total
    assert form.bonus_cap == bonus_cap
    assert [g.grade for g in form.grades] == grades
    assert form.veto_grade == grades[-1]
    assert sum(s.points for s in form.scored_sections) == form.total
    assert loaded.sha256 == sha256_text(loaded.source)
    assert form.title_en and all(s.title_en for s in form.sections)


def test_catalog_scan_finds_the_four_builtin_forms_and_nothing_broken(workspace):
    forms, broken = FormCatalog(workspace).scan()
    assert {lf.form.form for lf in forms} == set(BUILTIN)
    assert broken == []
    assert all(lf.builtin for lf in forms)


def test_catalog_prefers_a_workspace_form_over_the_builtin_one(workspace):
    text = edit(edu_text(), "version: 2", "version: 7")
    (workspace.forms_dir / "edu-base-inspection.yaml").write_text(text, encoding="utf-8")
    loaded = FormCatalog(workspace).get("edu-base-inspection")
    assert loaded.form.version == 7 and not loaded.builtin


def test_catalog_reports_an_unknown_form_id_with_the_known_ones(workspace):
    with pytest.raises(FormNotFound, match="edu-base-inspection"):
        FormCatalog(workspace).get("no-such-form")


def test_form_model_is_immutable(edu_form):
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance ValidationError
        edu_form.form.total = 50  # type: ignore[misc]
    assert isinstance(edu_form.form, Form)


# ---------------------------------------------------------------- bad YAML and bad files


def test_yaml_syntax_error_gives_its_line():
    problem = only(problems_of("form: x\nversion: 1\ntitle: [unclosed\nsubject: y\n"))
    assert problem.line is not None and 3 <= problem.line <= 4
    assert "YAML syntax error" in problem.message


def test_tab_indentation_is_refused_with_its_line():
    text = edit(edu_text(), "\n  method: trimmed-mean", "\n\tmethod: trimmed-mean")
    problem = only(problems_of(text))
    assert problem.line == line_of(text, "\tmethod")
    assert "tab" in problem.message


@pytest.mark.parametrize("text", ["", "\n\n   \n", "# only a comment\n# and another\n"])
def test_empty_or_comment_only_file_is_one_located_problem(text):
    problem = only(problems_of(text))
    assert problem.line == 1
    assert "empty" in problem.message
    assert str(problem).startswith("BAD.yaml:1: ")


@pytest.mark.parametrize(
    ("text", "kind"),
    [("- form: x\n- form: y\n", "a list"), ("just words\n", "a str"), ("42\n", "a int")],
)
def test_top_level_must_be_a_mapping(text, kind):
    problem = only(problems_of(text))
    assert problem.line == 1
    assert kind in problem.message and "mapping" in problem.message


def test_non_utf8_file_names_the_line_of_the_first_bad_byte(tmp_path):
    text = edu_text()
    path = tmp_path / "gbk.yaml"
    # First line is a Chinese comment: the first non-UTF-8 byte is on line 1.
    path.write_bytes(text.encode("gbk"))
    with pytest.raises(FormError) as info:
        load_form_file(path)
    problem = only(info.value.problems)
    assert problem.line == 1 and "UTF-8" in problem.message
    assert str(problem).startswith(f"{path}:1: ")

    # ...and a later line when the first lines are ASCII.
    ascii_head = "form: x\nversion: 1\ntitle: 标题\n".encode("gbk")
    path.write_bytes(ascii_head)
    with pytest.raises(FormError) as info:
        load_form_file(path)
    assert only(info.value.problems).line == 3


def test_utf8_with_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + edu_text().encode("utf-8"))
    assert load_form_file(path).form.form == "edu-base-inspection"


def test_duplicate_key_names_the_line_of_the_duplicate():
    text = edit(edu_text(), "bonus_cap: 5\n", "bonus_cap: 5\ntotal: 100\n")
    problem = only(problems_of(text))
    assert problem.line == line_of(text, "total: 100", nth=2)
    assert problem.where == "total"
    assert "duplicate key 'total'" in problem.message


def test_duplicate_key_inside_an_item_names_that_line():
    text = edit(edu_text(), "        max: 5\n        step: 0.5\n",
                "        max: 5\n        step: 0.5\n        max: 7\n")  # fmt: skip
    problem = only(problems_of(text))
    assert problem.line == line_of(text, "        max: 7")
    assert problem.where == "sections[2].items[0].max"
    assert "duplicate key 'max'" in problem.message


def test_billion_laughs_alias_bomb_is_refused_quickly():
    bomb = "form: x\n" + 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    prev = "a"
    for n in "bcdefghi":
        bomb += f"{n}: &{n} [" + ",".join([f"*{prev}"] * 9) + "]\n"
        prev = n
    problem = only(problems_of(bomb))
    assert problem.line == 3  # the first alias
    assert "alias" in problem.message


def test_multi_megabyte_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("form: x\ndescription: " + "很" * (2 * 1024 * 1024 // 3 + 10) + "\n",
                    encoding="utf-8")  # fmt: skip
    assert path.stat().st_size > 2_000_000 > MAX_FORM_BYTES
    with pytest.raises(FormError) as info:
        load_form_file(path)
    problem = only(info.value.problems)
    assert problem.line == 1 and "larger than" in problem.message
    # parse_form_text has the same guard for text that never touched a file
    assert "larger than" in only(problems_of(path.read_text(encoding="utf-8"))).message


def test_missing_file_is_form_not_found(tmp_path):
    with pytest.raises(FormNotFound):
        load_form_file(tmp_path / "nope.yaml")


# ---------------------------------------------------------------- types and keys


def test_wrong_type_names_line_and_item_path():
    text = edit(edu_text(), "        labels: [有, 无]\n        points: 2\n",
                '        labels: [有, 无]\n        points: "five"\n')  # fmt: skip
    problem = only(problems_of(text))
    assert problem.where == "sections[2].items[1].points"
    assert problem.line == line_of(text, 'points: "five"')
    assert "number" in problem.message


def test_unknown_key_names_its_line_and_path():
    text = edit(edu_text(), "        max: 5\n        step: 0.5\n",
                "        max: 5\n        step: 0.5\n        colour: red\n")  # fmt: skip
    problem = only(problems_of(text))
    assert problem.where == "sections[2].items[0].colour"
    assert problem.line == line_of(text, "colour: red")
    assert "unknown key" in problem.message


def test_unknown_item_type_lists_the_known_types():
    text = edit(edu_text(), "type: score", "type: rating")
    problem = only(problems_of(text))
    assert problem.where == "sections[2].items[0]"
    assert problem.line == line_of(text, "- id: facility-theme")
    assert "'rating'" in problem.message and "yesno" in problem.message


def test_item_without_type_is_located():
    text = edit(edu_text(), "        type: score\n", "")
    problem = only(problems_of(text))
    assert problem.where == "sections[2].items[0]" and "type" in problem.message


def test_missing_required_key_names_the_key():
    # `text` is also an item type name; the path must still end in `.text`
    text = edit(edu_text(), "        text: 展陈、教学或实践设施与教育主题相符\n", "")
    problem = only(problems_of(text))
    assert problem.where == "sections[2].items[0].text"
    assert "missing" in problem.message
    assert problem.line == line_of(text, "- id: facility-theme")


def test_missing_form_level_key():
    text = edit(edu_text(), "subject: education-base\n", "")
    problem = only(problems_of(text))
    assert problem.where == "subject" and "missing" in problem.message


def test_id_with_capitals_is_refused():
    text = edit(edu_text(), "id: facility-theme", "id: Facility-Theme")
    problem = only(problems_of(text))
    assert problem.where == "sections[2].items[0].id"
    assert problem.line == line_of(text, "id: Facility-Theme")
    assert "lowercase" in problem.message


# ---------------------------------------------------------------- rules between fields


def test_sections_points_not_adding_up_to_total_points_at_total():
    text = edit(edu_text(), "total: 100", "total: 90")
    problem = only(problems_of(text))
    assert problem.where == "total"
    assert problem.line == line_of(text, "total: 90")
    assert "100" in problem.message and "90" in problem.message


def test_section_points_must_equal_its_items_full_marks():
    text = edit(edu_text(), "    points: 13\n    items:\n      - id: facility-theme",
                "    points: 14\n    items:\n      - id: facility-theme")  # fmt: skip
    problems = problems_of(text)
    by_where = {p.where: p for p in problems}
    assert by_where["sections[2].points"].line == line_of(text, "points: 14")
    assert "13" in by_where["sections[2].points"].message
    assert "total" in by_where  # 101 no longer adds up to 100: both reported at once


def test_scale_true_allows_items_full_marks_to_differ():
    text = edit(
        edu_text(),
        "    points: 13\n    items:\n      - id: facility-theme",
        "    points: 13\n    scale: true\n    items:\n      - id: facility-theme",
    )
    text = edit(text, "        max: 5\n        step: 0.5", "        max: 12\n        step: 0.5")
    form = parse_form_text(text, "ok.yaml")
    # items 12 + 2 + 3 + 2 + 1 = 20 full marks, scaled to the section's 13
    assert form.sections[2].max_raw == 20 and form.sections[2].points == 13


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("id: site-safety\n", "id: sign-posted\n", "- id: sign-posted\n"),  # item vs item
        ("  - id: rules\n", "  - id: sign\n", "- id: sign\n"),  # section vs section
        ("id: veto-fees\n", "id: team\n", "- id: team\n"),  # veto vs section
        ("id: info-posted\n", "id: sign\n", "- id: sign\n"),  # item vs section
    ],
)
def test_duplicate_ids_anywhere_are_refused(old, new, needle):
    text = edit(edu_text(), old, new)
    problems = problems_of(text)
    dup = [p for p in problems if "already used" in p.message]
    assert len(dup) == 1, [str(p) for p in problems]
    assert dup[0].where.endswith(".id")
    assert dup[0].line == line_of(text, needle, nth=2)  # the second use is the one reported


def test_option_points_above_the_items_max():
    text = edit(edu_text(), "{label: 爱国主义, label_en: Patriotism, points: 2}",
                "{label: 爱国主义, label_en: Patriotism, points: 7}")  # fmt: skip
    problem = only(problems_of(text))
    assert problem.where == "sections[5].items[2].options[0].points"
    assert problem.line == line_of(text, "Patriotism, points: 7}")
    assert "full marks 6" in problem.message


def test_grades_must_descend():
    text = edit(edu_text(), "min: 80, section_min: 0.6", "min: 95, section_min: 0.6")
    problem = only(problems_of(text))
    assert problem.where == "grades[1].min"
    assert problem.line == line_of(text, "min: 95")


def test_last_grade_must_reach_zero():
    text = edit(edu_text(), "grade_en: Fail, min: 0}", "grade_en: Fail, min: 10}")
    problem = only(problems_of(text))
    assert problem.where == "grades[3].min" and "min: 0" in problem.message


@pytest.mark.parametrize("value", ["1.5", "-0.1"])
def test_section_min_outside_zero_to_one(value):
    text = edit(edu_text(), "min: 90, section_min: 0.6", f"min: 90, section_min: {value}")
    problem = only(problems_of(text))
    assert problem.where == "grades[0].section_min"
    assert problem.line == line_of(text, f"section_min: {value}")


def test_veto_grade_must_be_a_grade():
    text = edit(edu_text(), "veto_grade: 不合格", "veto_grade: 很差")
    problem = only(problems_of(text))
    assert problem.where == "veto_grade" and "很差" in problem.message
    assert problem.line == line_of(text, "veto_grade: 很差")


def test_panel_trim_too_large_for_min_raters():
    text = edit(edu_text(), "  trim: 1\n", "  trim: 3\n")
    problem = only(problems_of(text))
    assert problem.where == "panel.trim"
    assert problem.line == line_of(text, "trim: 3")


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [("  method: trimmed-mean", "  method: average", "panel.method"),
     ("  veto: any", "  veto: some", "panel.veto"),
     ("  min_raters: 5", "  min_raters: 5\n  colour: red", "panel.colour")],
)  # fmt: skip
def test_panel_keys_are_checked(old, new, where):
    assert only(problems_of(edit(edu_text(), old, new))).where == where


SHOW_IF = "show_if: \"rules-emergency == '有预案有演练'\""


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ("rules-emergncy == '有预案有演练'", "unknown item"),  # typo: an item that does not exist
        ("rules-emergency = '有预案有演练'", "=="),  # does not parse
        ("__import__('os').system('true')", "not an item id"),  # no calls
        ("rules-drill-date == '2026-01-01'", "unknown item"),  # an item cannot depend on itself
    ],
)
def test_show_if_must_name_existing_items_and_parse(condition, words):
    text = edit(edu_text(), SHOW_IF, f'show_if: "{condition}"')
    problem = only(problems_of(text))
    assert problem.where == "sections[4].items[2].show_if"
    assert problem.line == line_of(text, 'show_if: "' + condition[:8])
    assert words in problem.message


def test_several_problems_are_reported_at_once():
    text = edit(edu_text(), "total: 100", "total: 90")
    text = edit(text, "veto_grade: 不合格", "veto_grade: 很差")
    text = edit(text, "  trim: 1\n", "  trim: 3\n")
    text = edit(text, SHOW_IF, 'show_if: "nothing-here == 1"')
    problems = problems_of(text)
    assert {p.where for p in problems} >= {"total", "veto_grade", "panel.trim",
                                           "sections[4].items[2].show_if"}  # fmt: skip
    # ...and several type errors at once too
    text = edit(edu_text(), "id: facility-theme", "id: Facility-Theme")
    text = edit(text, "        max: 5\n        step: 0.5", '        max: "six"\n        step: 0.5')
    assert {p.where for p in problems_of(text)} == {
        "sections[2].items[0].id", "sections[2].items[0].max"}  # fmt: skip


def test_every_problem_prints_as_file_line_path_message():
    text = edit(edu_text(), "total: 100", "total: 90")
    problem = only(problems_of(text, "forms/x.yaml"))
    assert str(problem) == (
        f"forms/x.yaml:{line_of(text, 'total: 90')}: total: "
        "sections' points add up to 100, but total is 90"
    )


# ---------------------------------------------------------------- the CLI face of it

BAD_CASES = {
    "syntax": ("form: x\ntitle: [oops\nsubject: y\n", None),
    "tab": (edit(edu_text(), "\n  trim: 1", "\n\ttrim: 1"), None),
    "empty": ("", None),
    "comment": ("# nothing\n", None),
    "list": ("- a\n- b\n", None),
    "duplicate": (edit(edu_text(), "bonus_cap: 5\n", "bonus_cap: 5\nbonus_cap: 6\n"), "bonus_cap"),
    "alias": ("form: &f x\nid: *f\n", None),
    "points": (edit(edu_text(), "        points: 2\n", '        points: "five"\n'),
               "sections[2].items[1].points"),
    "unknown key": (edit(edu_text(), "  trim: 1\n", "  trim: 1\n  trimm: 1\n"), "panel.trimm"),
    "total": (edit(edu_text(), "total: 100", "total: 99"), "total"),
    "show_if": (edit(edu_text(), SHOW_IF, 'show_if: "ghost == 1"'), "sections[4].items[2].show_if"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_cli_validate_bad_file_exits_1_with_file_line_and_path(case, tmp_path):
    from inspect_kit.cli import cli

    text, where = BAD_CASES[case]
    path = tmp_path / "BAD.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--workspace", str(tmp_path), "forms", "validate", str(path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert re.search(r"BAD\.yaml:\d+: ", result.output), result.output
    if where:
        assert f": {where}: " in result.output


@pytest.mark.parametrize("payload", ["gbk", "big"])
def test_cli_validate_binary_and_huge_files(payload, tmp_path):
    from inspect_kit.cli import cli

    path = tmp_path / "BAD.yaml"
    if payload == "gbk":
        path.write_bytes(edu_text().encode("gbk"))
    else:
        path.write_bytes(b"form: x\n#" + b"x" * 2_100_000 + b"\n")
    result = CliRunner().invoke(cli, ["--workspace", str(tmp_path), "forms", "validate", str(path)])
    assert result.exit_code == 1
    assert "BAD.yaml:1: " in result.output and "Traceback" not in result.output


def test_cli_validate_builtin_forms_exits_0(tmp_path):
    from inspect_kit.cli import cli

    result = CliRunner().invoke(cli, ["--workspace", str(tmp_path), "forms", "validate"])
    assert result.exit_code == 0, result.output
    assert result.output.count("✓") == 4


def test_catalog_lists_a_broken_workspace_form_without_failing(tmp_path):
    ws = Workspace(tmp_path)
    ws.forms_dir.mkdir()
    (ws.forms_dir / "broken.yaml").write_text("- not a form\n", encoding="utf-8")
    forms, broken = FormCatalog(ws).scan()
    assert len(forms) == 4
    assert len(broken) == 1 and broken[0].problems[0].path.endswith("broken.yaml")
