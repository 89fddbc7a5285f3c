"""`inspect-kit results list` (text) reads the `sheets` index, not every full record, and prints
the same lines the full records give."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from inspect_kit.cli import cli
from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
from inspect_kit.store.store import Store


def expected_lines(docs: list[dict]) -> list[str]:
    """The listing as it is computed from full records."""
    from inspect_kit.cli.results_cmd import summary_lines

    rows = [{"uuid": d["uuid"], "form": d["form"], "round": d["round"], "subject": d["subject"],
             "subject_name": d["subject_name"], "rater": d["rater"], "status": d["status"],
             "total": d["score"]["total"], "bonus": d["score"]["bonus"],
             "grade": d["score"]["grade"], "vetoed": bool(d["score"]["vetoes"])}
            for d in docs]  # fmt: skip
    return [*summary_lines(rows, "zh"), f"共 {len(docs)} 张"]


@pytest.mark.parametrize("args", [[], ["--form", "edu-base-inspection"], ["--status", "void"],
                                  ["--round", "2025", "--status", "final"]])  # fmt: skip
def test_results_list_text_from_the_index(workspace, store, monkeypatch, args):
    roster, finals, _ = build_demo(demo_forms(), DemoPlan(subjects=3, raters=2, rounds=2, seed=5,
                                                          drafts=0))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    first = store.submissions()[0]
    store.void(first["uuid"], "重复录入", "测试员")
    runner = CliRunner()
    base = ["--workspace", str(workspace.root), "results", "list", *args]
    docs = json.loads(runner.invoke(cli, [*base, "--json"]).output)
    assert docs or "--round" in args

    def refuse(*a, **k):
        raise AssertionError("results list loaded every full record")

    monkeypatch.setattr(Store, "submissions", refuse)
    result = runner.invoke(cli, base)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    if docs:
        assert lines == expected_lines(docs)
    else:
        assert lines == ["没有已提交的评分表。"]
