"""A round's trust figures worded once (zh or en) and as JSON: agreement, robustness, conflicts.

The CLI `panel` table, the TUI panel screen and the meeting pack print these lines; `panel
--json` carries `trust_json`. Every figure comes from the one `PanelView` (computed once there).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from inspect_kit.domain.calibration import DRIFT_NOTABLE
from inspect_kit.domain.panel_agreement import IccFigure, ItemAlpha
from inspect_kit.i18n.catalog import tr
from inspect_kit.i18n.form_text import grade_for, text_for, title_for

if TYPE_CHECKING:
    from inspect_kit.domain.panel_view import PanelView
    from inspect_kit.domain.robustness import SubjectRobustness


LOW_ITEMS_SHOWN = 10
"""Low-agreement items listed in text (lowest first); `--json` and the pack carry them all."""


def _n(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def reading_word(reading: str, lang: str = "zh") -> str:
    return tr(f"trust.reading.{reading}", lang)


def _section_title(view: PanelView | None, section_id: str, fallback: str, lang: str) -> str:
    section = next((s for s in view.form.sections if s.id == section_id), None) if view else None
    return title_for(section, lang) if section is not None else fallback


def _item_words(view: PanelView, item: ItemAlpha, lang: str) -> tuple[str, str]:
    """(item text, section title) in `lang` (the form's *_en where present)."""
    for section, form_item in view.form.iter_items():
        if form_item.id == item.id:
            return text_for(form_item, lang), title_for(section, lang)
    return item.text, item.section


def icc_line(figure: IccFigure, lang: str = "zh", view: PanelView | None = None) -> str:
    scope = (tr("trust.total", lang) if figure.scope == "total"
             else _section_title(view, figure.scope, figure.title, lang))  # fmt: skip
    icc = figure.icc
    if icc is None:
        return tr("trust.icc_none", lang, scope=scope, why=tr("trust.icc_none_why", lang))
    return tr(
        "trust.icc_line", lang, scope=scope, k=icc.raters,
        icc1=_n(icc.icc1), ci1=", ".join(map(_n, icc.icc1_ci)),
        r1=reading_word(figure.reading_single, lang),
        icck=_n(icc.icck), cik=", ".join(map(_n, icc.icck_ci)),
        rk=reading_word(figure.reading_mean, lang),
    )  # fmt: skip


def agreement_lines(view: PanelView, lang: str = "zh") -> list[str]:
    """The round's agreement: totals, sections, items with low agreement, the thresholds."""
    a = view.agreement
    lines = [tr("trust.agreement", lang), "  " + icc_line(a.total, lang)]
    lines.append("  " + tr("trust.alpha_total", lang, alpha=_n(a.total_alpha),
                           reading=reading_word(a.total_alpha_reading, lang)))  # fmt: skip
    if a.total.icc is not None and not a.total.complete:
        lines.append(tr("trust.block", lang, n=len(a.total.block_subjects),
                        k=len(a.total.block_raters), all_n=a.total.subjects,
                        all_k=a.total.raters))  # fmt: skip
    lines += ["  " + icc_line(s, lang, view) for s in a.sections]
    computable = [i for i in a.items if i.alpha is not None]
    lines.append("  " + tr("trust.items", lang, n=len(computable), low=len(a.low_items)))
    if a.low_items:
        lines.append("  " + tr("trust.low_items", lang))
        for i in a.low_items[:LOW_ITEMS_SHOWN]:
            text, section = _item_words(view, i, lang)
            lines.append("  " + tr("trust.low_item", lang, text=text, section=section,
                                   alpha=_n(i.alpha), units=i.units))  # fmt: skip
        if len(a.low_items) > LOW_ITEMS_SHOWN:
            lines.append("  " + tr("trust.more_items", lang, n=len(a.low_items) - LOW_ITEMS_SHOWN))
    lines.append("  " + tr("trust.thresholds", lang))
    return lines


def robustness_cell(
    view: PanelView, subject_id: str, lang: str = "zh", row: SubjectRobustness | None = None
) -> str:
    """'去掉任一评委后等次不变', or which raters' removal changes the grade and to what.
    `row`: the subject's robustness row, when the caller holds it (a table of every subject
    that looked each one up in the list spent quadratic time: 0.05 s of a 100k panel)."""
    if row is None:
        row = next((r for r in view.robustness if r.subject == subject_id), None)
    if row is None or row.grade_stable:
        return tr("trust.robust_stable", lang)
    unscored = tr("trust.unscored", lang)
    changes = [
        f"{x.rater}→{grade_for(view.form, x.grade, lang) if x.grade else unscored}"
        for x in row.without
        if x.rater in row.grade_changers
    ]
    sep = ", " if lang == "en" else "、"
    return tr("trust.robust_changes", lang, who=sep.join(row.grade_changers), to=sep.join(changes))


def _ranks(row: SubjectRobustness) -> str:
    return f"{row.rank_low}–{row.rank_high}" if row.rank_low != row.rank_high else str(row.rank)


def robustness_lines(view: PanelView, lang: str = "zh") -> list[str]:
    """The 稳健性 table: each subject's rank range and whether its grade holds."""
    if not view.robustness:
        return []
    lines = [tr("trust.robustness", lang)]
    for row in view.robustness:
        cell = robustness_cell(view, row.subject, lang, row)
        lines.append(tr("trust.robust_row", lang, rank=row.rank, name=row.subject_name,
                        ranks=_ranks(row), grade=cell))  # fmt: skip
    return lines


def subject_trust_lines(view: PanelView, subject_id: str, lang: str = "zh") -> list[str]:
    """The highlighted subject's 稳健性 (rank range, grade without each rater), its conflicts
    (回避) and its re-score round, for the TUI panel's subject box."""
    lines = []
    row = next((r for r in view.robustness if r.subject == subject_id), None)
    if row is not None:
        ranks = _ranks(row)
        lines.append(tr("trust.subject_robust", lang, ranks=ranks,
                        grade=robustness_cell(view, subject_id, lang)))  # fmt: skip
    lines += [f"⚑ {conflict_mark(doc, lang)}" for doc in view.subject_conflicts(subject_id)]
    for summary in view.rescores:
        if summary.round.subject == subject_id:
            first, final = _score(summary.first_score), _score(summary.final_score)
            lines.append(tr("trust.subject_rescore", lang, first=first, final=final,
                            reason=summary.round.reason))  # fmt: skip
    return lines


def round_trust_lines(view: PanelView, lang: str = "zh") -> list[str]:
    """The round's agreement in brief (totals, items with low agreement), for narrow boxes."""
    a = view.agreement
    icc = a.total.icc
    lines = [tr("trust.agreement", lang)]
    if icc is None:
        lines.append(tr("trust.icc_none", lang, scope=tr("trust.total", lang),
                        why=tr("trust.icc_none_why", lang)))  # fmt: skip
    else:
        lines.append(f"ICC(2,1) {_n(icc.icc1)} {reading_word(a.total.reading_single, lang)}")
        lines.append(f"ICC(2,{icc.raters}) {_n(icc.icck)} "
                     f"{reading_word(a.total.reading_mean, lang)}")  # fmt: skip
        if not a.total.complete:
            lines.append(tr("trust.block_short", lang, n=len(a.total.block_subjects),
                            k=len(a.total.block_raters)))  # fmt: skip
    lines.append(f"α {_n(a.total_alpha)} {reading_word(a.total_alpha_reading, lang)}")
    lines.append(tr("trust.low_count", lang, n=len(a.low_items)))
    lines += [f"· {_item_words(view, i, lang)[0]} α {_n(i.alpha)}"
              for i in a.low_items[:LOW_ITEMS_SHOWN]]  # fmt: skip
    return lines


def conflict_mark(doc: Any, lang: str = "zh") -> str:
    reason = str(doc.get("conflict_reason") or "") or tr("trust.no_reason", lang)
    return tr("trust.conflict_mark", lang, rater=doc["rater"], reason=reason)


def conflict_lines(view: PanelView, lang: str = "zh") -> list[str]:
    """Every sheet of the round left out by a declared conflict, by subject."""
    if not view.conflicted:
        return []
    lines = [tr("trust.conflicts", lang)]
    for doc in view.conflicted:
        reason = str(doc.get("conflict_reason") or "") or tr("trust.no_reason", lang)
        lines.append(tr("trust.conflict_line", lang, subject=doc.get("subject_name") or
                        doc["subject"], rater=doc["rater"], reason=reason))  # fmt: skip
    return lines


def rescore_lines(view: PanelView, lang: str = "zh") -> list[str]:
    """Each re-score round: why, who opened it, first → final panel score, spread and grade,
    and every rater's first → final total with the reason for the amendment."""
    if not view.rescores:
        return []
    lines = [tr("rescore.head", lang, max=f"{view.form.panel.max_spread:g}")]
    for summary in view.rescores:
        result = view.result(summary.round.subject)
        name = result.subject_name if result else summary.round.subject

        def grade(value: str | None) -> str:
            return grade_for(view.form, value, lang) if value else "–"

        lines.append(tr("rescore.subject", lang, subject=name, reason=summary.round.reason,
                        by=summary.round.by, first=_score(summary.first_score),
                        final=_score(summary.final_score), s1=_score(summary.first_spread),
                        s2=_score(summary.final_spread), g1=grade(summary.first_grade),
                        g2=grade(summary.final_grade)))  # fmt: skip
        for row in summary.rows:
            why = (tr("rescore.why", lang, reason=row.reason) if row.amended
                   else tr("rescore.unchanged", lang))  # fmt: skip
            lines.append(tr("rescore.row", lang, rater=row.rater, first=_score(row.first),
                            final=_score(row.final), why=why))  # fmt: skip
    return lines


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def calibration_lines(view: PanelView, lang: str = "zh") -> list[str]:
    """Each rater's leniency round by round and the drift (with two or more rounds)."""
    if not view.calibration or len(view.calibration[0].rounds) < 2:
        return []
    rounds = [r.round for r in view.calibration[0].rounds]
    width = max(len(c.rater) for c in view.calibration) * 2
    lines = [tr("trust.calibration", lang),
             "  " + " " * width + "".join(f"{r:>8}" for r in rounds)
             + f"  {tr('trust.drift', lang)}"]  # fmt: skip
    for c in view.calibration:
        cells = "".join(f"{'–' if r.deviation is None else f'{r.deviation:+.2f}':>8}"
                        for r in c.rounds)  # fmt: skip
        drift = "–" if c.drift is None else f"{c.drift:+.2f}" + (" ⚠" if c.notable else "")
        pad = " " * max(0, width - 2 * len(c.rater))
        lines.append(f"  {c.rater}{pad}{cells}  {drift}")
    lines.append("  " + tr("trust.drift_note", lang, points=f"{DRIFT_NOTABLE:g}"))
    return lines


def trust_json(view: PanelView) -> dict[str, Any]:
    """Every trust figure of the round as plain data (for `panel --json`)."""
    a = view.agreement

    def icc(figure: IccFigure) -> dict[str, Any]:
        data = asdict(figure)
        data["complete"] = figure.complete
        return data

    return {
        "agreement": {
            "method": {
                "icc": "Shrout & Fleiss (1979) ICC(2,1)/ICC(2,k), two-way random, absolute "
                "agreement; 95% CI McGraw & Wong (1996) case 2A",
                "alpha": "Krippendorff (2011) alpha; ordinal for yesno/choice/multi items, "
                "interval otherwise; N/A and missing left out",
                "thresholds": {
                    "icc": "Koo & Li 2016: <0.5 poor, 0.5-0.75 moderate, "
                    "0.75-0.9 good, >0.9 excellent",
                    "alpha": ">=0.8 good, >=0.667 tentative, else poor",
                },
                "incomplete": "ICC on the largest complete subjects x raters block; alpha on "
                "every sheet",
            },  # fmt: skip
            "total": icc(a.total),
            "total_alpha": a.total_alpha,
            "total_alpha_reading": a.total_alpha_reading,
            "complete": a.complete,
            "sections": [icc(s) for s in a.sections],
            "items": [{**asdict(i), "low": i.low} for i in a.items],
            "low_items": [i.id for i in a.low_items],
        },
        "robustness": [
            {**asdict(r), "grade_stable": r.grade_stable, "rank_stable": r.rank_stable}
            for r in view.robustness
        ],
        "rescore": [
            {
                "subject": s.round.subject,
                "reason": s.round.reason,
                "by": s.round.by,
                "at": s.round.at,
                "first_score": s.first_score,
                "final_score": s.final_score,
                "first_spread": s.first_spread,
                "final_spread": s.final_spread,
                "first_grade": s.first_grade,
                "final_grade": s.final_grade,
                "raters": [asdict(r) for r in s.rows],
            }
            for s in view.rescores
        ],  # fmt: skip
        "calibration": [
            {
                "rater": c.rater,
                "drift": c.drift,
                "notable": c.notable,
                "rounds": [asdict(r) for r in c.rounds],
            }
            for c in view.calibration
        ],  # fmt: skip
        "conflicts": [
            {
                "uuid": d["uuid"],
                "subject": d["subject"],
                "rater": d["rater"],
                "reason": d.get("conflict_reason") or "",
            }
            for d in view.conflicted
        ],  # fmt: skip
    }
