"""The pack's method page and one-line rule: how a form's sheets become a grade.

Read from the form (thresholds, section floors, trimming, bonus, vetoes); no figures of a
round. To be replaced by the shared method text once the panels side publishes one.
"""

from __future__ import annotations

from inspect_kit.domain.model import Form
from inspect_kit.domain.panel import DIGITS

METHOD_NAMES = {"mean": "算术平均", "median": "中位数", "trimmed-mean": "去掉最高最低后平均"}


def rule_text(form: Form) -> str:
    rule = form.panel
    text = METHOD_NAMES.get(rule.method, rule.method)
    if rule.method == "trimmed-mean":
        text = (
            f"去掉 {rule.trim} 个最高分和 {rule.trim} 个最低分后平均"
            f"（不足 {rule.min_raters} 人时算术平均）"
        )
    veto = "任一评委提出即一票否决" if rule.veto == "any" else "过半数评委提出才一票否决"
    return f"{text}；加分同样汇总后另加；分差超过 {rule.max_spread:g} 分标记；{veto}"


def method_paragraphs(form: Form) -> list[str]:
    rule = form.panel
    grades = []
    for g in form.grades:
        floor = f"，且每一部分得分率不低于 {g.section_min * 100:g}%" if g.section_min else ""
        grades.append(f"{g.grade}：{g.min:g} 分及以上{floor}")
    scored = "、".join(f"{s.title} {s.points:g} 分" for s in form.scored_sections)
    out = [
        f"评分表：{form.title}（{form.form} 第 {form.version} 版），满分 {form.total:g} 分，"
        f"由 {len(form.scored_sections)} 个部分组成：{scored}。",
        "每张评分表：各指标得分相加为部分得分（有不适用指标时按适用部分折算），各部分相加为总分。",
        "等次标准（自上而下取第一个满足的）：" + "；".join(grades) + "。",
    ]
    if form.bonus_sections:
        out.append(
            f"加分项另计，最多加 {form.bonus_cap:g} 分，不是扣分；等次按总分加加分后的得分判定。"
        )
    if rule.method == "trimmed-mean":
        out.append(
            f"小组得分：同一对象有 {rule.min_raters} 张及以上检查组评分表时，去掉 {rule.trim} 个"
            f"最高和 {rule.trim} 个最低总分后取平均；不足 {rule.min_raters} 张时取算术平均，"
            "并在排名表和对象页标明“评委不足”。"
        )
    else:
        out.append(f"小组得分：各评委总分的{METHOD_NAMES.get(rule.method, rule.method)}。")
    out += [
        "各部分得分率按同样规则逐部分汇总，因此各部分汇总值相加不一定等于小组总分（去掉的评委可能"
        "因部分而不同）；等次以小组总分为准。",
        f"小组得分保留 {DIGITS} 位小数。自评表单独列出，不计入小组得分。",
        f"一票否决：{'任一评委提出即生效' if rule.veto == 'any' else '过半数评委提出才生效'}，"
        f"生效时等次为“{form.veto_grade}”，排名列在未被否决的对象之后。"
        + ("否决事项：" + "；".join(v.text for v in form.vetoes) + "。" if form.vetoes else ""),
        f"评委总分的最大差超过 {rule.max_spread:g} 分时标记，供会议关注。",
        "作废的评分表不计入；修订过的评分表以最新版本计入。作废和修订记录列在材料末尾。",
    ]
    return out
