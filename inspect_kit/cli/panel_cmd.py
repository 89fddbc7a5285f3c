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
    quorum = f"少于 {rule.min_raters} 张评分表标记评委不足"
    return f"{text}；{quorum}；分差超过 {rule.max_spread:g} 分标记 ⚠；{veto}"


def tally_text(ctx: PanelView) -> str:
    """Subjects per final grade, the vetoed and downgraded among them said apart."""
    parts = []
    for g in ctx.grade_tally:
        apart = [f"否决 {g.vetoed}"] * bool(g.vetoed) + [f"降等 {g.downgraded}"] * bool(
            g.downgraded
        )
        parts.append(f"{g.grade} {g.count}" + (f"（其中{'、'.join(apart)}）" if apart else ""))
    return "等次：" + " · ".join(parts)


def panel_lines(ctx: PanelView) -> list[str]:
    from inspect_kit.base.textwidth import pad, width
    from inspect_kit.domain.panel import rater_totals_text

    panel, form = ctx.panel, ctx.form
    has_bonus = any(s.bonus_possible for s in panel.subjects)
    totals = [rater_totals_text(s) for s in panel.subjects]
    scores = [s.shown_total() for s in panel.subjects]
    totals_w = max([width("各评委总分")] + [width(t) for t in totals])
    score_w = max([8] + [width(t) for t in scores])
    name_w = min(36, max([8] + [width(s.subject_name) for s in panel.subjects]))
    lines = [
        f"{form.title}  [{form.form}]  轮次 {panel.round}",
        f"对象 {len(panel.subjects)} 个，评分表 {panel.sheets} 张，评委 {len(panel.raters)} 人"
        f"（{'、'.join(panel.raters)}）",
        f"规则：{rule_text(form)}",
        tally_text(ctx),
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
    for subject, totals_text, score in zip(panel.subjects, totals, scores, strict=True):
        spread = subject.fmt(subject.spread) + (" ⚠" if subject.spread_flag else "  ")
        grade = subject.grade + (" ✗" if subject.vetoed else " ↓" if subject.downgraded else "")
        selfs = " ".join(subject.fmt(s.final) for s in subject.self_assessments) or "-"
        count = f"{subject.rater_count}" + ("!" if subject.short_panel else " ")
        lines.append(
            "  ".join(
                [
                    pad(str(subject.rank), 4, ">"),
                    pad(subject.subject_name, name_w),
                    pad(count, 4, ">"),
                    pad(totals_text, totals_w),
                    pad(score, score_w, ">"),
                    pad(grade, 8),
                    pad(spread, 8, ">"),
                    selfs,
                ]
            )
        )
        for reason in subject.reasons:
            mark = {"veto": "✗", "fail": "✗", "section_min": "↓"}.get(reason.kind, " ")
            lines.append(f"{'':6}{mark} {reason.text}")
        for flag in subject.flags:
            if flag.kind != "spread":  # the ⚠ in its column says it
                lines.append(f"{'':6}⚑ {flag.text}")
    if any(s.dropped for s in panel.subjects):
        lines.append("括号内为去掉的最高分和最低分。")
    if any(s.short_panel for s in panel.subjects):
        lines.append(f"人数后的 ! 表示评委不足（少于 {form.panel.min_raters} 张评分表）。")
    if has_bonus:
        lines.append(f"加分另计，最多 {form.bonus_cap:g} 分；各分数由未取整的数值取整一次。")
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


def panel_json(ctx: PanelView) -> dict:
    """The panel as JSON: every subject's result, the grade tally and the method text."""
    from dataclasses import asdict

    from inspect_kit.domain.method_text import method_text

    data = ctx.panel.to_dict()
    data["decimals"] = ctx.form.decimals
    data["grade_counts"] = [{**asdict(g), "by_score": g.by_score} for g in ctx.grade_tally]
    data["method_text"] = [asdict(part) for part in method_text(ctx.form)]
    return data


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
        click.echo(safe_json(json.dumps(panel_json(ctx), ensure_ascii=False, indent=1)))
    else:
        for line in panel_lines(ctx):
            click.echo(safe_text(line))
    for line in set_aside_lines(kit, ctx):  # never silent, on stderr beside JSON
        click.echo(safe_text(line), err=as_json)


def set_aside_lines(kit: Kit, ctx: PanelView) -> list[str]:
    """A line for each final sheet left out because its rater finalized a later one."""
    from inspect_kit.domain.panel_rounds import set_aside
    from inspect_kit.i18n.catalog import tr

    rows = kit.store.summaries(form=ctx.form.form, round=ctx.round)  # index rows only
    return [
        tr(
            "panel.set_aside",
            kit.lang,
            rater=doc["rater"],
            subject=doc["subject_name"],
            kept=counted["uuid"][:8],
            dropped=doc["uuid"][:8],
        )
        for doc, counted in set_aside(rows, ctx.form.form, ctx.round)
    ]
