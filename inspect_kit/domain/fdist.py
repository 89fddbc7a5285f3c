"""The F distribution's quantile, for the confidence interval of an ICC (no scipy needed).

The regularized incomplete beta function I_x(a, b) by its continued fraction (modified Lentz;
Press et al., *Numerical Recipes*, 3rd ed., §6.4), the F CDF as I_{d1 x/(d1 x + d2)}(d1/2, d2/2)
(Abramowitz & Stegun 26.6.2), and its quantile by bisection. Pure Python.
"""

from __future__ import annotations

import math

_TINY = 1e-300


def _beta_cf(a: float, b: float, x: float) -> float:
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 400):
        m2 = 2 * m
        for aa in (m * (b - m) * x / ((qam + m2) * (a + m2)),
                   -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):  # fmt: skip
            d = 1.0 + aa * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + aa / c
            c = c if abs(c) > _TINY else _TINY
            h *= d * c
        if abs(d * c - 1.0) < 1e-14:
            break
    return h


def beta_inc(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b), 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))  # fmt: skip
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_cf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_cf(b, a, 1.0 - x) / b


def f_cdf(x: float, d1: float, d2: float) -> float:
    """P(F <= x) for F with (d1, d2) degrees of freedom."""
    if x <= 0.0:
        return 0.0
    return beta_inc(d1 / 2.0, d2 / 2.0, d1 * x / (d1 * x + d2))


def f_ppf(q: float, d1: float, d2: float) -> float:
    """The q-quantile of F(d1, d2), by bisection on the CDF (to 1e-10 relative)."""
    if not 0.0 < q < 1.0:
        raise ValueError(f"quantile {q} not in (0, 1)")
    low, high = 0.0, 1.0
    while f_cdf(high, d1, d2) < q:
        low, high = high, high * 2.0
        if high > 1e12:
            return math.inf
    for _ in range(200):
        mid = (low + high) / 2.0
        if f_cdf(mid, d1, d2) < q:
            low = mid
        else:
            high = mid
        if high - low <= 1e-10 * max(1.0, high):
            break
    return (low + high) / 2.0
