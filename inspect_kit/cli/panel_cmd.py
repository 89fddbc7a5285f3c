"""`inspect-kit panel FORM [--round R] [--json]`: per-subject panel results of a round."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from inspect_kit.base.safe_text import safe_json, safe_text
from inspect_kit.cli import Kit, KitGroup, pass_kit

if TYPE_CHECKING:
    from inspect_kit.domain.model import Form
    from inspect_kit.domain.panel_view import PanelView


def rule_text(form: Form, lang: str = "zh") -> str:
    """The form's panel rule in words: method, quorum, spread flag, veto."""
    from inspect_kit.domain import panel_words

    return panel_words.rule_text(form, lang)


def tally_text(ctx: PanelView, lang: str = "zh") -> str:
    """Subjects per final grade, the vetoed and downgraded among them said apart."""
    from inspect_kit.domain import panel_words

    return panel_words.tally_text(ctx.form, ctx.grade_tally, lang)


def review_lines(ctx: PanelView, lang: str = "zh") -> list[str]:
    """`review: required`: the 待审核 line (the same sentence the TUI, charts and pack show)."""
    from inspect_kit.domain.sheet_review import tally_line

    line = tally_line(ctx.review, lang)
    return [line] if line else []


def panel_lines(ctx: PanelView, lang: str = "zh") -> list[str]:
    from inspect_kit.base.textwidth import pad, width
    from inspect_kit.domain.panel import rater_totals_text
    from inspect_kit.domain.trust_text import (
        agreement_lines,
        calibration_lines,
        conflict_lines,
        conflict_mark,
        rescore_lines,
        robustness_lines,
    )
    from inspect_kit.i18n.catalog import tr
    from inspect_kit.i18n.form_text import grade_for

    panel, form = ctx.panel, ctx.form
    heads = tr("cli.panel.columns", lang).split("|")
    has_bonus = any(s.bonus_possible for s in panel.subjects)
    totals = [rater_totals_text(s) for s in panel.subjects]
    scores = [s.shown_total(lang) for s in panel.subjects]
    totals_w = max([width(heads[3])] + [width(t) for t in totals])
    score_w = max([8, width(heads[4])] + [width(t) for t in scores])
    name_w = min(36, max([8] + [width(s.subject_name) for s in panel.subjects]))
    lines = [
        tr("cli.panel.head", lang, title=form.title_for(lang), form=form.form, round=panel.round),
        tr("cli.panel.counts", lang, subjects=len(panel.subjects), sheets=panel.sheets,
           raters=len(panel.raters), names=(", " if lang == "en" else "、").join(panel.raters)),
        tr("cli.panel.rule", lang, rule=rule_text(form, lang)),
        tally_text(ctx, lang),
        *review_lines(ctx, lang),
        "",
        "  ".join([pad(heads[0], 4, ">"), pad(heads[1], name_w), pad(heads[2], 6, ">"),
                   pad(heads[3], totals_w), pad(heads[4], score_w, ">"), pad(heads[5], 8),
                   pad(heads[6], 8, ">"), heads[7]]),
    ]  # fmt: skip
    for subject, totals_text, score in zip(panel.subjects, totals, scores, strict=True):
        spread = subject.fmt(subject.spread) + (" ⚠" if subject.spread_flag else "  ")
        grade = grade_for(form, subject.grade, lang)
        grade += " ✗" if subject.vetoed else " ↓" if subject.downgraded else ""
        selfs = " ".join(subject.fmt(s.final) for s in subject.self_assessments) or "-"
        count = f"{subject.rater_count}" + ("!" if subject.short_panel else " ")
        lines.append("  ".join([pad(str(subject.rank), 4, ">"), pad(subject.subject_name, name_w),
                                pad(count, 6, ">"), pad(totals_text, totals_w),
                                pad(score, score_w, ">"), pad(grade, 8), pad(spread, 8, ">"),
                                selfs]))  # fmt: skip
        for reason in subject.reasons:
            mark = {"veto": "✗", "fail": "✗", "section_min": "↓"}.get(reason.kind, " ")
            lines.append(f"{'':6}{mark} {reason.text_in(lang)}")
        for flag in subject.flags:
            if flag.kind != "spread":  # the ⚠ in its column says it
                lines.append(f"{'':6}⚑ {flag.text_in(lang)}")
        for doc in ctx.subject_conflicts(subject.subject):
            lines.append(f"{'':6}⚑ {conflict_mark(doc, lang)}")
    if any(s.dropped for s in panel.subjects):
        lines.append(tr("cli.panel.dropped", lang))
    if any(s.short_panel for s in panel.subjects):
        lines.append(tr("cli.panel.short", lang, min=form.panel.min_raters))
    if has_bonus:
        lines.append(tr("cli.panel.bonus", lang, cap=f"{form.bonus_cap:g}"))
    if panel.self_only:
        lines += ["", tr("cli.panel.self_only", lang)]
        lines += [f"  {s.rater}  {s.final:g}" for s in panel.self_only]
    lines += ["", *agreement_lines(ctx, lang), "", *robustness_lines(ctx, lang)]
    if ctx.conflicted:
        lines += ["", *conflict_lines(ctx, lang)]
    if ctx.rescores:
        lines += ["", *rescore_lines(ctx, lang)]
    if calibration := calibration_lines(ctx, lang):
        lines += ["", *calibration]
    lines += ["", tr("cli.panel.leniency", lang)]
    name_w = max(width(x.rater) for x in panel.leniency) if panel.leniency else 4
    for item in panel.leniency:
        n = tr("cli.panel.leniency_n", lang, n=item.subjects)
        lines.append(f"  {pad(item.rater, name_w)}  {item.deviation:+6.2f}  {n}")
    return lines


