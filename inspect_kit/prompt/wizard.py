"""`inspect-kit forms new`: a questionary wizard that writes a commented form YAML file.

The questions build a `FormSpec` (plain data); `formfiles.render.render_form_yaml` turns it into
the YAML text (DESIGN §3 keys, with comments), which is validated with `parse_form_text` before
anything is written. An existing file is never overwritten without asking.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

from inspect_kit.base.errors import FormError, InspectKitError
from inspect_kit.domain.model import ITEM_TYPES
from inspect_kit.formfiles.loader import parse_form_text
from inspect_kit.formfiles.render import (
    FormSpec,
    ItemSpec,
    SectionSpec,
    render_form_yaml,
    structure_lines,
)
from inspect_kit.prompt.io import Prompter
from inspect_kit.prompt.wizard_input import number, parse_bands, parse_options, validator

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
EPS = 1e-9

GRADE_PRESETS: dict[str, list[tuple[str, float, float | None]]] = {
    "优秀/良好/合格/不合格": [
        ("优秀", 90, 0.6),
        ("良好", 80, 0.6),
        ("合格", 60, None),
        ("不合格", 0, None),
    ],
    "示范/达标/未达标": [("示范", 90, 0.6), ("达标", 60, None), ("未达标", 0, None)],
    "三星/二星/一星/不评星": [
        ("三星", 90, None),
        ("二星", 80, None),
        ("一星", 60, None),
        ("不评星", 0, None),
    ],
}
SUBJECT_KINDS = {
    "education-base": "校外教育阵地 / 教育基地",
    "committee": "“五好”关工委（乡镇街道、村社区、学校）",
    "enterprise": "“五好”民营企业关工委",
    "four-oclock-school": "四点钟学校 / 假日学校",
}
TYPE_TITLES = {
    "yesno": "是/否",
    "choice": "单选（每个选项一个分数）",
    "multi": "多选（勾选项分数相加）",
    "score": "打分（0 到满分）",
    "deduct": "扣分（每处问题扣几分，扣完为止）",
    "number": "数量（按档次或按个数计分）",
    "text": "文字（不计分）",
    "date": "日期（不计分）",
    "photo": "照片（不计分）",
    "signature": "签名（不计分）",
    "note": "说明文字（不作答）",
}


# ---------------------------------------------------------------- the wizard


class FormWizard:
    def __init__(
        self, forms_dir: Path, prompter: Prompter, known_ids: AbstractSet[str] = frozenset()
    ):
        self.forms_dir = forms_dir
        self.ask = prompter
        self.say = prompter.say
        self.known_ids = set(known_ids)
        self.used_ids: set[str] = set()

    def run(self) -> Path | None:
        """Ask everything, validate, show the structure, write; None when nothing was written."""
        spec = self.ask_form()
        text = render_form_yaml(spec)
        path = self.forms_dir / f"{spec.form}.yaml"
        try:
            form = parse_form_text(text, str(path))
        except FormError as exc:
            self.say("生成的表单没有通过检查，未写入：")
            self.say(str(exc))
            return None
        self.say("")
        for line in structure_lines(form):
            self.say(line)
        if path.exists():
            if not self.ask.confirm(f"{path} 已存在，覆盖它吗？", default=False):
                self.say("没有写入任何文件。")
                return None
        elif not self.ask.confirm(f"写入 {path}？", default=True):
            self.say("没有写入任何文件。")
            return None
        from inspect_kit.base.fsio import atomic_write_bytes

        self.forms_dir.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, text.encode("utf-8"))
        self.say(f"已写入 {path}")
        from inspect_kit.base.invocation import command_line

        show = command_line(["forms", "show", spec.form])
        fill = command_line(["fill", spec.form, "--subject", "编号", "--plain"])
        self.say(f"检查：{show}    填写：{fill}")
        return path

    def _id(self, message: str, default: str) -> str:
        def check(text: str) -> bool | str:
            text = text.strip()
            if not ID_RE.match(text):
                return "编号只能用小写字母、数字和 -，并以字母或数字开头"
            if text in self.used_ids:
                return f"编号 {text} 已经用过"
            return True

        value = self.ask.text(message, default, check).strip()
        self.used_ids.add(value)
        return value

    def _free_id(self, stem: str) -> str:
        n = 1
        while f"{stem}-{n}" in self.used_ids:
            n += 1
        return f"{stem}-{n}"

    def _text(self, message: str, default: str = "") -> str:
        return self.ask.text(message, default, lambda v: bool(v.strip()) or "不能为空").strip()

    def _num(self, message: str, default: float | None = None, *, positive: bool = False) -> float:
        def check(text: str) -> bool | str:
            try:
                value = number(text)
            except InspectKitError as exc:
                return str(exc)
            return "应大于 0" if positive and value <= 0 else True

        return number(self.ask.text(message, "" if default is None else f"{default:g}", check))

    def ask_form(self) -> FormSpec:
        self.say("新建评分表：依次回答，括号里是默认值，直接回车即采用。")
        form_id = self._id("表单编号（小写字母、数字、-，如 edu-base-2027）", "")
        if form_id in self.known_ids:
            self.say(f"  注意：已有编号为 {form_id} 的表单；工作区里的文件会优先使用。")
        title = self._text("表单标题")
        kinds = [(f"{kind}（{words}）", kind) for kind, words in SUBJECT_KINDS.items()]
        kind = self.ask.select("评分对象类别", [*kinds, ("其他（自己填写）", "")])
        if not kind:
            kind = self.ask.text(
                "类别编号（小写字母、数字、-）",
                "",
                lambda v: bool(ID_RE.match(v.strip())) or "只能用小写字母、数字和 -",
            ).strip()
        total = self._num("满分", 100, positive=True)
        spec = FormSpec(form=form_id, title=title, subject=kind, total=total)
        spec.grades = self.ask_grades(total)
        spec.deduction_note = self.ask.select(
            "扣分理由",
            [("每处扣分必须写理由", "required"), ("可写可不写", "optional"), ("不问", "off")],
            "required",
        )
        self.ask_sections(spec)
        while True:
            if not self.ask.confirm("添加一票否决项？", default=False):
                break
            text = self._text("否决项内容（答“是”即否决，如：发生安全责任事故）")
            spec.vetoes.append((self._free_id_used("veto"), text))
        return spec

    def _free_id_used(self, stem: str) -> str:
        value = self._free_id(stem)
        self.used_ids.add(value)
        return value

    def ask_grades(self, total: float) -> list[tuple[str, float, float | None]]:
        presets = [(name, name) for name in GRADE_PRESETS]
        choice = self.ask.select("等次", [*presets, ("自定义", "")], next(iter(GRADE_PRESETS)))
        if choice:
            factor = total / 100
            return [
                (name, round(minimum * factor, 1), smin)
                for name, minimum, smin in GRADE_PRESETS[choice]
            ]
        grades: list[tuple[str, float, float | None]] = []
        self.say("  从最高的等次开始，最后一个等次的最低分为 0。")
        while not grades or grades[-1][1] > 0:
            name = self._text(f"第 {len(grades) + 1} 个等次名称")
            if name in {g[0] for g in grades}:
                self.say("  等次名称不能重复")
                continue
            below = grades[-1][1] if grades else total + EPS

            def check(text: str, below: float = below) -> bool | str:
                try:
                    value = number(text)
                except InspectKitError as exc:
                    return str(exc)
                return True if value < below else f"应低于上一个等次的 {below:g}"

            minimum = number(self.ask.text(f"“{name}”的最低分", "0" if grades else "", check))
            grades.append((name, minimum, None))
        return grades

    def ask_sections(self, spec: FormSpec) -> None:
        while True:
            scored = sum(s.points for s in spec.sections if not s.bonus)
            left = spec.total - scored
            if spec.sections:
                self.say(
                    f"  已有 {len(spec.sections)} 个部分，合计 {scored:g} 分；满分 {spec.total:g}。"
                )
            if spec.sections and left <= EPS:
                if not any(s.bonus for s in spec.sections) and self.ask.confirm(
                    "再加一个加分项部分？", default=False
                ):
                    spec.sections.append(self.ask_section(spec, bonus=True))
                if left < -EPS:
                    self.say(
                        f"  各部分合计 {scored:g} 分，超过满分 {spec.total:g}；"
                        f"满分改为 {scored:g}。"
                    )
                    spec.total = scored
                return
            if spec.sections and not self.ask.confirm(
                f"还差 {left:g} 分，继续添加部分？", default=True
            ):
                self.say(f"  满分改为各部分之和 {scored:g}，等次分数线按比例调整。")
                factor = scored / spec.total
                spec.total = scored
                spec.grades = [(n, round(m * factor, 1), s) for n, m, s in spec.grades]
                return
            spec.sections.append(self.ask_section(spec, bonus=False, left=left))

    def ask_section(self, spec: FormSpec, *, bonus: bool, left: float = 0) -> SectionSpec:
        number = len(spec.sections) + 1
        title = self._text(
            "加分项标题" if bonus else f"第 {number} 部分标题（如 一、有标牌）",
            "加分项" if bonus else "",
        )
        section_id = self._id("部分编号", "bonus" if bonus else f"part-{number}")
        points = 0.0
        if bonus:
            spec.bonus_cap = self._num("加分项最多加几分", 5, positive=True)
        else:
            points = self._num("本部分分值", left, positive=True)
        section = SectionSpec(id=section_id, title=title, points=points, bonus=bonus)
        while True:
            section.items.append(self.ask_item(section))
            raw = sum(i.max_points for i in section.items)
            if bonus:
                if not self.ask.confirm("本部分再加一题？", default=False):
                    return section
                continue
            if abs(raw - points) <= EPS:
                self.say(f"  {title}：题目满分合计 {raw:g}，与分值一致。")
                if not self.ask.confirm("本部分再加一题？", default=False):
                    return section
                continue
            if raw < points:
                self.say(
                    f"  {title}：题目满分合计 {raw:g}，本部分 {points:g} 分，"
                    f"还差 {points - raw:g}。"
                )
                action = self.ask.select(
                    "接下来",
                    [
                        ("再加一题", "more"),
                        (f"把本部分分值改为 {raw:g}", "fix"),
                        ("按比例折算（scale）", "scale"),
                    ],
                    "more",
                )
            else:
                self.say(f"  {title}：题目满分合计 {raw:g}，超过本部分 {points:g} 分。")
                action = self.ask.select(
                    "接下来",
                    [(f"把本部分分值改为 {raw:g}", "fix"), ("按比例折算（scale）", "scale")],
                    "fix",
                )
            if action == "fix":
                section.points = raw
                return section
            if action == "scale":
                if raw <= EPS:
                    self.say("  本部分还没有计分的题目，先加一题。")
                    continue
                section.scale = True
                return section

    def ask_item(self, section: SectionSpec) -> ItemSpec:
        kinds = [(f"{t}：{TYPE_TITLES[t]}", t) for t in ITEM_TYPES if t in TYPE_TITLES]
        kind = self.ask.select(
            f"{section.title} 第 {len(section.items) + 1} 题的题型", kinds, "yesno"
        )
        text = self._text("题目内容")
        item_id = self._id("题目编号", self._free_id(section.id))
        fields: dict[str, Any] = {}
        if kind == "yesno":
            fields["points"] = self._num("答“是”得几分", 1)
            labels = self.ask.select(
                "选项文字", [("是 / 否", ("是", "否")), ("有 / 无", ("有", "无"))], ("是", "否")
            )
            if labels != ("是", "否"):
                fields["labels"] = list(labels)
        elif kind in ("choice", "multi"):
            default = "规范=3; 基本规范=2; 不规范=0" if kind == "choice" else "选项一=2; 选项二=2"
            options_text = self.ask.text(
                "选项（名称=分数，用 ; 分隔）",
                default,
                validator(lambda t: self._check_options(t, kind)),
            )
            fields["options"] = parse_options(options_text)
            if kind == "multi":
                cap = self._num("最多得几分（上限）", sum(o["points"] for o in fields["options"]))
                if cap != sum(o["points"] for o in fields["options"]):
                    fields["max"] = cap
        elif kind == "score":
            fields["max"] = self._num("满分", 5, positive=True)
            fields["step"] = self._num("最小步长", 0.5, positive=True)
        elif kind == "deduct":
            fields["max"] = self._num("满分", 3, positive=True)
            fields["per"] = self._num("每处问题扣几分", 1, positive=True)
            defects = self.ask.text("问题清单（可留空；用 ; 分隔，如 制度上墙; 台账）", "")
            names = [d.strip() for d in re.split(r"[;；]", defects) if d.strip()]
            if names:
                fields["defects"] = list(dict.fromkeys(names))
        elif kind == "number":
            unit = self.ask.text("单位（可留空，如 场、人次）", "").strip()
            if unit:
                fields["unit"] = unit
            fields["integer"] = True
            how = self.ask.select(
                "计分方式",
                [
                    ("按档次（达到多少得几分）", "bands"),
                    ("按个数（每个得几分，有上限）", "per"),
                    ("不计分", "none"),
                ],
                "bands",
            )
            if how == "bands":
                bands = self.ask.text(
                    "档次（数量=分数，用 ; 分隔）", "10=4; 5=2; 0=0", validator(parse_bands)
                )
                fields["bands"] = parse_bands(bands)
            elif how == "per":
                fields["per"] = self._num("每个得几分", 1, positive=True)
                fields["max"] = self._num("最多得几分", 3, positive=True)
        return ItemSpec(id=item_id, type=kind, text=text, fields=fields)

    @staticmethod
    def _check_options(text: str, kind: str) -> None:
        options = parse_options(text)
        if len(options) < (2 if kind == "choice" else 1):
            raise InspectKitError("单选至少要两个选项" if kind == "choice" else "至少要一个选项")


def run_form_wizard(
    forms_dir: Path,
    *,
    known_ids: AbstractSet[str] = frozenset(),
    input=None,
    output=None,  # type: ignore[assignment]
    stream=None,
) -> Path | None:
    """Run the wizard; the written path, or None. Ctrl-C propagates (nothing is written)."""
    prompter = Prompter(input=input, output=output, stream=stream)
    return FormWizard(forms_dir, prompter, known_ids).run()
