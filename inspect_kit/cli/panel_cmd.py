"""`inspect-kit panel FORM [--round R] [--json]`: per-subject panel results of a round."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from inspect_kit.base.safe_text import safe_json, safe_text
from inspect_kit.cli import Kit, pass_kit

if TYPE_CHECKING:
    from inspect_kit.domain.model import Form
    from inspect_kit.domain.panel_view import PanelView

METHOD_NAMES = {"mean": "算术平均", "median": "中位数", "trimmed-mean": "去掉最高最低后平均"}


def rule_text(form: Form) -> str:
    rule = form.panel
    text = METHOD_NAMES.get(rule.method, rule.method)
    if rule.method == "trimmed-mean":
        text = f"去掉 {rule.trim} 个最高分和 {rule.trim} 个最低分后平均（{rule.min_raters} 人及以上，否则算术平均）"  # noqa: E501
    veto = "任一评委提出即否决" if rule.veto == "any" else "过半数评委提出才否决"
    return f"{text}；分差超过 {rule.max_spread:g} 分标记 ⚠；{veto}"


def panel_lines(ctx: PanelView) -> list[str]:
    from inspect_kit.base.textwidth import pad, width
    from inspect_kit.domain.panel import rater_totals_text

    panel, form = ctx.panel, ctx.form
    has_bonus = any(s.bonus for s in panel.subjects)
    totals = [rater_totals_text(s) for s in panel.subjects]
    totals_w = max([width("各评委总分")] + [width(t) for t in totals])
    score_w = 20 if has_bonus else 8
    name_w = min(36, max([8] + [width(s.subject_name) for s in panel.subjects]))
    lines = [
        f"{form.title}  [{form.form}]  轮次 {panel.round}",
        f"对象 {len(panel.subjects)} 个，评分表 {panel.sheets} 张，评委 {len(panel.raters)} 人"
        f"（{'、'.join(panel.raters)}）",
        f"规则：{rule_text(form)}",
        "",
        "  ".join(
            [
                pad("名次", 4, ">"),
                pad("对象", name_w),
                pad("人数", 4, ">"),
                pad("各评委总分", totals_w),
                pad("小组得分", score_w, ">"),
                pad("等次", 8),
                pad("分差", 8, ">"),
                "自评",
            ]
        ),
    ]
    for subject, totals_text in zip(panel.subjects, totals, strict=True):
        score = (
            f"{subject.total:g} + {subject.bonus:g} = {subject.final:g}"
            if has_bonus
            else f"{subject.final:g}"
        )
        spread = f"{subject.spread:g}" + (" ⚠" if subject.spread_flag else "  ")
        grade = subject.grade + (" ✗" if subject.vetoed else "")
        selfs = " ".join(f"{s.final:g}" for s in subject.self_assessments) or "-"
        lines.append(
            "  ".join(
                [
                    pad(str(subject.rank), 4, ">"),
                    pad(subject.subject_name, name_w),
                    pad(str(subject.rater_count), 4, ">"),
                    pad(totals_text, totals_w),
                    pad(score, score_w, ">"),
                    pad(grade, 8),
                    pad(spread, 8, ">"),
                    selfs,
                ]
            )
        )
        for veto in subject.vetoes:
            who = "；".join(
                f"{r.rater}" + (f"：{r.note}" if r.note else "") for r in veto.raised_by
            )
            status = "✗ 一票否决" if veto.applies else "  否决未过半（不生效）"
            lines.append(f"{'':6}{status}：{veto.text}（{who}）")
        if subject.grade_reason and not subject.vetoed:
            lines.append(f"{'':6}说明：{subject.grade_reason}")
    if any(s.dropped for s in panel.subjects):
        lines.append("括号内为去掉的最高分和最低分。")
    if panel.self_only:
        lines += ["", "只有自评、尚无检查组评分："]
        lines += [f"  {s.rater}  {s.final:g}" for s in panel.self_only]
    lines += ["", "评委宽严度（该评委总分与各对象评委中位数之差的平均；正数偏宽，负数偏严）："]
    name_w = max(width(x.rater) for x in panel.leniency) if panel.leniency else 4
    for item in panel.leniency:
        lines.append(
            f"  {pad(item.rater, name_w)}  {item.deviation:+6.2f}  （{item.subjects} 个对象）"
        )
    return lines


@click.command()
@click.argument("form_id", metavar="FORM")
@click.option("--round", "round_", help="Round (default: the newest round with sheets).")
@click.option("--json", "as_json", is_flag=True, help="The panel result as JSON.")
@pass_kit
def panel(kit: Kit, form_id: str, round_: str | None, as_json: bool) -> None:
    """小组评分汇总 / panel results per subject: raters, panel score, spread, veto, rank."""
    from inspect_kit.services.panels import NoPanelData

    try:
        ctx = kit.panels.panel(form_id, round_)
    except NoPanelData as exc:
        if as_json:
            raise
        click.echo(safe_text(str(exc)))  # no data yet is not a failure of this command
        return
    if as_json:
        click.echo(safe_json(json.dumps(ctx.panel.to_dict(), ensure_ascii=False, indent=1)))
        return
    for line in panel_lines(ctx):
        click.echo(safe_text(line))
