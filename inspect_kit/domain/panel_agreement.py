"""How far a round's raters agree: ICC of totals and sections, Krippendorff's alpha per item.

Pure functions over the sheets a panel counts (inspectors' only, after every exclusion the panel
makes, e.g. declared conflicts), so the agreement describes exactly the scores the panel used.
The maths and the thresholds are in `agreement`; this module picks the figures out of sheets.

Incomplete designs (not every rater scored every subject): the ICC needs a complete table, so it
is computed on the largest complete block (`agreement.complete_block`) and says so (`complete`
False, with the block's size); alpha handles missing values itself and uses every sheet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from inspect_kit.domain.agreement import (
    ALPHA_TENTATIVE,
    Icc,
    Level,
    Reading,
    alpha_reading,
    complete_block,
    icc2,
    icc_reading,
    krippendorff_alpha,
    pairable_alpha,
)
from inspect_kit.domain.model import Form

ORDINAL_TYPES = ("yesno", "choice", "multi")
"""Items whose points are ordered categories (alpha ordinal); other scored items are interval."""


@dataclass(frozen=True)
class IccFigure:
    """ICC(2,1) and ICC(2,k) of one score (the total, or a section) over a round."""

    scope: str
    """'total' or the section id."""
    title: str
    icc: Icc | None
    """None when there is no complete block of 2 × 2 or the scores do not vary."""
    reading_single: Reading
    """Koo & Li reading of ICC(2,1)."""
    reading_mean: Reading
    """Koo & Li reading of ICC(2,k): how far the panel's mean can be trusted."""
    subjects: int
    raters: int
    """The whole design's subjects and raters."""
    block_subjects: tuple[str, ...]
    block_raters: tuple[str, ...]
    """The complete block the ICC was computed on."""

    @property
    def complete(self) -> bool:
        """True when the ICC used every subject and every rater of the round."""
        return len(self.block_subjects) == self.subjects and len(self.block_raters) == self.raters


@dataclass(frozen=True)
class ItemAlpha:
    """Krippendorff's alpha of one item's points across the round's raters."""

    id: str
    text: str
    section: str
    level: Level
    alpha: float | None
    """None when undefined: fewer than two pairable values, or no variation at all."""
    reading: Reading
    units: int
    """Subjects with at least two raters' values (N/A and missing left out)."""
    values: int

    @property
    def low(self) -> bool:
        """Below Krippendorff's 0.667: the item's 评分标准 may be unclear."""
        return self.alpha is not None and self.alpha < ALPHA_TENTATIVE


@dataclass(frozen=True)
class RoundAgreement:
    """Every agreement figure of a round."""

    total: IccFigure
    total_alpha: float | None
    """Interval alpha of the raters' totals over every sheet (missing handled, no block)."""
    total_alpha_reading: Reading
    sections: tuple[IccFigure, ...]
    items: tuple[ItemAlpha, ...]
    """In form order."""

    @property
    def low_items(self) -> tuple[ItemAlpha, ...]:
        """Items with low agreement, lowest alpha first."""
        return tuple(sorted((i for i in self.items if i.low), key=lambda i: (i.alpha, i.id)))

    @property
    def complete(self) -> bool:
        return self.total.complete


def _icc_figure(scope: str, title: str, scores: Mapping[str, Mapping[str, float]]) -> IccFigure:
    subjects, raters = complete_block(scores)
    table = [[scores[s][r] for r in raters] for s in subjects]
    icc = icc2(table) if subjects else None
    all_raters = {r for by in scores.values() for r in by}
    return IccFigure(
        scope,
        title,
        icc,
        icc_reading(icc.icc1 if icc else None),
        icc_reading(icc.icck if icc else None),
        len(scores),
        len(all_raters),
        tuple(subjects),
        tuple(raters),
    )


def item_value(doc: Mapping[str, Any], item_id: str) -> float | None:
    """A sheet's points for an item; None when N/A, hidden or not answered."""
    entry = (doc.get("score") or {}).get("items", {}).get(item_id)
    if not entry or entry.get("na") or entry.get("hidden") or entry.get("points") is None:
        return None
    return float(entry["points"])


def item_tables(
    docs: Sequence[Mapping[str, Any]], item_ids: Sequence[str]
) -> dict[str, dict[str, dict[str, float]]]:
    """item id -> subject -> rater -> `item_value`, read in one pass over each sheet's items
    (asking every sheet for every item by id was most of a 100k panel's agreement time).
    Each subject's raters come in name order (the sheets are read in rater order, stably: of
    two sheets of one rater for a subject the later one's value stands, as before)."""
    out: dict[str, dict[str, dict[str, float]]] = {i: defaultdict(dict) for i in item_ids}
    for doc in sorted(docs, key=lambda d: d["rater"]):
        subject, rater = doc["subject"], doc["rater"]
        for item_id, entry in (doc.get("score") or {}).get("items", {}).items():
            by_subject = out.get(item_id)
            if by_subject is None or not entry or entry.get("na") or entry.get("hidden"):
                continue
            if (points := entry.get("points")) is not None:
                by_subject[subject][rater] = float(points)
    return out


def round_agreement(form: Form, docs: Sequence[Mapping[str, Any]]) -> RoundAgreement:
    """The agreement figures of these counted inspectors' sheets (self-assessments ignored)."""
    docs = [d for d in docs if d.get("role") != "self"]
    totals: dict[str, dict[str, float]] = defaultdict(dict)
    sections: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for doc in docs:
        score = doc["score"]
        totals[doc["subject"]][doc["rater"]] = float(score.get("total_exact", score["total"]))
        for section in score["sections"]:
            if not section["bonus"] and section.get("scaled") is not None:
                sections[section["id"]][doc["subject"]][doc["rater"]] = float(section["scaled"])
    raters = sorted({d["rater"] for d in docs})
    subjects = sorted(totals)
    units = [[totals[s].get(r) for r in raters] for s in subjects]
    total_alpha = krippendorff_alpha(units, "interval")
    section_figures = tuple(
        _icc_figure(s.id, s.title, sections[s.id])
        for s in form.scored_sections
        if s.id in sections and s.points > 0
    )
    scored = [(s, i) for s, i in form.iter_items() if not s.bonus and i.scored]
    tables = item_tables(docs, [item.id for _, item in scored])
    items = []
    for section, item in scored:
        by_subject = tables[item.id]
        # Each subject's values in rater order, those with two or more: the units × raters
        # table krippendorff_alpha would narrow to, without its empty cells.
        pairable = [list(by.values()) for s in subjects if len(by := by_subject.get(s) or {}) >= 2]
        level: Level = "ordinal" if item.type in ORDINAL_TYPES else "interval"
        alpha = pairable_alpha(pairable, level)
        items.append(ItemAlpha(
            item.id, item.text, section.title, level, alpha, alpha_reading(alpha),
            len(pairable), sum(map(len, pairable)),
        ))  # fmt: skip
    return RoundAgreement(
        _icc_figure("total", "总分", totals),
        total_alpha,
        alpha_reading(total_alpha),
        section_figures,
        tuple(items),
    )
