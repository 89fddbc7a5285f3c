"""The panel's float standard deviation shows the same figure as the exact one."""

from __future__ import annotations

import statistics

from hypothesis import given
from hypothesis import strategies as st

from inspect_kit.domain.panel import round_points, sample_sd

scores = st.lists(st.integers(min_value=0, max_value=2100).map(lambda n: n / 20), min_size=2,
                  max_size=12)  # fmt: skip


@given(scores)
def test_the_shown_sd_equals_the_exact_one(values):
    assert round_points(sample_sd(values)) == round_points(statistics.stdev(values))


def test_known_values():
    assert sample_sd([80, 80.5, 81]) == 0.5
    assert sample_sd([90, 90]) == 0.0
    assert round_points(sample_sd([60, 70, 95])) == round_points(statistics.stdev([60, 70, 95]))