def panel_json(ctx: PanelView) -> dict:
    """The panel as JSON: every subject's result, the grade tally and the method text."""
    from dataclasses import asdict

    from inspect_kit.domain.method_text import method_text
    from inspect_kit.domain.trust_text import trust_json

    data = ctx.panel.to_dict()
    data["decimals"] = ctx.form.decimals
    data["grade_counts"] = [{**asdict(g), "by_score": g.by_score} for g in ctx.grade_tally]
    data["method_text"] = [asdict(part) for part in method_text(ctx.form)]
    if ctx.review.required:  # absent for forms without review: their JSON is as before
        data["review"] = {**asdict(ctx.review), "line": review_lines(ctx)[0]}
    data.update(trust_json(ctx))
    return data


class PanelGroup(KitGroup):
    """`panel FORM [--round R] [--json]` shows a panel (the hidden `show`); `panel conflict …`
    and `panel rescore …` are its subcommands. A first word that is not one is the FORM."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.list_commands(ctx) and args[0] not in ("--help", "-h"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


PANEL_COMMANDS = {
    "conflict": "inspect_kit.cli.panel_trust_cmd:conflict",
    "rescore": "inspect_kit.cli.panel_trust_cmd:rescore",
}


@click.group(cls=PanelGroup, lazy=PANEL_COMMANDS)
def panel() -> None:
    """小组评分汇总 / panel results: inspect-kit panel FORM [--round R] [--json]; conflicts of
    interest (conflict) and a re-score round (rescore)."""


@panel.command("show", hidden=True)
@click.argument("form_id", metavar="FORM")
@click.option("--round", "round_", help="Round (default: the newest round with sheets).")
@click.option("--json", "as_json", is_flag=True, help="The panel result as JSON.")
@pass_kit
def show(kit: Kit, form_id: str, round_: str | None, as_json: bool) -> None:
    """小组评分汇总 / panel results per subject: raters, panel score, spread, veto, rank."""
    from inspect_kit.services.panels import NoPanelData

    try:
        # prints no whole sheet and no deduction; agreement reads each item's points
        ctx = kit.panels.panel(form_id, round_, figures_only=True, detail="items")
    except NoPanelData as exc:
        if as_json:
            raise
        click.echo(safe_text(str(exc)))  # no data yet is not a failure of this command
        return
    if as_json:
        click.echo(safe_json(json.dumps(panel_json(ctx), ensure_ascii=False, indent=1)))
    else:
        for line in panel_lines(ctx, kit.lang):
            click.echo(safe_text(line))
    for line in set_aside_lines(kit, ctx):  # never silent, on stderr beside JSON
        click.echo(safe_text(line), err=as_json)


def set_aside_lines(kit: Kit, ctx: PanelView) -> list[str]:
    """A line for each final sheet left out because its rater finalized a later one."""
    from inspect_kit.i18n.catalog import tr

    return [
        tr(
            "panel.set_aside",
            kit.lang,
            rater=doc["rater"],
            subject=doc["subject_name"],
            kept=counted["uuid"][:8],
            dropped=doc["uuid"][:8],
        )
        for doc, counted in ctx.set_aside
    ]
