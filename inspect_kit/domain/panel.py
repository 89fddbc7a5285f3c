"""Panel results: several raters' sheets for one subject combined by the form's rule (DESIGN §3).

Pure functions over stored submission records (dicts): no IO, no UI. Only each sheet's newest
revision counts, only status 'final', and self-assessments (role 'self') are kept apart, never
averaged in. Per subject: each section and the total aggregated by `panel.method` (`mean`,
`median`, or `trimmed-mean` dropping `trim` highest and lowest when there are at least
`min_raters` sheets, else the mean); the bonus aggregated the same way and added after; vetoes
with who raised them (any rater's veto applies unless `panel.veto: majority`); the spread of the
raters' totals flagged above `max_spread`; the grade by the form's bands and `section_min`;
a competition rank (1, 2, 2, 4) with vetoed subjects after the others.

Which sheets count lives in `panel_rounds`; the figures charts and the pack draw from a panel in
`panel_figures`; `panel_view.PanelView` holds a round's panel and its figures, each computed once.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from inspect_kit.domain.model import Form
from inspect_kit.domain.panel_rounds import counted_docs
from inspect_kit.domain.reasons import raised_by, veto_reason

# The grading rule is shared with scoring: first band whose min and section_min hold.
from inspect_kit.domain.scoring import grade_with_reason

EPS = 1e-9
DIGITS = 2


def round_points(value: float) -> float:
    """Points as panels show them (DIGITS decimals, halves away from zero)."""
    return round(value + EPS if value >= 0 else value - EPS, DIGITS)


# ---------------------------------------------------------------- aggregation rules


def aggregate(
    values: Sequence[float], method: str, trim: int = 1, min_raters: int = 5
) -> tuple[float, str, tuple[int, ...]]:
    """(value, method actually used, indexes of the values dropped) for a panel's figures.

    `trimmed-mean` drops `trim` lowest and highest only with at least `min_raters` values (and
    something left over); otherwise it is the plain mean. Ties are dropped in input order.
    """
    if not values:
        return 0.0, method, ()
    if method == "median":
        return float(statistics.median(values)), "median", ()
    if (
        method == "trimmed-mean"
        and trim > 0
        and len(values) >= min_raters
        and len(values) > 2 * trim
    ):
        order = sorted(range(len(values)), key=lambda i: (values[i], i))
        dropped = tuple(sorted(order[:trim] + order[-trim:]))
        kept = [v for i, v in enumerate(values) if i not in dropped]
        return sum(kept) / len(kept), "trimmed-mean", dropped
    return sum(values) / len(values), "mean", ()


def competition_ranks(keys: Sequence[Any]) -> list[int]:
    """1, 2, 2, 4 ranking for keys already sorted best first; equal keys share a rank."""
    ranks: list[int] = []
    for index, key in enumerate(keys):
        ranks.append(ranks[-1] if index and key == keys[index - 1] else index + 1)
    return ranks


# ---------------------------------------------------------------- result types


@dataclass(frozen=True)
class RaterSheet:
    """One rater's sheet for a subject as the panel sees it."""

    rater: str
    uuid: str
    revision: int
    role: str
    total: float
    bonus: float
    final: float
    grade: str
    sections: dict[str, float]
    """Section id -> scaled points (scored sections only)."""
    vetoes: tuple[str, ...]
    """Ids of the vetoes this sheet raised."""
    finalized_at: str = ""


@dataclass(frozen=True)
class VetoRaised:
    rater: str
    note: str


@dataclass(frozen=True)
class PanelVeto:
    """One veto question (or a veto/fail option) raised by at least one rater."""

    id: str
    text: str
    source: str
    raised_by: tuple[VetoRaised, ...]
    applies: bool
    """Raised by any rater (panel.veto any) or by more than half of them (majority)."""

    @property
    def raters(self) -> tuple[str, ...]:
        return tuple(r.rater for r in self.raised_by)


@dataclass(frozen=True)
class SectionResult:
    id: str
    title: str
    points: float
    value: float
    """The panel's figure for the section, in points."""
    ratio: float
    """value / points."""
    rater_values: tuple[float, ...]


