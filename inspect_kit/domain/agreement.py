"""Inter-rater agreement: ICC(2,1) and ICC(2,k) with their confidence intervals, and
Krippendorff's alpha; each with a plain reading against stated thresholds. Pure Python.

ICC: Shrout & Fleiss (1979), "Intraclass correlations: uses in assessing rater reliability",
Psychological Bulletin 86(2), case 2 (two-way random effects, absolute agreement; McGraw & Wong's
ICC(A,1) and ICC(A,k)). It needs a complete subjects × raters table; `complete_block` picks the
largest one from an incomplete design. The confidence interval is McGraw & Wong (1996), "Forming
inferences about some intraclass correlation coefficients", Psychological Methods 1(1), Table 7,
case 2A (F-based, Satterthwaite degrees of freedom); the ICC(2,k) bounds are the single-rater
bounds stepped up by Spearman–Brown, as in their Table 7.

Alpha: Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability" (Annenberg School for
Communication, Departmental Papers 43): the coincidence matrix of values pairable within units,
alpha = 1 − D_o / D_e, with the nominal, ordinal and interval difference functions. Missing
values (a rater who did not score, an item marked N/A) are simply absent: units with fewer than
two values are not pairable and drop out, as the paper prescribes.

Readings: ICC by Koo & Li (2016), "A guideline of selecting and reporting intraclass
correlation coefficients for reliability research", J Chiropr Med 15(2): < 0.5 poor, 0.5–0.75
moderate, 0.75–0.9 good, > 0.9 excellent. Alpha by Krippendorff (2004, Content Analysis, §12.4):
≥ 0.8 reliable (good), ≥ 0.667 tentative conclusions only, below that not reliable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from inspect_kit.domain.fdist import f_ppf

Level = Literal["nominal", "ordinal", "interval"]
Reading = Literal["excellent", "good", "moderate", "poor", "tentative", "undefined"]

ICC_THRESHOLDS = ((0.9, "excellent"), (0.75, "good"), (0.5, "moderate"))
"""Koo & Li (2016): above 0.9 excellent, 0.75–0.9 good, 0.5–0.75 moderate, below 0.5 poor."""
ALPHA_GOOD = 0.8
ALPHA_TENTATIVE = 0.667
"""Krippendorff: alpha ≥ 0.8 reliable, ≥ 0.667 for tentative conclusions only."""


@dataclass(frozen=True)
class Icc:
    """ICC(2,1) and ICC(2,k) of a complete n subjects × k raters table, with 95% CIs."""

    icc1: float
    """ICC(2,1): the reliability of one rater's score (absolute agreement)."""
    icc1_ci: tuple[float, float]
    icck: float
    """ICC(2,k): the reliability of the mean of the k raters' scores."""
    icck_ci: tuple[float, float]
    subjects: int
    raters: int
    f: float
    """BMS / EMS, the F statistic for subjects."""
    bms: float
    jms: float
    ems: float


def icc2(table: Sequence[Sequence[float]], confidence: float = 0.95) -> Icc | None:
    """Shrout & Fleiss ICC(2,1), ICC(2,k) of a complete table (rows subjects, columns raters).

    None when fewer than 2 subjects or 2 raters, or when the scores do not vary at all (0/0)."""
    n = len(table)
    k = len(table[0]) if n else 0
    if n < 2 or k < 2 or any(len(row) != k for row in table):
        return None
    grand = sum(map(sum, table)) / (n * k)
    row_means = [sum(row) / k for row in table]
    col_means = [sum(row[j] for row in table) / n for j in range(k)]
    ss_rows = k * sum((m - grand) ** 2 for m in row_means)
    ss_cols = n * sum((m - grand) ** 2 for m in col_means)
    ss_total = sum((x - grand) ** 2 for row in table for x in row)
    ss_error = max(ss_total - ss_rows - ss_cols, 0.0)
    bms, jms = ss_rows / (n - 1), ss_cols / (k - 1)
    ems = ss_error / ((n - 1) * (k - 1))
    single_den = bms + (k - 1) * ems + k * (jms - ems) / n
    mean_den = bms + (jms - ems) / n
    if single_den <= 0 or mean_den <= 0:
        return None
    icc1 = (bms - ems) / single_den
    icck = (bms - ems) / mean_den
    low, high = _icc_a1_ci(icc1, n, k, bms, jms, ems, confidence)

    def stepped(x: float) -> float:  # Spearman–Brown: k raters from one
        return k * x / (1 + (k - 1) * x) if 1 + (k - 1) * x > 0 else x

    f = bms / ems if ems > 0 else float("inf")
    return Icc(icc1, (low, high), icck, (stepped(low), stepped(high)), n, k, f, bms, jms, ems)


def _icc_a1_ci(
    icc: float, n: int, k: int, bms: float, jms: float, ems: float, confidence: float
) -> tuple[float, float]:
    """McGraw & Wong (1996) Table 7, case 2A: the CI of ICC(A,1)."""
    if ems <= 0 or icc >= 1:
        return (icc, icc)
    alpha = 1 - confidence
    a = k * icc / (n * (1 - icc))
    b = 1 + k * icc * (n - 1) / (n * (1 - icc))
    denominator = (a * jms) ** 2 / (k - 1) + (b * ems) ** 2 / ((n - 1) * (k - 1))
    v = (a * jms + b * ems) ** 2 / denominator if denominator > 0 else float(n - 1)
    f_upper = f_ppf(1 - alpha / 2, n - 1, v)
    f_lower = f_ppf(1 - alpha / 2, v, n - 1)
    middle = k * jms + (k * n - k - n) * ems
    low = n * (bms - f_upper * ems) / (f_upper * middle + n * bms)
    high = n * (f_lower * bms - ems) / (middle + n * f_lower * bms)
    return (low, high)


