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

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from inspect_kit.domain.model import Form
from inspect_kit.domain.panel_flags import quorum_of, reasons_of, spread_flag, voided_effect
from inspect_kit.domain.panel_rounds import counted_docs
from inspect_kit.domain.rounding import round_score

# The grading rule is shared with scoring: first band whose min and section_min hold.
from inspect_kit.domain.scoring import capped_final, grade_basis, grade_with_reason
from inspect_kit.domain.subject_result import (
    Flag,
    GradeCount,
    PanelVeto,
    Quorum,
    RaterSheet,
    Reason,
    SectionResult,
    SheetResult,
    SubjectPanel,
    SubjectResult,
    VetoRaised,
    VoidedSheet,
    changed,
)

__all__ = [
    "Flag", "GradeCount", "PanelVeto", "Quorum", "RaterSheet", "Reason", "SectionResult",
    "SheetResult", "SubjectPanel", "SubjectResult", "VetoRaised", "VoidedSheet",
    "Leniency", "PanelResult", "aggregate", "compute_panel", "panel_of_counted",
]  # fmt: skip

EPS = 1e-9
DIGITS = 2


def round_points(value: float) -> float:
    """Statistics about scores (leniency, mean points lost): DIGITS decimals, halves up.

    Scores themselves round once to the form's decimals (`rounding.round_score`)."""
    return round(value + EPS if value >= 0 else value - EPS, DIGITS)


def sample_sd(values: Sequence[float]) -> float:
    """The sample standard deviation in floats (statistics.stdev works in exact fractions: a
    third of a 50k panel's time). It differs from the exact value in the last bits only, far
    inside round_points' EPS: the shown figure is the same (tests/unit/test_panel_sd.py)."""
    n = len(values)
    mean = math.fsum(values) / n
    return math.sqrt(math.fsum((x - mean) ** 2 for x in values) / (n - 1))


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
    subjects: tuple[SubjectResult, ...]
    """Best first (rank order)."""
    leniency: tuple[Leniency, ...]
    """Most lenient first."""
    sheets: int
    raters: tuple[str, ...]
    self_only: tuple[RaterSheet, ...] = ()
    """Self-assessments of subjects no inspector has scored (shown, not ranked)."""

    def subject(self, subject_id: str) -> SubjectResult | None:
        return next((s for s in self.subjects if s.subject == subject_id), None)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for subject, raw in zip(self.subjects, data["subjects"], strict=True):
            raw["vetoed"] = subject.vetoed
            raw["downgraded"] = subject.downgraded
            raw["short_panel"] = subject.short_panel
            raw["rater_count"] = subject.rater_count
            raw["score_shown"] = subject.fmt(subject.final)
        return data


# ---------------------------------------------------------------- computing the panel


def rater_sheet(doc: Mapping[str, Any], decimals: int = 1) -> SheetResult:
    """A stored sheet as the panel sees it: figures unrounded, and as shown (rounded once).

    Sheets stored before the unrounded figures were kept fall back to their shown ones."""
    score = doc["score"]
    total = float(score.get("total_exact", score["total"]))
    bonus = float(score.get("bonus_exact", score.get("bonus") or 0))
    final = float(score.get("final_exact", total + bonus))
    return SheetResult(
        rater=doc["rater"],
        uuid=doc["uuid"],
        revision=int(doc.get("revision", 1)),
        role=doc.get("role", "inspector"),
        total=round_score(total, decimals),
        bonus=round_score(bonus, decimals),
        final=round_score(final, decimals),
        grade=score["grade"],
        sections={s["id"]: float(s["scaled"]) for s in score["sections"] if not s["bonus"]},
        vetoes=tuple(v["id"] for v in score.get("vetoes") or ()),
        finalized_at=doc.get("finalized_at") or "",
        total_exact=total,
        bonus_exact=bonus,
        final_exact=final,
        voided=doc.get("status") == "void",
        void_reason=str(doc.get("amend_reason") or "") if doc.get("status") == "void" else "",
    )


def bonus_possible(form: Form) -> float:
    """The most 加分 a sheet can count: the cap, or less when the bonus items allow less."""
    if not form.bonus_sections or not form.bonus_cap:
        return 0.0
    return min(float(form.bonus_cap), sum(s.max_raw for s in form.bonus_sections))


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


