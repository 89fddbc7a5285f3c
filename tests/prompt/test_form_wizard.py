"""`forms new`: the wizard writes a commented form that validates, loads and scores."""

from __future__ import annotations

from conftest import CTRL_C, CTRL_U, DOWN, ENTER

from inspect_kit.domain.sheet import Sheet
from inspect_kit.formfiles.catalog import FormCatalog
from inspect_kit.formfiles.loader import load_form_file, parse_form_text
from inspect_kit.formfiles.render import FormSpec, ItemSpec, SectionSpec, render_form_yaml
from inspect_kit.prompt.wizard import run_form_wizard
from inspect_kit.prompt.wizard_input import parse_bands, parse_options


def wizard_keys(form_id: str = "my-form", confirm_write: str = ENTER) -> str:
    # fmt: off
    return "".join([
        form_id, ENTER, "测试评分表", ENTER,
        ENTER,                                   # subject kind: education-base
        CTRL_U, "10", ENTER,                     # total
        ENTER,                                   # grade preset 优秀/良好/合格/不合格
        ENTER,                                   # deduction notes required
        "一、甲", ENTER, ENTER, CTRL_U, "6", ENTER,  # section 1: title, id part-1, 6 points
        ENTER, "有标牌", ENTER, ENTER, CTRL_U, "2", ENTER, DOWN, ENTER,  # yesno 2 pts, 有/无
        ENTER,                                   # 6 not reached: one more item
        DOWN, ENTER, "场所", ENTER, ENTER, ENTER,  # choice, default options 3/2/0
        ENTER,                                   # one more item
        DOWN * 4, ENTER, "隐患", ENTER, ENTER, CTRL_U, "1", ENTER, ENTER, "", ENTER,  # deduct 1
        "n",                                     # no more items in section 1
        "y",                                     # 4 points left: another section
        "二、乙", ENTER, ENTER, ENTER,             # section 2: title, id part-2, 4 points
        DOWN * 3, ENTER, "设施", ENTER, ENTER, CTRL_U, "4", ENTER, ENTER,  # score 0-4
        "n",
        "y",                                     # a bonus section
        ENTER, ENTER, CTRL_U, "2", ENTER,        # title 加分项, id bonus, cap 2
        DOWN * 5, ENTER, "表彰次数", ENTER, ENTER, "次", ENTER, DOWN, ENTER, ENTER,
        CTRL_U, "2", ENTER,                      # number, per 1, max 2
        "n",
        "y", "安全事故", ENTER, "n",               # one veto
        confirm_write,
    ])
    # fmt: on


def test_wizard_writes_a_form_that_validates_loads_and_scores(drive, workspace):
    run = drive(lambda **io: run_form_wizard(workspace.forms_dir, **io), wizard_keys())
    path = workspace.forms_dir / "my-form.yaml"
    assert run.result == path
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 测试评分表") and "# 触发一票否决时的等次" in text
    loaded = FormCatalog(workspace).get("my-form")
    form = loaded.form
    assert (form.total, form.bonus_cap, form.subject) == (10, 2, "education-base")
    assert [g.grade for g in form.grades] == ["优秀", "良好", "合格", "不合格"]
    assert [g.min for g in form.grades] == [9, 8, 6, 0]
    assert [s.points for s in form.scored_sections] == [6, 4]
    assert [i.type for _, i in form.iter_items()] == [
        "yesno",
        "choice",
        "deduct",
        "score",
        "number",
    ]
    assert form.item("part-1-1").labels == ("有", "无")
    assert [v.text for v in form.vetoes] == ["安全事故"]
    assert "part-1-1 [yesno，2 分] 有标牌" in run.text

    sheet = Sheet(
        form=form, form_sha256=loaded.sha256, subject="x", subject_name="x", rater="r", round="2026"
    )
    for item_id, value in [
        ("part-1-1", "有"),
        ("part-1-2", "规范"),
        ("part-1-3", 0),
        ("part-2-1", 3.5),
        ("bonus-1", 5),
    ]:
        sheet.set_value(item_id, value)
    sheet.set_note("part-2-1", "略有不足")
    sheet.set_veto("veto-1", False)
    record = sheet.score()
    assert (record.total, record.bonus, record.grade) == (9.5, 2, "优秀")
    assert sheet.blockers() == []


def test_wizard_never_overwrites_without_asking(drive, workspace):
    path = workspace.forms_dir / "my-form.yaml"
    path.write_text("# mine\n", encoding="utf-8")
    run = drive(
        lambda **io: run_form_wizard(workspace.forms_dir, **io), wizard_keys(confirm_write=ENTER)
    )
    assert run.result is None
    assert path.read_text(encoding="utf-8") == "# mine\n"
    assert "已存在" in run.text or "没有写入" in run.text


def test_wizard_overwrites_when_confirmed(drive, workspace):
    path = workspace.forms_dir / "my-form.yaml"
    path.write_text("# mine\n", encoding="utf-8")
    drive(lambda **io: run_form_wizard(workspace.forms_dir, **io), wizard_keys(confirm_write="y"))
    assert load_form_file(path).form.form == "my-form"


def test_ctrl_c_in_the_wizard_writes_nothing(drive, workspace):
    import pytest

    with pytest.raises(KeyboardInterrupt):
        drive(lambda **io: run_form_wizard(workspace.forms_dir, **io), "abc" + ENTER + CTRL_C)
    assert list(workspace.forms_dir.iterdir()) == []


def test_rendered_yaml_quotes_awkward_text_and_custom_grades():
    spec = FormSpec(
        form="odd",
        title='标题: "引号" # 不是注释',
        subject="committee",
        total=5,
        grades=[("示范", 4, 0.6), ("未达标", 0, None)],
    )
    spec.sections = [
        SectionSpec(
            "s",
            "一、",
            5,
            items=[
                ItemSpec("s-1", "choice", "a: b", {"options": parse_options("好=3; 中=1；差=0")}),
                ItemSpec(
                    "s-2",
                    "number",
                    "次数",
                    {"unit": "次", "integer": True, "bands": parse_bands("0=0; 5=2")},
                ),
            ],
        )
    ]
    form = parse_form_text(render_form_yaml(spec))
    assert form.title == '标题: "引号" # 不是注释'
    assert form.item("s-1").text == "a: b"
    assert [b.min for b in form.item("s-2").bands] == [5, 0]
    assert form.grades[0].section_min == 0.6