def complete_block(
    scores: Mapping[str, Mapping[str, float]],
) -> tuple[list[str], list[str]]:
    """(subjects, raters) of the largest complete block of `scores` (subject -> rater -> score).

    Greedy and deterministic: raters ordered by how many subjects they scored (then name); for
    each k the k best-covered raters and the subjects all of them scored; the block with the
    most cells (then the most raters) wins. Exact when every rater scored every subject."""
    coverage: dict[str, int] = defaultdict(int)
    for by_rater in scores.values():
        for rater in by_rater:
            coverage[rater] += 1
    raters = sorted(coverage, key=lambda r: (-coverage[r], r))
    best: tuple[int, int, list[str], list[str]] = (0, 0, [], [])
    for k in range(2, len(raters) + 1):
        chosen = raters[:k]
        subjects = sorted(s for s, by in scores.items() if all(r in by for r in chosen))
        if len(subjects) >= 2 and (len(subjects) * k, k) > best[:2]:
            best = (len(subjects) * k, k, subjects, sorted(chosen))
    return best[2], best[3]


def krippendorff_alpha(
    units: Sequence[Sequence[Hashable | None]], level: Level = "interval"
) -> float | None:
    """Krippendorff's alpha of a units × coders table (None = missing); None if undefined
    (fewer than two pairable values, or every pairable value the same)."""
    pairable = [[v for v in unit if v is not None] for unit in units]
    return pairable_alpha([u for u in pairable if len(u) >= 2], level)


def pairable_alpha(
    pairable: Sequence[Sequence[Hashable]], level: Level = "interval"
) -> float | None:
    """krippendorff_alpha of units already narrowed to their values, each with two or more."""
    if level == "interval":
        return _interval_alpha([[float(v) for v in u] for u in pairable])  # type: ignore[arg-type]
    # The coincidence matrix o_ck: each unit's ordered pairs of values, weighted 1/(m_u − 1).
    coincidences: dict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for unit in pairable:
        weight = 1.0 / (len(unit) - 1)
        for i, j in combinations(range(len(unit)), 2):
            coincidences[(unit[i], unit[j])] += weight
            coincidences[(unit[j], unit[i])] += weight
    totals: dict[Hashable, float] = defaultdict(float)
    for (c, _), o in coincidences.items():
        totals[c] += o
    n = sum(totals.values())
    values = sorted(totals, key=_order_key)
    if n <= 1 or len(values) < 2:
        return None
    delta = _difference(values, totals, level)
    observed = sum(o * delta[c, k] for (c, k), o in coincidences.items())
    expected = sum(totals[c] * totals[k] * delta[c, k] for c in values for k in values) / (n - 1)
    if expected <= 0:
        return None
    return 1.0 - observed / expected


def _interval_alpha(units: Sequence[Sequence[float]]) -> float | None:
    """Interval alpha in closed form, linear in the number of values (totals take many
    distinct values, so no coincidence matrix): with δ² = (c − k)²,
    D_o ∝ Σ_u [2·m_u·Σv² − 2·(Σv)²] / (m_u − 1) and D_e ∝ [2·n·Σv² − 2·(Σv)²] / (n − 1),
    the pair sums over all values written as moments (Krippendorff 2011, §D, interval)."""
    n = sum(len(u) for u in units)
    if n <= 1:
        return None
    observed = 0.0
    total = total_sq = 0.0
    for unit in units:
        m, s1, s2 = len(unit), sum(unit), sum(v * v for v in unit)
        observed += (2 * m * s2 - 2 * s1 * s1) / (m - 1)
        total, total_sq = total + s1, total_sq + s2
    expected = (2 * n * total_sq - 2 * total * total) / (n - 1)
    if expected <= 1e-12 * max(1.0, total_sq):
        return None
    return 1.0 - observed / expected


def _order_key(value: Hashable) -> tuple[int, float | str]:
    return (0, float(value)) if isinstance(value, int | float) else (1, str(value))  # type: ignore[arg-type]


def _difference(
    values: Sequence[Hashable], totals: Mapping[Hashable, float], level: Level
) -> dict[tuple[Hashable, Hashable], float]:
    """δ²(c, k) for every pair of values (Krippendorff 2011, §D)."""
    out: dict[tuple[Hashable, Hashable], float] = {}
    for a, c in enumerate(values):
        for b, k in enumerate(values):
            if level == "nominal":
                out[c, k] = 0.0 if c == k else 1.0
            elif level == "ordinal":
                low, high = min(a, b), max(a, b)
                between = sum(totals[values[g]] for g in range(low, high + 1))
                out[c, k] = (between - (totals[c] + totals[k]) / 2) ** 2
            else:
                out[c, k] = (float(c) - float(k)) ** 2  # type: ignore[arg-type]
    return out


def icc_reading(value: float | None) -> Reading:
    """Koo & Li (2016) bands of an ICC."""
    if value is None:
        return "undefined"
    for threshold, reading in ICC_THRESHOLDS:
        if value > threshold or (reading != "excellent" and value >= threshold):
            return reading  # type: ignore[return-value]
    return "poor"


def alpha_reading(value: float | None) -> Reading:
    """Krippendorff's bands: ≥ 0.8 good, ≥ 0.667 tentative, else poor."""
    if value is None:
        return "undefined"
    if value >= ALPHA_GOOD:
        return "good"
    if value >= ALPHA_TENTATIVE:
        return "tentative"
    return "poor"