def subject_result(
    form: Form,
    docs: Sequence[Mapping[str, Any]],
    selfs: Sequence[Mapping[str, Any]] = (),
    voided: Sequence[Mapping[str, Any]] = (),
    roster: Mapping[str, Mapping[str, Any]] | None = None,
) -> SubjectResult:
    """One subject's result from its counted inspectors' sheets (unranked: rank 0)."""
    rule, decimals = form.panel, form.decimals
    sheets = [rater_sheet(d, decimals) for d in docs]

    def agg(values: list[float]) -> tuple[float, str, tuple[int, ...]]:
        return aggregate(values, rule.method, rule.trim, rule.min_raters)

    # Unrounded all the way; rounded once below, to the form's decimals.
    totals = [s.total_exact or 0.0 for s in sheets]
    total_exact, method, dropped = agg(totals)
    possible = bonus_possible(form)
    bonus_exact = min(agg([s.bonus_exact or 0.0 for s in sheets])[0], possible)
    final_exact = capped_final(form, total_exact, bonus_exact)
    final = round_score(final_exact, decimals)

    sections: list[SectionResult] = []
    for section in form.scored_sections:
        values = [s.sections[section.id] for s in sheets if section.id in s.sections]
        if section.points <= EPS or not values:
            continue
        exact = agg(values)[0]
        sections.append(
            SectionResult(section.id, section.title, section.points,
                          round_score(exact, decimals), exact / section.points,
                          tuple(values), exact)
        )  # fmt: skip

    # The grade is decided on the score as shown.
    basis = grade_basis(form, round_score(total_exact, decimals), final)
    band, grade, _ = grade_with_reason(form, basis, [(s.id, s.title, s.ratio) for s in sections])
    vetoes = _vetoes(form, docs)
    reasons = reasons_of(form, band, grade, sections, vetoes)
    final_grade = grade.grade
    if any(v.applies for v in vetoes):
        final_grade = form.veto_grade or form.grades[-1].grade
    deciding = [r.text for r in reasons if r.kind != "veto_short"]
    quorum = quorum_of(form, len(sheets), method)
    spread = round_score(max(totals) - min(totals), decimals) if totals else 0.0
    flagged = spread > rule.max_spread + EPS
    dropped_idx = set(dropped)
    first = docs[0]
    info = (roster or {}).get(first["subject"]) or {}
    result = SubjectResult(
        subject=first["subject"],
        subject_name=first.get("subject_name") or info.get("name") or first["subject"],
        # kept is True by default: only the few dropped sheets are copied
        sheets=tuple(
            changed(s, kept=False) if i in dropped_idx else s for i, s in enumerate(sheets)
        ),  # fmt: skip
        method=method,
        dropped=tuple(sheets[i].rater for i in dropped),
        sections=tuple(sections),
        total=round_score(total_exact, decimals),
        bonus=round_score(bonus_exact, decimals),
        final=final,
        spread=spread,
        sd=round_points(sample_sd(totals)) if len(totals) > 1 else 0.0,
        spread_flag=flagged,
        vetoes=vetoes,
        band=band.grade,
        grade=final_grade,
        grade_reason="；".join(deciding) or None,
        rank=0,
        self_assessments=tuple(rater_sheet(d, decimals) for d in selfs),
        district=str(info.get("district") or ""),
        level=str(info.get("level") or ""),
        total_exact=total_exact,
        bonus_exact=bonus_exact,
        final_exact=final_exact,
        bonus_possible=possible,
        decimals=decimals,
        reasons=reasons,
        quorum=quorum,
    )
    flags = []
    if quorum.short:
        flags.append(Flag("quorum", quorum.text, quorum.text_en))
    if flagged:
        zh, en = (spread_flag(result, rule.max_spread, lang) for lang in ("zh", "en"))
        flags.append(Flag("spread", zh, en))
    effects = tuple(
        voided_effect(result, doc, _with_sheet(form, docs, doc), form) for doc in voided
    )
    flags += [Flag("voided", v.text, v.text_en) for v in effects if v.changed]
    return changed(result, voided=effects, flags=tuple(flags))


def _with_sheet(
    form: Form, docs: Sequence[Mapping[str, Any]], void_doc: Mapping[str, Any]
) -> SubjectResult:
    """The result had the voided sheet still counted (replacing that rater's other sheet)."""
    as_final = {**void_doc, "status": "final"}
    others = [d for d in docs if d["rater"] != void_doc["rater"]]
    return subject_result(form, sorted([*others, as_final], key=lambda d: d["rater"]))


def rater_totals_text(subject: SubjectResult) -> str:
    """Raters' totals in rater order (as shown); totals dropped by the trimmed mean in brackets."""
    return " ".join(
        subject.fmt(s.total) if s.kept else f"({subject.fmt(s.total)})" for s in subject.sheets
    )


def leniency(subjects: Iterable[SubjectResult]) -> tuple[Leniency, ...]:
    """Each rater's mean (total − the subject's median of raters' totals), most lenient first."""
    deviations: dict[str, list[float]] = defaultdict(list)
    for subject in subjects:
        exact = [s.total_exact or 0.0 for s in subject.sheets]
        median = statistics.median(exact)
        for sheet, value in zip(subject.sheets, exact, strict=True):
            deviations[sheet.rater].append(value - median)
    out = [
        Leniency(rater, round_points(sum(d) / len(d)), len(d)) for rater, d in deviations.items()
    ]
    return tuple(sorted(out, key=lambda x: (-x.deviation, x.rater)))


def compute_panel(form: Form, records: Iterable[Mapping[str, Any]], round_: str) -> PanelResult:
    """The panel result of a form in a round, from stored submission records."""
    return panel_of_counted(form, counted_docs(records, form.form, round_), round_)


def panel_of_counted(
    form: Form,
    docs: Sequence[Mapping[str, Any]],
    round_: str,
    voided: Sequence[Mapping[str, Any]] = (),
    roster: Mapping[str, Mapping[str, Any]] | None = None,
) -> PanelResult:
    """compute_panel over records already selected by `counted_docs` (sorted, one each).

    `voided`: the round's voided sheets (newest revision status 'void'), each named on its
    subject and flagged where it changed the result; `roster`: subject id -> roster entry
    (name, district, level)."""
    by_subject: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    selfs: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    voids: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for doc in docs:
        (selfs if doc.get("role") == "self" else by_subject)[doc["subject"]].append(doc)
    for doc in voided:
        if doc.get("role") != "self":
            voids[doc["subject"]].append(doc)
    unranked = [
        subject_result(form, group, selfs.get(sid, ()), voids.get(sid, ()), roster)
        for sid, group in by_subject.items()
    ]
    # Best first; vetoed subjects rank after all others; ties share a rank.
    unranked.sort(key=lambda s: (s.vetoed, -s.final, s.subject))
    ranks = competition_ranks([(s.vetoed, s.final) for s in unranked])
    subjects = tuple(changed(s, rank=r) for s, r in zip(unranked, ranks, strict=True))
    inspectors = [d for d in docs if d.get("role") != "self"]
    self_only = tuple(
        rater_sheet(d, form.decimals)
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
