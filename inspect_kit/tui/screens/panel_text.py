"""The panel view's text: a subject's table cells (score with bonus, raters' totals with the
dropped ones in brackets, who raised a veto) and the lines about the highlighted subject."""

from __future__ import annotations

from inspect_kit.domain.panel import SubjectPanel
from inspect_kit.i18n.catalog import fmt_points, tr

METHOD_NAMES = {
    "mean": ("算术平均", "mean"),
    "median": ("中位数", "median"),
    "trimmed-mean": ("去掉最高最低后平均", "trimmed mean"),
}


def score_text(subject: SubjectPanel) -> str:
    """The panel's final score, with the bonus in it shown: '101.17 (+5)'."""
    if subject.bonus:
        return f"{fmt_points(subject.final)} (+{fmt_points(subject.bonus)})"
    return fmt_points(subject.final)


def raters_text(subject: SubjectPanel) -> str:
    """Raters' totals in rater order; the ones the trimmed mean dropped in brackets."""
    dropped = list(subject.dropped)
    parts = []
    for sheet in subject.sheets:
        shown = fmt_points(sheet.total)
        if sheet.rater in dropped:
            dropped.remove(sheet.rater)
            shown = f"({shown})"
        parts.append(shown)
    return " ".join(parts)


def veto_text(subject: SubjectPanel) -> str:
    applying = [v for v in subject.vetoes if v.applies]
    if applying:
        who = dict.fromkeys(r for v in applying for r in v.raters)
        return "✗ " + "、".join(who)
    raised = dict.fromkeys(r for v in subject.vetoes for r in v.raters)
    return f"({'、'.join(raised)})" if raised else ""


def row_cells(subject: SubjectPanel) -> list[str]:
    spread = fmt_points(subject.spread) + (" ⚠" if subject.spread_flag else "")
    return [str(subject.rank), subject.subject_name, score_text(subject), subject.grade, spread,
            veto_text(subject), raters_text(subject)]  # fmt: skip


def subject_lines(subject: SubjectPanel, lang: str) -> list[str]:
    """The highlighted subject: score, spread, vetoes with who and their notes, then raters."""
    method = METHOD_NAMES.get(subject.method, (subject.method, subject.method))
    score = fmt_points(subject.total)
    if subject.bonus:
        score += f" + {fmt_points(subject.bonus)} = {fmt_points(subject.final)}"
    flag = " ⚠" if subject.spread_flag else ""
    lines = [
        f"{subject.rank}. {subject.subject_name}（{subject.subject}）",
        f"{tr('panel.score', lang)} {score} · {subject.grade} · "
        f"{tr('panel.spread', lang)} {fmt_points(subject.spread)}{flag} (SD {subject.sd:g})",
    ]
    for veto in subject.vetoes:
        status = tr("panel.veto_applies" if veto.applies else "panel.veto_not", lang)
        lines += [status, f"  {veto.text}"]
        lines += [f"  · {r.rater}：{r.note or tr('detail.none', lang)}" for r in veto.raised_by]
    if subject.grade_reason and not subject.vetoed:
        lines.append(f"{tr('review.reason', lang)}：{subject.grade_reason}")
    lines.append(tr("panel.method", lang, method=method[1] if lang == "en" else method[0]))
    dropped = list(subject.dropped)
    for sheet in subject.sheets:
        gone = sheet.rater in dropped
        if gone:
            dropped.remove(sheet.rater)
        lines.append("  " + tr(
            "panel.sheet_line", lang, rater=sheet.rater, total=fmt_points(sheet.total),
            bonus=f"+{fmt_points(sheet.bonus)}" if sheet.bonus else "", grade=sheet.grade,
            dropped=tr("panel.dropped", lang) if gone else "",
        ))  # fmt: skip
    for sheet in subject.self_assessments:
        lines.append(f"  {tr('panel.self', lang)} {sheet.rater}：{fmt_points(sheet.final)}")
    return lines
