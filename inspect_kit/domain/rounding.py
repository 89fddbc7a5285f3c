"""Rounding once: every score is computed unrounded and rounded only where it is shown.

A form's `decimals` (default 1) says how many decimals its scores show; sheets and panels round
the same way, halves away from zero (89.95 shows as 90.0, never as the float artefact 89.9), and
the grade is decided on the score as shown. Totals are never sums of rounded parts.
"""

from __future__ import annotations

import math

DEFAULT_DECIMALS = 1
TOLERANCE = 1e-6
"""Float noise tolerated below a half (89.95 may be held as 89.9499999…); parts are kept to
9 decimals, so a real difference is never this small."""


def round_score(value: float, decimals: int = DEFAULT_DECIMALS) -> float:
    """`value` rounded to `decimals`, halves away from zero."""
    scale = 10**decimals
    magnitude = math.floor(abs(value) * scale + 0.5 + TOLERANCE) / scale
    return math.copysign(magnitude, value) if magnitude else 0.0


def fmt_score(value: float, decimals: int = DEFAULT_DECIMALS) -> str:
    """A score as shown: exactly `decimals` decimals ('90.0', '98.8'), rounded once."""
    return f"{round_score(value, decimals):.{decimals}f}"
