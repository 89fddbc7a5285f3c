"""Agreement maths against published worked examples: Shrout & Fleiss's ICC table,
Krippendorff's 2011 reliability data, F quantiles from printed tables, and the readings."""

from __future__ import annotations

import pytest

from inspect_kit.domain.agreement import (
    alpha_reading,
    complete_block,
    icc2,
    icc_reading,
    krippendorff_alpha,
)
from inspect_kit.domain.fdist import f_cdf, f_ppf

# Shrout & Fleiss (1979), Table 2: 6 targets × 4 judges.
SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers ×
# 12 units, None = missing. Published: nominal .743, ordinal .815, interval .849.
N = None
KRIPPENDORFF = list(zip(
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
    strict=True,
))  # fmt: skip


def test_icc_matches_shrout_and_fleiss_table_4():
    icc = icc2(SHROUT_FLEISS)
    assert icc is not None
    # Shrout & Fleiss report ICC(2,1) = .29 and ICC(2,4) = .62; their ANOVA: BMS 11.24,
    # JMS 32.49, EMS 1.02.
    assert round(icc.icc1, 2) == 0.29 and round(icc.icck, 2) == 0.62
    assert (round(icc.bms, 2), round(icc.jms, 2), round(icc.ems, 2)) == (11.24, 32.49, 1.02)
    assert (icc.subjects, icc.raters) == (6, 4)


def test_icc_confidence_interval_by_mcgraw_and_wong():
    icc = icc2(SHROUT_FLEISS)
    assert icc is not None
    # McGraw & Wong (1996) Table 7 case 2A worked on this table (Shrout & Fleiss print no CI):
    # v = (a·JMS + b·EMS)² / ((a·JMS)²/3 + (b·EMS)²/15) ≈ 4.79, F quantiles as tested below;
    # ICC(A,1) 95% CI [.019, .761]; ICC(A,k) = Spearman–Brown of those bounds [.071, .927].
    assert [round(x, 3) for x in icc.icc1_ci] == [0.019, 0.761]
    assert [round(x, 3) for x in icc.icck_ci] == [0.071, 0.927]
    assert icc.icc1_ci[0] < icc.icc1 < icc.icc1_ci[1]


def test_icc_is_undefined_without_two_subjects_two_raters_or_variation():
    assert icc2([[1, 2]]) is None
    assert icc2([[1], [2]]) is None
    assert icc2([[5, 5], [5, 5]]) is None


def test_icc_perfect_agreement_is_one():
    icc = icc2([[1, 1, 1], [5, 5, 5], [9, 9, 9]])
    assert icc is not None and icc.icc1 == pytest.approx(1) and icc.icck == pytest.approx(1)


@pytest.mark.parametrize(("level", "published"),
                         [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)])  # fmt: skip
def test_alpha_matches_krippendorff_2011(level, published):
    assert round(krippendorff_alpha(KRIPPENDORFF, level), 3) == published


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_alpha_matches_the_krippendorff_package(level):
    """An independent computation: the `krippendorff` PyPI package (a test tool only)."""
    kd = pytest.importorskip("krippendorff")
    import math

    data = [
        [math.nan if v is None else v for v in coder] for coder in zip(*KRIPPENDORFF, strict=True)
    ]
    expected = kd.alpha(reliability_data=data, level_of_measurement=level)
    assert krippendorff_alpha(KRIPPENDORFF, level) == pytest.approx(expected, abs=1e-9)


def test_alpha_undefined_without_pairable_values_or_variation():
    assert krippendorff_alpha([[1, None], [None, 2]]) is None
    assert krippendorff_alpha([[3, 3], [3, 3, 3]]) is None


@pytest.mark.parametrize(("q", "d1", "d2", "table"), [
    (0.975, 5, 15, 3.576), (0.95, 2, 10, 4.103), (0.975, 15, 5, 6.428), (0.99, 4, 20, 4.431),
])  # fmt: skip
def test_f_quantile_matches_printed_tables(q, d1, d2, table):
    value = f_ppf(q, d1, d2)
    assert round(value, 3) == table
    assert f_cdf(value, d1, d2) == pytest.approx(q, abs=1e-9)


def test_readings_follow_the_stated_thresholds():
    values = (0.95, 0.9, 0.8, 0.75, 0.6, 0.5, 0.49, None)
    assert [icc_reading(x) for x in values] == [
        "excellent",
        "good",
        "good",
        "good",
        "moderate",
        "moderate",
        "poor",
        "undefined",
    ]
    assert [alpha_reading(x) for x in (0.8, 0.7, 0.667, 0.5, None)] == [
        "good", "tentative", "tentative", "poor", "undefined"]  # fmt: skip


def test_complete_block_of_an_incomplete_design():
    scores = {
        "s1": {"a": 1, "b": 2, "c": 3},
        "s2": {"a": 2, "b": 3, "c": 4},
        "s3": {"a": 5, "b": 6},
        "s4": {"c": 7},
    }
    # a and b scored s1..s3 (6 cells); a, b, c only s1, s2 (6 cells, more raters wins).
    assert complete_block(scores) == (["s1", "s2"], ["a", "b", "c"])
    assert complete_block({"s1": {"a": 1}}) == ([], [])
