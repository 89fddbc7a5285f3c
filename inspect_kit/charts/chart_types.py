"""What each chart plots: the data classes the drawing modules render as they are, and the
small helpers they share (bins, band labels, ranking pages and notes).

Computed from a round's `PanelView` by `charts/data.py`. Nothing here imports the form model
or the panel code, so a process that only draws (`chart`'s, while another reads the store) can
unpickle and draw the classes without them; the items and raters charts' entries are domain
classes (`ItemLoss`, `Leniency`, `RaterCalibration`), which their unpickling imports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from inspect_kit.domain.subject_result import GradeCount

if TYPE_CHECKING:
    from inspect_kit.domain.calibration import RaterCalibration
    from inspect_kit.domain.panel import Leniency
    from inspect_kit.domain.panel_figures import ItemLoss


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


@dataclass(frozen=True)
class ItemsData:
    title: str
    round: str
    items: tuple[ItemLoss, ...]
    """Most points lost on average first."""


@dataclass(frozen=True)
class RatersData:
    title: str
    round: str
    raters: tuple[Leniency, ...]
    """Most lenient first."""
    history: tuple[RaterCalibration, ...] = ()
    """Each rater's leniency in every round of the form and its drift (the view's)."""


ChartData = HistData | SectionsData | RankingData | RadarData | ItemsData | RatersData


@dataclass(frozen=True)
class Drawing:
    """One chart file to write: its kind, the file name's stem and what it plots."""

    kind: str
    stem: str
    """`<form>-<round>-<kind>`, with `-<subject>` for a radar."""
    data: ChartData