@dataclass(frozen=True)
class SubjectPanel:
    """The panel result for one subject in one round."""

    subject: str
    subject_name: str
    sheets: tuple[RaterSheet, ...]
    """Inspectors' sheets, ordered by rater name."""
    method: str
    """The rule actually applied to the total (trimmed-mean falls back to mean)."""
    dropped: tuple[str, ...]
    """Raters whose total was dropped by the trimmed mean (lowest first... as found)."""
    sections: tuple[SectionResult, ...]
    total: float
    bonus: float
    final: float
    spread: float
    sd: float
    spread_flag: bool
    vetoes: tuple[PanelVeto, ...]
    band: str
    """The grade the score alone reaches."""
    grade: str
    grade_reason: str | None
    rank: int
    self_assessments: tuple[RaterSheet, ...] = ()

    @property
    def rater_count(self) -> int:
        return len(self.sheets)

    @property
    def vetoed(self) -> bool:
        return any(v.applies for v in self.vetoes)

    @property
    def rater_totals(self) -> tuple[float, ...]:
        return tuple(s.total for s in self.sheets)

    def shown_total(self) -> str:
        return f"{self.total:g} + {self.bonus:g}" if self.bonus else f"{self.total:g}"

    def section(self, section_id: str) -> SectionResult | None:
        return next((s for s in self.sections if s.id == section_id), None)


@dataclass(frozen=True)
class Leniency:
    """A rater's mean deviation from each subject's median total (positive: lenient)."""

    rater: str
    deviation: float
    subjects: int


@dataclass(frozen=True)
class PanelResult:
    form: str
    form_version: int
    title: str
    round: str
    method: str
    max_spread: float
    subjects: tuple[SubjectPanel, ...]
    """Best first (rank order)."""
    leniency: tuple[Leniency, ...]
    """Most lenient first."""
    sheets: int
    raters: tuple[str, ...]
    self_only: tuple[RaterSheet, ...] = ()
    """Self-assessments of subjects no inspector has scored (shown, not ranked)."""

    def subject(self, subject_id: str) -> SubjectPanel | None:
        return next((s for s in self.subjects if s.subject == subject_id), None)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for subject, raw in zip(self.subjects, data["subjects"], strict=True):
            raw["vetoed"] = subject.vetoed
            raw["rater_count"] = subject.rater_count
        return data


# ---------------------------------------------------------------- computing the panel


def rater_sheet(doc: Mapping[str, Any]) -> RaterSheet:
    score = doc["score"]
    return RaterSheet(
        rater=doc["rater"],
        uuid=doc["uuid"],
        revision=int(doc.get("revision", 1)),
        role=doc.get("role", "inspector"),
        total=float(score["total"]),
        bonus=float(score.get("bonus") or 0),
        final=float(score["final"]),
        grade=score["grade"],
        sections={s["id"]: float(s["scaled"]) for s in score["sections"] if not s["bonus"]},
        vetoes=tuple(v["id"] for v in score.get("vetoes") or ()),
        finalized_at=doc.get("finalized_at") or "",
    )


def _vetoes(form: Form, docs: Sequence[Mapping[str, Any]]) -> tuple[PanelVeto, ...]:
    raised: dict[str, list[VetoRaised]] = defaultdict(list)
    info: dict[str, tuple[str, str]] = {}
    for doc in docs:
        for veto in doc["score"].get("vetoes") or ():
            raised[veto["id"]].append(VetoRaised(doc["rater"], veto.get("note") or ""))
            info.setdefault(
                veto["id"], (veto.get("text") or veto["id"], veto.get("source", "veto"))
            )
    out = []
    for veto_id, who in raised.items():
        applies = len(who) * 2 > len(docs) if form.panel.veto == "majority" else bool(who)
        text, source = info[veto_id]
        out.append(PanelVeto(veto_id, text, source, tuple(who), applies))
    return tuple(out)


