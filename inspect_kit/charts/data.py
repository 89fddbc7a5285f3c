"""What each chart plots, computed without matplotlib (so tests can check the figures).

Every function takes a `PanelView` (form, round, counted records, panel result and the figures
computed once from them) and returns a frozen dataclass the matching drawing module renders as
is; none works a figure out again, so every chart shows the numbers the other views show.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, replace

from inspect_kit.base.errors import InspectKitError
from inspect_kit.domain.calibration import RaterCalibration
from inspect_kit.domain.model import Form
from inspect_kit.domain.panel import Leniency
from inspect_kit.domain.panel_figures import ItemLoss
from inspect_kit.domain.panel_view import PanelView
from inspect_kit.domain.subject_result import GradeCount

ITEMS_SHOWN = 12
"""How many items the `items` chart lists (most points lost first)."""


def grade_index(form: Form, grade: str) -> int:
    """0 for the best grade ... len(grades) - 1 for the lowest; unknown grades count as lowest."""
    for index, g in enumerate(form.grades):
        if g.grade == grade:
            return index
    return len(form.grades) - 1


@dataclass(frozen=True)
class HistData:
    title: str
    round: str
    scores: tuple[float, ...]
    """Each subject's panel score as shown (total + bonus)."""
    bins: tuple[float, ...]
    bands: tuple[GradeCount, ...]
    """Best first; subjects per FINAL grade (after section floors and vetoes), the vetoed and
    downgraded counted apart: the same counts as the panel, the ranking and the export."""
    mean: float
    median: float
    x_min: float
    x_max: float
    kinds: tuple[str, ...] = ()
    """Per score: 'score' (graded by it), 'downgraded' (a section floor), 'vetoed'."""
    decimals: int = 1


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


def band_label(data: HistData, index: int) -> str:
    """'≥90 分' for a band with a floor, '<75 分' for the lowest (whose min is 0)."""
    band = data.bands[index]
    if index == len(data.bands) - 1 and index:
        return f"<{band.high:g} 分"
    return f"≥{band.low:g} 分"


def bin_counts(data: HistData, kind: str | None = None) -> list[int]:
    """How many scores fall in each bin [edge, next edge); the last bin includes its top.

    `kind`: only the subjects of that kind ('score', 'downgraded', 'vetoed')."""
    counts = [0] * (len(data.bins) - 1)
    kinds = data.kinds or ("score",) * len(data.scores)
    for score, what in zip(data.scores, kinds, strict=True):
        if kind is not None and what != kind:
            continue
        for i in range(len(counts)):
            last = i == len(counts) - 1
            if data.bins[i] <= score < data.bins[i + 1] or (last and score == data.bins[i + 1]):
                counts[i] += 1
                break
    return counts


@dataclass(frozen=True)
class SectionBox:
    id: str
    title: str
    points: float
    percents: tuple[float, ...]
    """Each subject's panel score for the section as % of its points."""
    median: float


@dataclass(frozen=True)
class SectionsData:
    title: str
    round: str
    sections: tuple[SectionBox, ...]
    thresholds: tuple[tuple[str, float], ...]
    """(grade, section_min as %) for grades that require one."""


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


@dataclass(frozen=True)
class RankRow:
    rank: int
    subject: str
    name: str
    score: float
    """Panel score (total + bonus)."""
    low: float
    high: float
    """Lowest and highest rater's score (total + bonus) for this subject."""
    grade: str
    grade_index: int
    vetoed: bool
    veto_raters: tuple[str, ...]
    spread_flag: bool
    short_panel: bool = False
    """评委不足: fewer sheets than the form's min_raters."""
    downgraded: bool = False
    """A section floor lowered the grade."""
    score_text: str = ""
    """The score as shown (the form's decimals)."""
    void_changed: bool = False
    """A voided sheet changed this subject's result (named in the panel and the export)."""


@dataclass(frozen=True)
class RankingData:
    title: str
    round: str
    rows: tuple[RankRow, ...]
    """Rank order, best first (this page's rows when paged)."""
    grades: tuple[str, ...]
    veto_grade: str
    x_max: float
    page: int = 1
    pages: int = 1
    subjects: int = 0
    """Subjects in the whole ranking (all pages)."""
    tally: tuple[GradeCount, ...] = ()
    """Subjects per final grade (the same counts as every other view)."""


RANK_ROWS_PER_PAGE = 25
"""Rows per A4 page of the ranking chart."""


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


def ranking_pages(data: RankingData, per_page: int = RANK_ROWS_PER_PAGE) -> list[RankingData]:
    """The ranking split into pages of at most `per_page` rows (evenly, so no page is a stub)."""
    n = len(data.rows)
    pages = max(1, math.ceil(n / per_page))
    size = math.ceil(n / pages) if n else 0
    return [
        replace(data, rows=data.rows[i * size : (i + 1) * size], page=i + 1, pages=pages)
        for i in range(pages)
    ]


def row_note(row: RankRow) -> str:
    """What stands right of a ranking bar: score as shown, grade and every mark (the chart
    and the pack's own ranking pages)."""
    text = f"{row.score_text or f'{row.score:.1f}'}  {row.grade}"
    if row.vetoed:
        text += "  ✗ 否决"
    elif row.downgraded:
        text += "  ↓ 降等"
    if row.spread_flag:
        text += "  ⚠ 分差大"
    if row.short_panel:
        text += "  ⚑ 评委不足"
    if row.void_changed:
        text += "  ⚑ 作废影响结果"
    return text


@dataclass(frozen=True)
class RadarData:
    title: str
    round: str
    subject: str
    name: str
    labels: tuple[str, ...]
    """Section titles."""
    values: tuple[float, ...]
    """The subject's panel score per section, % of its points."""
    medians: tuple[float, ...]
    """The round's median over subjects, % of points."""
    score: float
    grade: str
    rank: int
    subjects: int
    vetoed: bool = False
    short_panel: bool = False
    score_text: str = ""
    """The score as shown (the form's decimals)."""


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


@dataclass(frozen=True)
class ItemsData:
    title: str
    round: str
    items: tuple[ItemLoss, ...]
    """Most points lost on average first."""


def items_data(view: PanelView, limit: int = ITEMS_SHOWN) -> ItemsData:
    return ItemsData(view.form.title, view.round, view.items_by_loss(limit))


@dataclass(frozen=True)
class RatersData:
    title: str
    round: str
    raters: tuple[Leniency, ...]
    """Most lenient first."""
    history: tuple[RaterCalibration, ...] = ()
    """Each rater's leniency in every round of the form and its drift (the view's)."""


def raters_data(view: PanelView) -> RatersData:
    return RatersData(view.form.title, view.round, view.panel.leniency, view.calibration)


ChartData = HistData | SectionsData | RankingData | RadarData | ItemsData | RatersData


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
