"""The figures charts and the meeting pack draw from a round's panel (DESIGN §6).

Pure functions over a `PanelResult` and the round's counted sheets: subjects per score band and
per final grade, items ranked by points lost, section ratios and the round's median profile,
and every deduction with its note. `panel_view.PanelView` computes each once per round.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from inspect_kit.domain.answers import Answer, display_value
from inspect_kit.domain.model import Form
from inspect_kit.domain.panel import EPS, PanelResult, round_points
from inspect_kit.domain.panel_rounds import counted_docs
from inspect_kit.domain.subject_result import GradeCount


@dataclass(frozen=True)
class BandCount:
    grade: str
    low: float
    high: float
    """Upper edge (the next better band's min, or the form's total + bonus cap)."""
    count: int


def band_edges(form: Form) -> list[tuple[str, float, float]]:
    """(grade, low, high) for each score band, best first."""
    top = form.total + form.bonus_cap
    if form.score_cap is not None:  # the score never shows above the cap
        top = min(top, form.score_cap)
    edges = []
    for index, grade in enumerate(form.grades):
        high = top if index == 0 else form.grades[index - 1].min
        edges.append((grade.grade, grade.min, high))
    return edges


def band_counts(form: Form, panel: PanelResult) -> list[BandCount]:
    """Subjects per score band (by the panel score alone, before section_min and vetoes)."""
    counts = {g.grade: 0 for g in form.grades}
    for subject in panel.subjects:
        counts[subject.band] = counts.get(subject.band, 0) + 1
    return [BandCount(g, lo, hi, counts.get(g, 0)) for g, lo, hi in band_edges(form)]


def grade_tally(form: Form, panel: PanelResult) -> list[GradeCount]:
    """Subjects per final grade, best first, with the vetoed and the downgraded (by a section
    floor) counted apart: what the histogram, the ranking and every count show."""
    counts = {g.grade: [0, 0, 0] for g in form.grades}
    for subject in panel.subjects:
        count = counts.setdefault(subject.grade, [0, 0, 0])
        count[0] += 1
        count[1] += subject.vetoed
        count[2] += subject.downgraded
    return [GradeCount(g, lo, hi, *counts[g]) for g, lo, hi in band_edges(form)]


def grade_counts(form: Form, panel: PanelResult) -> dict[str, int]:
    """Subjects per final grade (after section_min and vetoes), in the form's order."""
    counts = {g.grade: 0 for g in form.grades}
    for subject in panel.subjects:
        counts[subject.grade] = counts.get(subject.grade, 0) + 1
    return counts


@dataclass(frozen=True)
class ItemLoss:
    id: str
    text: str
    section: str
    max: float
    mean_lost: float
    """Average points lost per sheet where the item applied."""
    share_lost: float
    """mean_lost / max."""
    sheets: int
    sheets_losing: int


def item_losses(form: Form, docs: Sequence[Mapping[str, Any]]) -> list[ItemLoss]:
    """Scored items ranked by average points lost over these counted sheets (most lost first);
    self-assessments are left out, and items nobody lost points on are not listed."""
    docs = [d for d in docs if d.get("role") != "self"]
    out = []
    for section, item in form.iter_items():
        if section.bonus or not item.scored:
            continue
        losses = [
            float(d["score"]["items"][item.id]["lost"])
            for d in docs
            if item.id in d["score"]["items"]
            and d["score"]["items"][item.id].get("points") is not None
        ]
        if not losses:
            continue
        mean = sum(losses) / len(losses)
        out.append(
            ItemLoss(
                item.id,
                item.text,
                section.title,
                item.max_points,
                round_points(mean),
                round(mean / item.max_points, 4),
                len(losses),
                sum(1 for x in losses if x > EPS),
            )
        )
    out.sort(key=lambda x: (-x.mean_lost, -x.share_lost, x.id))
    return [x for x in out if x.mean_lost > 0]


def items_by_loss(
    form: Form, records: Iterable[Mapping[str, Any]], round_: str, limit: int | None = None
) -> list[ItemLoss]:
    """Scored items ranked by average points lost over inspectors' sheets (most lost first)."""
    out = item_losses(form, counted_docs(records, form.form, round_))
    return out[:limit] if limit else out


def section_ratios(panel: PanelResult) -> dict[str, list[float]]:
    """Section id -> each subject's panel ratio (0..1) for that section, in rank order."""
    out: dict[str, list[float]] = {}
    for subject in panel.subjects:
        for section in subject.sections:
            out.setdefault(section.id, []).append(section.ratio)
    return out


def median_profile(panel: PanelResult) -> dict[str, float]:
    """Section id -> the round's median ratio over subjects."""
    return {k: round(statistics.median(v), 4) for k, v in section_ratios(panel).items() if v}


@dataclass(frozen=True)
class Deduction:
    rater: str
    section: str
    item: str
    text: str
    value: str
    lost: float
    note: str


def deductions(
    form: Form, records: Iterable[Mapping[str, Any]], round_: str, subject: str
) -> list[Deduction]:
    """Every deduction on inspectors' sheets for a subject, in form order then rater."""
    docs = [
        d
        for d in counted_docs(records, form.form, round_)
        if d["subject"] == subject and d.get("role") != "self"
    ]
    return sheet_deductions(form, docs)


def sheet_deductions(form: Form, docs: Sequence[Mapping[str, Any]]) -> list[Deduction]:
    """Every deduction on these sheets (already counted, in rater order), in form order."""
    out = []
    for section, item in form.iter_items():
        if section.bonus:  # a bonus not earned is not a deduction (older sheets stored it so)
            continue
        for doc in docs:
            item_score = doc["score"]["items"].get(item.id)
            if not item_score or float(item_score.get("lost") or 0) <= EPS:
                continue
            answer = Answer.from_dict(doc.get("answers", {}).get(item.id, {}))
            out.append(
                Deduction(
                    doc["rater"],
                    section.title,
                    item.id,
                    item.text,
                    display_value(item, answer.value),
                    float(item_score["lost"]),
                    answer.note,
                )
            )
    return out
