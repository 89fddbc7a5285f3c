"""Rater calibration over time: each rater's leniency in every round and its drift across them.

Leniency is the panel's own figure (`panel.leniency`: a rater's mean deviation from each
subject's median of the raters' totals; positive lenient); here it is taken round by round over
the sheets each round's panel counts, and the drift is the change from the rater's first round
to their last. Pure functions over stored records.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from inspect_kit.domain.panel import round_points
from inspect_kit.domain.panel_rounds import counted_docs

DRIFT_NOTABLE = 2.0
"""A drift of this many points or more (either way) is pointed out."""


@dataclass(frozen=True)
class RoundLeniency:
    round: str
    deviation: float | None
    """None: the rater scored nothing that round."""
    subjects: int


@dataclass(frozen=True)
class RaterCalibration:
    rater: str
    rounds: tuple[RoundLeniency, ...]
    """Every round of the form, oldest first."""
    drift: float | None
    """Last round's leniency minus the first's (rounds the rater took part in); None with
    fewer than two."""

    @property
    def notable(self) -> bool:
        return self.drift is not None and abs(self.drift) >= DRIFT_NOTABLE - 1e-9


def round_leniency(docs: Iterable[Mapping[str, Any]]) -> dict[str, tuple[float, int]]:
    """rater -> (mean deviation from each subject's median total, subjects) over counted
    inspectors' sheets: the same figure as `panel.leniency` over the round's subjects."""
    totals: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for doc in docs:
        if doc.get("role") == "self":
            continue
        score = doc["score"]
        totals[doc["subject"]].append(
            (doc["rater"], float(score.get("total_exact", score["total"])))
        )
    deviations: dict[str, list[float]] = defaultdict(list)
    for sheets in totals.values():
        median = statistics.median(v for _, v in sheets)
        for rater, value in sheets:
            deviations[rater].append(value - median)
    return {r: (round_points(sum(d) / len(d)), len(d)) for r, d in deviations.items()}


def calibration(
    records: Sequence[Mapping[str, Any]], form_id: str, rounds: Sequence[str]
) -> tuple[RaterCalibration, ...]:
    """Each rater's leniency per round (oldest first) and drift, most drifting first."""
    # One pass for every round: counted_docs of one round is its share of the form's, in order.
    by_round: dict[str, list[Mapping[str, Any]]] = {str(r): [] for r in rounds}
    for doc in counted_docs(records, form_id):
        by_round.get(str(doc["round"]), []).append(doc)
    per_round = {r: round_leniency(by_round[str(r)]) for r in rounds}
    raters = sorted({name for figures in per_round.values() for name in figures})
    out = []
    for rater in raters:
        rows = tuple(RoundLeniency(r, *per_round[r].get(rater, (None, 0))) for r in rounds)
        taken = [row.deviation for row in rows if row.deviation is not None]
        drift = round_points(taken[-1] - taken[0]) if len(taken) >= 2 else None
        out.append(RaterCalibration(rater, rows, drift))
    return tuple(
        sorted(out, key=lambda c: (-(abs(c.drift) if c.drift is not None else -1), c.rater))
    )
