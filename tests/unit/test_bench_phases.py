"""benchmarks/phases.py: a finalize split into its parts, the methods put back afterwards."""

from __future__ import annotations

import time

import pytest

from benchmarks.bench import Bench, build_archive
from benchmarks.phases import phase_medians, traced
from inspect_kit.store.index import MainEdit


class Work:
    def slow(self) -> str:
        time.sleep(0.02)
        return "slow"

    def fast(self) -> str:
        return "fast"


def test_traced_adds_each_methods_time_and_puts_the_methods_back():
    before = Work.__dict__["slow"], Work.__dict__["fast"]
    with traced({"slow": (Work, "slow"), "fast": (Work, "fast")}) as spent:
        assert Work().slow() == "slow" and Work().slow() == "slow" and Work().fast() == "fast"
    assert 40 <= spent["slow"] < 1000 and 0 <= spent["fast"] < 5
    assert (Work.__dict__["slow"], Work.__dict__["fast"]) == before


def test_traced_puts_the_methods_back_when_the_block_fails():
    before = Work.__dict__["slow"]
    with pytest.raises(RuntimeError), traced({"slow": (Work, "slow")}):
        raise RuntimeError("boom")
    assert Work.__dict__["slow"] is before


def test_phase_medians_name_what_no_phase_covered():
    runs = [{"a": 1.0, "b": 2.0}, {"a": 3.0, "b": 2.0}, {"a": 2.0, "b": 4.0}]
    assert phase_medians(runs, [5.0, 6.0, 10.0]) == {"a": 2.0, "b": 2.0, "other": 2.0,
                                                     "total": 6.0}  # fmt: skip


def test_the_finalize_measure_records_its_parts(tmp_path):
    bench = Bench([200], True, tmp_path / "work", log=lambda *_: None)
    archive = build_archive(tmp_path / "archive", 200)
    stat = bench.finalize(archive)
    parts = bench.finalize_phases[200]
    assert set(parts) == {"score", "read", "prepare", "shard", "commit", "draft", "other",
                          "total"}  # fmt: skip
    assert parts["commit"] > 0 and parts["shard"] > 0 and parts["read"] > 0
    assert parts["other"] >= 0 and parts["total"] >= parts["commit"] + parts["shard"]
    assert len(bench.start_sheet_ms[200].samples) == len(stat.samples)
    assert "__init__" in MainEdit.__dict__ and not hasattr(MainEdit.__init__, "__wrapped__")
