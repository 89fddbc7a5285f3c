"""What each chart plots, computed without matplotlib (so tests can check the figures).

Every function takes a `PanelView` (form, round, counted records, panel result and the figures
computed once from them) and returns a frozen dataclass the matching drawing module renders as
is; none works a figure out again, so every chart shows the numbers the other views show.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable
from dataclasses import replace

from inspect_kit.base.errors import InspectKitError
from inspect_kit.charts.chart_types import (  # noqa: F401  (re-exported: callers import them here)
    RANK_ROWS_PER_PAGE,
    ChartData,
    Drawing,
    HistData,
    ItemsData,
    RadarData,
    RankingData,
    RankRow,
    RatersData,
    SectionBox,
    SectionsData,
    band_label,
    bin_counts,
    ranking_pages,
    row_note,
)
from inspect_kit.domain.model import Form
from inspect_kit.domain.panel_view import PanelView

ITEMS_SHOWN = 12
"""How many items the `items` chart lists (most points lost first)."""


def grade_index(form: Form, grade: str) -> int:
    """0 for the best grade ... len(grades) - 1 for the lowest; unknown grades count as lowest."""
    for index, g in enumerate(form.grades):
        if g.grade == grade:
            return index
    return len(form.grades) - 1


def hist_data(view: PanelView, bin_width: float = 5) -> HistData:
    subjects = view.panel.subjects
    scores = tuple(s.final for s in subjects)
    kinds = tuple(
        "vetoed" if s.vetoed else "downgraded" if s.downgraded else "score" for s in subjects
    )
    top = view.form.total + view.form.bonus_cap
    low = min(scores) if scores else 0.0
    # Start at a multiple of 10 below the lowest score, so the bars fill the plot, but always
    # low enough that the lowest band shows at least one bin.
    lowest_high = view.form.grades[-2].min if len(view.form.grades) > 1 else top
    x_min = max(0.0, min(math.floor((low - 1) / 10) * 10, lowest_high - bin_width))
    edges = [x_min]
    while edges[-1] < top - 1e-9:
        edges.append(min(top, edges[-1] + bin_width))
    return HistData(
        title=view.form.title,
        round=view.round,
        scores=scores,
        bins=tuple(edges),
        bands=view.grade_tally,
        mean=round(statistics.fmean(scores), 2) if scores else 0.0,
        median=round(statistics.median(scores), 2) if scores else 0.0,
        x_min=x_min,
        x_max=top,
        kinds=kinds,
        decimals=view.form.decimals,
    )


def sections_data(view: PanelView) -> SectionsData:
    ratios = view.section_ratios
    boxes = []
    for section in view.form.scored_sections:
        values = ratios.get(section.id)
        if not values:
            continue
        percents = tuple(round(v * 100, 1) for v in values)
        boxes.append(
            SectionBox(
                section.id,
                section.title,
                section.points,
                percents,
                round(statistics.median(percents), 1),
            )
        )
    thresholds = tuple((g.grade, g.section_min * 100) for g in view.form.grades if g.section_min)
    return SectionsData(view.form.title, view.round, tuple(boxes), thresholds)


def ranking_data(view: PanelView) -> RankingData:
    rows = []
    for s in view.panel.subjects:
        finals = [sheet.final for sheet in s.sheets]
        raters = tuple(dict.fromkeys(r for v in s.vetoes if v.applies for r in v.raters))
        rows.append(
            RankRow(
                s.rank,
                s.subject,
                s.subject_name,
                s.final,
                min(finals),
                max(finals),
                s.grade,
                grade_index(view.form, s.grade),
                s.vetoed,
                raters,
                s.spread_flag,
                s.short_panel,
                s.downgraded,
                s.fmt(s.final),
                any(v.changed for v in s.voided),
            )
        )
    return RankingData(
        view.form.title,
        view.round,
        tuple(rows),
        tuple(g.grade for g in view.form.grades),
        view.form.veto_grade or view.form.grades[-1].grade,
        view.form.total + view.form.bonus_cap,
        subjects=len(rows),
        tally=view.grade_tally,
    )


def radar_data(view: PanelView, subject_id: str) -> RadarData:
    subject = view.panel.subject(subject_id)
    if subject is None:
        known = "、".join(s.subject for s in view.panel.subjects[:12])
        raise InspectKitError(
            f"轮次 {view.round} 没有对象 {subject_id} 的检查组评分；"
            f"可选：{known}{' 等' if len(view.panel.subjects) > 12 else ''}"
        )
    medians = view.median_profile
    sections = [s for s in subject.sections if s.id in medians]
    return RadarData(
        title=view.form.title,
        round=view.round,
        subject=subject.subject,
        name=subject.subject_name,
        labels=tuple(s.title for s in sections),
        values=tuple(round(s.ratio * 100, 1) for s in sections),
        medians=tuple(round(medians[s.id] * 100, 1) for s in sections),
        score=subject.final,
        grade=subject.grade,
        rank=subject.rank,
        subjects=len(view.panel.subjects),
        vetoed=subject.vetoed,
        short_panel=subject.short_panel,
        score_text=subject.fmt(subject.final),
    )


def items_data(view: PanelView, limit: int = ITEMS_SHOWN) -> ItemsData:
    return ItemsData(view.form.title, view.round, view.items_by_loss(limit))


def raters_data(view: PanelView) -> RatersData:
    return RatersData(view.form.title, view.round, view.panel.leniency, view.calibration)


def chart_data(kind: str, view: PanelView, subject: str | None = None) -> ChartData:
    """The data behind a chart kind (radar needs a subject). For a `review: required` form the
    round as the subtitle shows it says how many sheets await review (`review_round`)."""
    return replace(_chart_data(kind, view, subject), round=review_round(view))


def review_round(view: PanelView) -> str:
    """The round as a chart's subtitle shows it: with the 待审核 count when the form requires
    review (the numbers are the view's own `ReviewTally`)."""
    tally = view.review
    if not tally.required:
        return view.round
    note = (f"审核通过 {tally.approved} 张计入，"
            f"待审核 {tally.awaiting}、退回 {tally.returned} 张未计入")  # fmt: skip
    return f"{view.round}  ·  {note}"


def _chart_data(kind: str, view: PanelView, subject: str | None = None) -> ChartData:
    if kind == "radar":
        if not subject:
            raise InspectKitError("雷达图需要指定对象：--subject ID")
        return radar_data(view, subject)
    makers: dict[str, Callable[[PanelView], ChartData]] = {
        "hist": hist_data,
        "sections": sections_data,
        "ranking": ranking_data,
        "items": items_data,
        "raters": raters_data,
    }
    if kind not in makers:
        raise InspectKitError(
            f"没有“{kind}”这种图；可选：hist、sections、ranking、radar、items、raters"
        )
    return makers[kind](view)


def drawings(view: PanelView, kinds: Iterable[str], subjects: Iterable[str] = ()) -> list[Drawing]:
    """What `render.write_drawings` draws for these kinds: radar once per subject (every subject
    when none is given). Every figure is computed before anything is drawn, so an unknown kind
    or subject is reported before a file is written."""
    from inspect_kit.charts import KINDS

    chosen = list(subjects) or [s.subject for s in view.panel.subjects]
    out = []
    for kind in kinds:
        if kind not in KINDS:
            raise InspectKitError(f"没有“{kind}”这种图；可选：{'、'.join(KINDS)}")
        for subject in chosen if kind == "radar" else [None]:
            stem = f"{view.form.form}-{view.round}-{kind}" + (f"-{subject}" if subject else "")
            out.append(Drawing(kind, stem, chart_data(kind, view, subject)))
    return out