def _subject_panel(
    form: Form, docs: Sequence[Mapping[str, Any]], selfs: Sequence[Mapping[str, Any]]
) -> SubjectPanel:
    rule = form.panel
    sheets = [rater_sheet(d) for d in docs]

    def agg(values: list[float]) -> tuple[float, str, tuple[int, ...]]:
        return aggregate(values, rule.method, rule.trim, rule.min_raters)

    totals = [s.total for s in sheets]
    total, method, dropped = agg(totals)
    bonus = min(agg([s.bonus for s in sheets])[0], form.bonus_cap) if form.bonus_cap else 0.0
    total, bonus = round_points(total), round_points(bonus)
    final = round_points(total + bonus)

    sections: list[SectionResult] = []
    for section in form.scored_sections:
        values = [s.sections[section.id] for s in sheets if section.id in s.sections]
        if section.points <= EPS or not values:
            continue
        value = round_points(agg(values)[0])
        sections.append(
            SectionResult(
                section.id,
                section.title,
                section.points,
                value,
                round(value / section.points, 4),
                tuple(values),
            )
        )

    band, grade, reason = grade_with_reason(form, final, [(s.title, s.ratio) for s in sections])
    vetoes = _vetoes(form, docs)
    final_grade = grade.grade
    applying = [v for v in vetoes if v.applies]
    if applying:
        final_grade = form.veto_grade or form.grades[-1].grade
        reason = veto_reason([raised_by(v.text, v.raters) for v in applying], [])

    spread = round_points(max(totals) - min(totals)) if totals else 0.0
    sd = round_points(statistics.stdev(totals)) if len(totals) > 1 else 0.0
    first = docs[0]
    return SubjectPanel(
        subject=first["subject"],
        subject_name=first.get("subject_name") or first["subject"],
        sheets=tuple(sheets),
        method=method,
        dropped=tuple(sheets[i].rater for i in dropped),
        sections=tuple(sections),
        total=total,
        bonus=bonus,
        final=final,
        spread=spread,
        sd=sd,
        spread_flag=spread > rule.max_spread + EPS,
        vetoes=vetoes,
        band=band.grade,
        grade=final_grade,
        grade_reason=reason,
        rank=0,
        self_assessments=tuple(rater_sheet(d) for d in selfs),
    )


def rater_totals_text(subject: SubjectPanel) -> str:
    """Raters' totals in rater order; totals dropped by the trimmed mean in parentheses."""
    dropped = list(subject.dropped)
    parts = []
    for sheet in subject.sheets:
        shown = f"{sheet.total:g}"
        if sheet.rater in dropped:
            dropped.remove(sheet.rater)
            shown = f"({shown})"
        parts.append(shown)
    return " ".join(parts)


def leniency(subjects: Iterable[SubjectPanel]) -> tuple[Leniency, ...]:
    """Each rater's mean (total − the subject's median of raters' totals), most lenient first."""
    deviations: dict[str, list[float]] = defaultdict(list)
    for subject in subjects:
        median = statistics.median(subject.rater_totals)
        for sheet in subject.sheets:
            deviations[sheet.rater].append(sheet.total - median)
    out = [
        Leniency(rater, round_points(sum(d) / len(d)), len(d)) for rater, d in deviations.items()
    ]
    return tuple(sorted(out, key=lambda x: (-x.deviation, x.rater)))


def compute_panel(form: Form, records: Iterable[Mapping[str, Any]], round_: str) -> PanelResult:
    """The panel result of a form in a round, from stored submission records."""
    return panel_of_counted(form, counted_docs(records, form.form, round_), round_)


def panel_of_counted(form: Form, docs: Sequence[Mapping[str, Any]], round_: str) -> PanelResult:
    """compute_panel over records already selected by `counted_docs` (sorted, one each)."""
    by_subject: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    selfs: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for doc in docs:
        (selfs if doc.get("role") == "self" else by_subject)[doc["subject"]].append(doc)
    unranked = [
        _subject_panel(form, group, selfs.get(sid, ())) for sid, group in by_subject.items()
    ]
    # Best first; vetoed subjects rank after all others; ties share a rank.
    unranked.sort(key=lambda s: (s.vetoed, -s.final, s.subject))
    ranks = competition_ranks([(s.vetoed, s.final) for s in unranked])
    subjects = tuple(_with_rank(s, r) for s, r in zip(unranked, ranks, strict=True))
    inspectors = [d for d in docs if d.get("role") != "self"]
    self_only = tuple(
        rater_sheet(d)
        for sid, group in sorted(selfs.items())
        if sid not in by_subject
        for d in group
    )
    return PanelResult(
        form=form.form,
        form_version=form.version,
        title=form.title,
        round=str(round_),
        method=form.panel.method,
        max_spread=form.panel.max_spread,
        subjects=subjects,
        leniency=leniency(subjects),
        sheets=len(inspectors),
        raters=tuple(sorted({d["rater"] for d in inspectors})),
        self_only=self_only,
    )


def _with_rank(subject: SubjectPanel, rank: int) -> SubjectPanel:
    return replace(subject, rank=rank)
