"""Where one call's time goes: wall time inside chosen methods, recorded while they run.

The benchmark times a finalize untouched, then runs a few more under `traced` to say which part
of it (scoring, reading the group, writing its shard, the commit, removing the draft) took the
time, so a slow figure in one run can be explained from the JSON rather than re-profiled.
"""

from __future__ import annotations

import contextlib
import functools
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any


@contextlib.contextmanager
def traced(targets: dict[str, tuple[type, str]]) -> Iterator[dict[str, float]]:
    """Within the block, each `phase: (owner, method)` adds its calls' wall time (ms) to the
    yielded dict. A phase called from inside another counts in both (name them disjoint)."""
    spent = dict.fromkeys(targets, 0.0)
    originals: list[tuple[type, str, Any]] = []

    def timing(phase: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[phase] += (time.perf_counter() - t0) * 1000

        return wrapper

    try:
        for phase, (owner, name) in targets.items():
            original = owner.__dict__[name]  # the class's own attribute, put back as it was
            originals.append((owner, name, original))
            setattr(owner, name, timing(phase, getattr(owner, name)))
        yield spent
    finally:
        for owner, name, original in reversed(originals):
            setattr(owner, name, original)


def phase_medians(runs: list[dict[str, float]], total: list[float]) -> dict[str, float]:
    """Median ms of each phase over the runs, and of what no phase covered (`other`)."""
    out = {phase: round(statistics.median(r[phase] for r in runs), 2) for phase in runs[0]}
    rest = [t - sum(r.values()) for r, t in zip(runs, total, strict=True)]
    out["other"] = round(statistics.median(rest), 2)
    out["total"] = round(statistics.median(total), 2)
    return out
