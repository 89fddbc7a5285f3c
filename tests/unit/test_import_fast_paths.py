"""What makes a one-pass import of many laptops fast (issue 18) without dropping a check: the
collector paused while sources are read and merged, and the column-at-once checks deciding
exactly as the per-record ones."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from inspect_kit.base.paths import Workspace
from inspect_kit.demo.generator import DemoPlan, build_demo
from inspect_kit.store import merge, sources
from inspect_kit.store.store import Store


def laptop(root: Path, forms, seed: int) -> Store:
    (root / "results").mkdir(parents=True)
    store = Store(Workspace(root))
    subjects, finals, _ = build_demo(forms, DemoPlan(subjects=2, raters=2, rounds=1, seed=seed))
    store.add_subjects(subjects)
    store.bulk_finalize(finals)
    return store


@pytest.fixture
def target(tmp_path) -> Store:
    (tmp_path / "secretary" / "results").mkdir(parents=True)
    return Store(Workspace(tmp_path / "secretary"))


def test_sources_are_read_and_merged_with_the_collector_paused(tmp_path, edu_form, target,
                                                               monkeypatch):  # fmt: skip
    seen: dict[str, list[bool]] = {"parse": [], "verify": []}
    parse, verify = sources.parse_database_bytes, merge.verify_new_sheets
    monkeypatch.setattr(
        sources,
        "parse_database_bytes",
        lambda raw: seen["parse"].append(gc.isenabled()) or parse(raw),
    )
    monkeypatch.setattr(merge, "verify_new_sheets",
                        lambda *a: seen["verify"].append(gc.isenabled()) or verify(*a))  # fmt: skip
    paths = [laptop(tmp_path / f"l{seed}", [edu_form], seed).db.path for seed in (1, 2)]
    assert gc.isenabled()
    reports = merge.import_files(target, paths, who="秘书")
    assert [r.added for r in reports] == [6, 6]
    assert seen["parse"] and seen["verify"] == [False, False]
    assert not any(seen["parse"])
    assert gc.isenabled()  # back on after
