"""The grading standard and method of a form, as structured text in zh or en (one wording).

`method_text(form, lang)` is the one source of the method page of the meeting pack and the
说明 sheet of the XLSX export: grade thresholds and section floors, how a panel combines the
raters' sheets (trimming, the fallback below `min_raters`, the spread flag), how the bonus is
combined, vetoes and where vetoed subjects rank, how and when scores are rounded, and why the
section figures need not add up to the total.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspect_kit.domain.model import Form
from inspect_kit.i18n.form_text import localized

METHOD = {
    "mean": ("各评委总分的算术平均", "the arithmetic mean of the raters' totals"),
    "median": ("各评委总分的中位数", "the median of the raters' totals"),
    "trimmed-mean": ("各评委总分去掉最高分和最低分后的平均",
                     "the mean of the raters' totals after dropping the highest and lowest"),
}  # fmt: skip
VETO_RULE = {
    "any": ("任一评委提出即生效", "applies when any rater raises it"),
    "majority": ("过半数评委提出才生效", "applies when more than half of the raters raise it"),
}

# (zh, en) templates; {placeholders} filled by method_text.
T = {
    "grades": ("等次标准", "Grades"),
    "grade": ("{grade}：得分 ≥ {min:g} 分{floor}", "{grade}: score ≥ {min:g}{floor}"),
    "grade_low": ("{grade}：得分 < {high:g} 分，或不满足以上等次的条件",
                  "{grade}: score < {high:g}, or the conditions above not met"),
    "floor": ("，且每个部分不低于该部分分值的 {share:.0%}",
              ", and every section at ≥ {share:.0%} of its points"),
    "downgrade": ("得分达到某一等次但有部分低于其要求时，评为满足全部条件的下一等次（降等），"
                  "并写明是哪些部分。",
                  "A score that reaches a grade with a section below its floor gets the next "
                  "grade whose conditions all hold (a downgrade); the sections are named."),
    "panel": ("小组计分", "Panel scoring"),
    "method": ("每个对象的小组得分为{method}。", "A subject's panel score is {method}."),
    "trim": ("去掉 {trim} 个最高分和 {trim} 个最低分，仅当评分表不少于 {min} 张时；"
             "少于 {min} 张时按算术平均，并标记“评委不足”。",
             "{trim} highest and {trim} lowest are dropped only with at least {min} sheets; "
             "with fewer, the arithmetic mean is used and the subject is flagged "
             "\"too few raters\"."),
    "quorum": ("评分表少于 {min} 张的对象标记“评委不足”。",
               "A subject with fewer than {min} sheets is flagged \"too few raters\"."),
    "spread": ("评委总分最高与最低相差超过 {spread:g} 分时标记“分差大”。",
               "A subject whose raters' totals differ by more than {spread:g} is flagged."),
    "self": ("自评表单独列出，不计入小组得分。",
             "Self-assessments are listed apart, never counted in the panel score."),
    "voided": ("作废的评分表不计入；作废改变了结果（得分、等次或计分方法）时在该对象处注明。",
               "Voided sheets are not counted; where a void changed the result (score, grade "
               "or rule) it is named on the subject."),
    "bonus": ("加分", "Bonus"),
    "bonus_rule": ("加分项另计，最多加 {cap:g} 分；各评委的加分按同一规则汇总后与基本分相加，"
                   "写作“加分 x / {cap:g}”。未得的加分不是扣分。",
                   "Bonus items count apart, at most {cap:g}; the raters' bonuses are combined "
                   "by the same rule and added to the base score, shown as \"bonus x / {cap:g}\". "
                   "A bonus not earned is not a deduction."),
    "vetoes": ("一票否决", "Vetoes"),
    "veto_rule": ("一票否决事项{rule}；被否决的对象评为“{grade}”，不论得分，"
                  "排名列在所有未被否决的对象之后。",
                  "A veto {rule}; a vetoed subject is graded \"{grade}\" whatever its score and "
                  "ranks after every subject not vetoed."),
    "veto_items": ("否决事项：{items}", "Veto questions: {items}"),
    "rounding": ("取整", "Rounding"),
    "round_rule": ("所有分数按未取整的数值计算，只在显示时取整一次，保留 {d} 位小数（四舍五入）；"
                   "等次按显示的分数判定。",
                   "Every score is computed unrounded and rounded once where shown, to {d} "
                   "decimal(s), halves up; the grade is decided on the score as shown."),
    "round_parts": ("基本分、加分和总分各自由未取整的数值取整，"
                    "显示的两部分相加可能与总分相差一个末位。",
                    "Base, bonus and total are each rounded from unrounded figures, so the shown "
                    "parts may differ from the total in the last digit."),
    "sections": ("部分得分", "Section figures"),
    "sections_trim": ("每个部分的小组得分由各评委该部分的得分按同一规则单独计算"
                      "（各自去掉最高和最低），与总分去掉的评委不一定相同，所以各部分得分相加不一定等于小组得分。",
                      "Each section's panel figure is computed from the raters' figures for that "
                      "section alone (its own highest and lowest dropped), which need not be the "
                      "raters dropped from the total, so the sections need not add up to the "
                      "panel score."),
    "sections_mean": ("各部分得分为各评委该部分得分的平均，相加等于基本分（取整差异除外）。",
                      "Each section's figure is the mean of the raters' figures; they add up to "
                      "the base score (up to rounding)."),
    "sections_median": ("各部分得分取各评委该部分得分的中位数，相加不一定等于小组得分。",
                        "Each section's figure is the median of the raters' figures for it; they "
                        "need not add up to the panel score."),
}  # fmt: skip


@dataclass(frozen=True)
class MethodPart:
    """One heading of the method page and its sentences."""

    key: str
    """grades | panel | bonus | vetoes | rounding | sections (stable, for layout)."""
    title: str
    lines: tuple[str, ...]


def _t(key: str, lang: str, **values: object) -> str:
    zh, en = T[key]
    return (en if lang == "en" else zh).format(**values)


def method_text(form: Form, lang: str = "zh") -> tuple[MethodPart, ...]:
    """The form's grading standard and method, heading by heading, in `lang` (zh or en)."""
    en = lang == "en"
    rule = form.panel
    grades = []
    for index, g in enumerate(form.grades):
        name = localized(g, "grade", lang)
        if index == len(form.grades) - 1 and index:
            grades.append(_t("grade_low", lang, grade=name, high=form.grades[index - 1].min))
            continue
        floor = _t("floor", lang, share=g.section_min) if g.section_min else ""
        grades.append(_t("grade", lang, grade=name, min=g.min, floor=floor))
    if any(g.section_min for g in form.grades):
        grades.append(_t("downgrade", lang))
    parts = [MethodPart("grades", _t("grades", lang), tuple(grades))]

    panel = [_t("method", lang, method=METHOD[rule.method][1 if en else 0])]
    if rule.method == "trimmed-mean" and rule.trim:
        panel.append(_t("trim", lang, trim=rule.trim, min=rule.min_raters))
    else:
        panel.append(_t("quorum", lang, min=rule.min_raters))
    panel += [_t("spread", lang, spread=rule.max_spread), _t("self", lang), _t("voided", lang)]
    parts.append(MethodPart("panel", _t("panel", lang), tuple(panel)))

    if form.bonus_sections and form.bonus_cap:
        rule_line = _t("bonus_rule", lang, cap=form.bonus_cap)
        parts.append(MethodPart("bonus", _t("bonus", lang), (rule_line,)))

    veto_grade = next((g for g in form.grades if g.grade == form.veto_grade), form.grades[-1])
    vetoes = [_t("veto_rule", lang, rule=VETO_RULE[rule.veto][1 if en else 0],
                 grade=localized(veto_grade, "grade", lang))]  # fmt: skip
    if form.vetoes:
        items = ("; " if en else "；").join(localized(v, "text", lang) for v in form.vetoes)
        vetoes.append(_t("veto_items", lang, items=items))
    parts.append(MethodPart("vetoes", _t("vetoes", lang), tuple(vetoes)))

    rounding = [_t("round_rule", lang, d=form.decimals)]
    if form.bonus_sections and form.bonus_cap:
        rounding.append(_t("round_parts", lang))
    parts.append(MethodPart("rounding", _t("rounding", lang), tuple(rounding)))

    which = {"trimmed-mean": "sections_trim", "median": "sections_median"}.get(
        rule.method, "sections_mean"
    )
    parts.append(MethodPart("sections", _t("sections", lang), (_t(which, lang),)))
    return tuple(parts)


def method_lines(form: Form, lang: str = "zh") -> list[str]:
    """method_text as plain lines: each heading, then its sentences indented."""
    out = []
    for part in method_text(form, lang):
        out.append(part.title)
        out += [f"  {line}" for line in part.lines]
    return out
