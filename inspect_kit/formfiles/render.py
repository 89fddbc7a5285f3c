"""Form files written from plain data: the `FormSpec` the `forms new` wizard builds, rendered as
commented YAML in DESIGN §3 key order, and a form's outline as text lines.

The wizard validates the rendered text with `parse_form_text` before anything is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from inspect_kit.domain.model import Form


@dataclass
class ItemSpec:
    id: str
    type: str
    text: str
    fields: dict[str, Any] = field(default_factory=dict)
    """Type-specific keys in file order (points, options, max, per, defects, bands...)."""

    @property
    def max_points(self) -> float:
        f = self.fields
        if self.type == "yesno":
            return float(f.get("points", 0))
        if self.type == "choice":
            return max(o["points"] for o in f["options"])
        if self.type == "multi":
            return float(f.get("max", sum(o["points"] for o in f["options"])))
        if self.type in ("score", "deduct"):
            return float(f["max"])
        if self.type == "number":
            if f.get("bands"):
                return max(b["points"] for b in f["bands"])
            return float(f.get("max", 0)) if f.get("per") else 0.0
        return 0.0


@dataclass
class SectionSpec:
    id: str
    title: str
    points: float
    bonus: bool = False
    scale: bool = False
    items: list[ItemSpec] = field(default_factory=list)


@dataclass
class FormSpec:
    form: str
    title: str
    subject: str
    total: float = 100
    grades: list[tuple[str, float, float | None]] = field(default_factory=list)
    deduction_note: str = "required"
    bonus_cap: float = 0
    sections: list[SectionSpec] = field(default_factory=list)
    vetoes: list[tuple[str, str]] = field(default_factory=list)


# ---------------------------------------------------------------- rendering


def _q(text: str) -> str:
    """A YAML scalar that survives any text (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _n(value: float) -> str:
    return f"{value:g}"


def _c(line: str, comment: str) -> str:
    """A line with its comment aligned."""
    return f"{line.ljust(30)}  # {comment}"


def _flow(mapping: dict[str, Any]) -> str:
    parts = []
    for key, value in mapping.items():
        rendered = _n(value) if isinstance(value, int | float) else _q(str(value))
        parts.append(f"{key}: {rendered}")
    return "{" + ", ".join(parts) + "}"


def render_form_yaml(spec: FormSpec) -> str:
    """The form as commented YAML, in the key order of DESIGN §3."""
    out = [
        f"# {spec.title}",
        "# 由 `inspect-kit forms new` 生成。可直接编辑；改完用 `inspect-kit forms validate` 检查。",
        "# 修改题目后请把 version 加 1：已提交的评分表会记住它们用的是哪个版本。",
        _c(f"form: {spec.form}", "表单编号：小写字母、数字和 -"),
        "version: 1",
        f"title: {_q(spec.title)}",
        _c(f"subject: {spec.subject}", "评分对象的名册类别"),
        _c(f"total: {_n(spec.total)}", "各部分（不含加分项）分值之和"),
    ]
    if spec.bonus_cap:
        out.append(_c(f"bonus_cap: {_n(spec.bonus_cap)}", "加分项最多加几分"))
    out.append(_c("grades:", "自上而下，第一个满足条件的等次生效"))
    for name, minimum, section_min in spec.grades:
        grade: dict[str, Any] = {"grade": name, "min": minimum}
        if section_min is not None:
            grade["section_min"] = section_min
        out.append(f"  - {_flow(grade)}")
    if any(g[2] is not None for g in spec.grades):
        out.append("# section_min: 每个部分至少得到该部分分值的这个比例，才能评这个等次")
    out.append(_c(f"veto_grade: {_q(spec.grades[-1][0])}", "触发一票否决时的等次"))
    note_comment = {
        "required": "每处扣分必须写扣分理由",
        "optional": "扣分理由可写可不写",
        "off": "不问扣分理由",
    }[spec.deduction_note]
    out.append(_c(f"deduction_note: {spec.deduction_note}", note_comment))
    out.append("")
    out.append("sections:")
    for section in spec.sections:
        out.append(f"  - id: {section.id}")
        out.append(f"    title: {_q(section.title)}")
        if section.bonus:
            out.append(_c("    bonus: true", "加分项：另计，受 bonus_cap 限制"))
            out.append("    points: 0")
        else:
            out.append(f"    points: {_n(section.points)}")
        if section.scale:
            out.append(_c("    scale: true", "题目满分之和与本部分分值不同，按比例折算"))
        out.append("    items:")
        for item in section.items:
            out += _render_item(item)
    if spec.vetoes:
        out.append("")
        out.append(_c("vetoes:", "一票否决：答“是”则不论得分评为 veto_grade"))
        for veto_id, text in spec.vetoes:
            out.append(f"  - {{id: {veto_id}, text: {_q(text)}}}")
    return "\n".join(out) + "\n"


def _render_item(item: ItemSpec) -> list[str]:
    out = [f"      - id: {item.id}", f"        type: {item.type}", f"        text: {_q(item.text)}"]
    for key, value in item.fields.items():
        if key == "options":
            out.append("        options:")
            out += [f"          - {_flow(o)}" for o in value]
        elif key == "bands":
            out.append(_c("        bands:", "数量达到 min 得 points 分（取最高的一档）"))
            out += [f"          - {_flow(b)}" for b in value]
        elif key in ("defects", "labels"):
            out.append(f"        {key}: [{', '.join(_q(v) for v in value)}]")
        elif isinstance(value, bool):
            out.append(f"        {key}: {'true' if value else 'false'}")
        elif isinstance(value, int | float):
            out.append(f"        {key}: {_n(value)}")
        else:
            out.append(f"        {key}: {_q(str(value))}")
    return out


def structure_lines(form: Form) -> list[str]:
    """The form as an indented outline: sections with points, items with type and points."""
    lines = [
        f"{form.title}（{form.form}，满分 {form.total:g}）",
        "等次：" + " / ".join(f"{g.grade}≥{g.min:g}" for g in form.grades),
    ]
    for section in form.sections:
        worth = f"加分，最多 {form.bonus_cap:g}" if section.bonus else f"{section.points:g} 分"
        lines.append(f"  {section.title}（{worth}）")
        for item in section.items:
            points = f"，{item.max_points:g} 分" if item.scored else ""
            lines.append(f"    - {item.id} [{item.type}{points}] {item.text}")
    for veto in form.vetoes:
        lines.append(f"  否决：{veto.text}")
    return lines
