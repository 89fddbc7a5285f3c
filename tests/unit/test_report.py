"""The meeting-pack PDF: page plan, page count read back with pypdf, Chinese text, progress."""

from __future__ import annotations

import math

import pytest
from pypdf import PdfReader

from inspect_kit.demo.generator import DemoPlan, build_demo
from inspect_kit.domain.panel_view import panel_view


@pytest.fixture(scope="module")
def rd(edu_form):
    _, finals, _ = build_demo(
        [edu_form], DemoPlan(subjects=4, raters=3, rounds=1, seed=11, drafts=0, self_assessments=1)
    )
    records = [{**sheet.to_record(), "status": "final"} for sheet, _ in finals]
    return panel_view(edu_form.form, records, records[0]["round"])


def test_page_count_is_cover_tables_charts_and_subjects(rd, tmp_path):
    from inspect_kit.pack.plan import REPORT_CHARTS, TABLE_ROWS, plan_report
    from inspect_kit.pack.report import build_report

    plan = plan_report(rd)
    subjects = len(rd.panel.subjects)
    subject_pages = [p for p in plan if p.kind == "subject"]
    assert {p.subject.subject for p in subject_pages} == {s.subject for s in rd.panel.subjects}
    expected = 1 + math.ceil(subjects / TABLE_ROWS) + len(REPORT_CHARTS) + len(subject_pages)
    assert len(plan) == expected

    calls = []
    out = tmp_path / "pack.pdf"
    pages = build_report(rd, out, progress=lambda done, total, what: calls.append((done, total)))
    reader = PdfReader(out)
    assert pages == len(reader.pages) == expected
    assert calls[-1] == (expected, expected)
    assert not list(tmp_path.glob(".pack*"))  # no temp file left

    text = [page.extract_text() for page in reader.pages]
    assert "2026" in text[0] or rd.round in text[0]
    assert rd.form.title in text[0]
    for s in rd.panel.subjects:
        assert s.subject_name in text[1]  # ranking table
        assert any(s.subject_name in t and "扣分明细" in t for t in text[7:])


def test_one_page_per_subject_when_deductions_fit(rd):
    from inspect_kit.domain.panel_figures import deductions
    from inspect_kit.pack.plan import FIRST_PAGE_LINES, deduction_rows, paginate, plan_report

    for s in rd.panel.subjects:
        rows = deduction_rows(deductions(rd.form, rd.records, rd.round, s.subject))
        lines = sum(r.height for r in rows)
        parts = [
            p for p in plan_report(rd) if p.kind == "subject" and p.subject.subject == s.subject
        ]
        assert len(parts) == len(paginate(rows))
        if lines <= FIRST_PAGE_LINES:
            assert len(parts) == 1
        assert sum(len(p.rows) for p in parts) == len(rows)  # every deduction shown once


def test_paginate_splits_by_line_budget():
    from inspect_kit.pack.plan import paginate

    class Row:
        def __init__(self, height):
            self.height = height

    pages = paginate([Row(3)] * 7, first=7, rest=10)  # 2 rows, then 3 rows, then 2
    assert [len(p) for p in pages] == [2, 3, 2]
    assert paginate([], first=5, rest=5) == [[]]


def test_long_ranking_table_continues_over_pages(edu_form):
    from inspect_kit.pack.plan import TABLE_ROWS, plan_report

    _, finals, _ = build_demo(
        [edu_form],
        DemoPlan(subjects=TABLE_ROWS + 2, raters=1, rounds=1, seed=3, drafts=0, self_assessments=0),
    )
    records = [{**sheet.to_record(), "status": "final"} for sheet, _ in finals]
    rd = panel_view(edu_form.form, records, records[0]["round"])
    tables = [p for p in plan_report(rd) if p.kind == "table"]
    assert [len(p.rows) for p in tables] == [TABLE_ROWS, 2]


# ---------------------------------------------------------------- `inspect-kit chart` / `report`


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory):
    from click.testing import CliRunner

    from inspect_kit.cli import cli

    root = tmp_path_factory.mktemp("ws")
    result = CliRunner().invoke(
        cli,
        [
            "--workspace",
            str(root),
            "demo",
            "--subjects",
            "3",
            "--raters",
            "5",
            "--rounds",
            "1",
            "--form",
            "edu-base-inspection",
        ],
    )
    assert result.exit_code == 0, result.output
    return root


def _cli(root, *args):
    from click.testing import CliRunner

    from inspect_kit.cli import cli

    return CliRunner().invoke(cli, ["--workspace", str(root), *args])


def test_chart_command_writes_every_kind_and_prints_paths(demo_root):
    result = _cli(demo_root, "chart", "edu-base-inspection", "--kind", "all")
    assert result.exit_code == 0, result.output
    paths = [line for line in result.output.splitlines() if line.strip()]
    # five kinds + one radar per subject (radar without --subject draws every subject)
    assert len(paths) == 5 + 3
    for path in paths:
        assert path.startswith(str(demo_root / "results" / "charts"))
        with open(path, "rb") as handle:
            assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


def test_chart_command_one_kind_one_subject_as_pdf(demo_root, tmp_path):
    from inspect_kit.base.paths import Workspace
    from inspect_kit.store.store import Store

    subject = Store(Workspace(demo_root)).submissions()[0]["subject"]
    result = _cli(
        demo_root,
        "chart",
        "edu-base-inspection",
        "--kind",
        "radar",
        "--subject",
        subject,
        "--out",
        str(tmp_path),
        "--format",
        "pdf",
    )
    assert result.exit_code == 0, result.output
    (path,) = result.output.split()
    assert path.endswith(f"-radar-{subject}.pdf") and len(PdfReader(path).pages) == 1


def test_chart_command_errors_are_one_line(demo_root):
    unknown = _cli(demo_root, "chart", "edu-base-inspection", "--kind", "radar", "--subject", "zz")
    assert unknown.exit_code == 1 and "zz" in unknown.output and "Traceback" not in unknown.output
    empty = _cli(demo_root, "chart", "four-oclock-school", "--kind", "hist")
    assert empty.exit_code == 1 and "还没有已提交的评分表" in empty.output
    bad_kind = _cli(demo_root, "chart", "edu-base-inspection", "--kind", "pie")
    assert bad_kind.exit_code == 2


def test_report_command_writes_the_pack(demo_root, tmp_path):
    from inspect_kit.domain.panel_view import panel_view
    from inspect_kit.pack.plan import plan_report
    from inspect_kit.store.store import Store

    out = tmp_path / "会议材料.pdf"
    result = _cli(demo_root, "report", "edu-base-inspection", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    from inspect_kit.base.paths import Workspace
    from inspect_kit.formfiles.catalog import FormCatalog

    ws = Workspace(demo_root)
    form = FormCatalog(ws).get("edu-base-inspection").form
    records = Store(ws).submissions(form=form.form)
    rd = panel_view(form, records, max(r["round"] for r in records))
    assert len(PdfReader(out).pages) == len(plan_report(rd))
    not_pdf = _cli(demo_root, "report", "edu-base-inspection", "--out", str(tmp_path / "x.txt"))
    assert not_pdf.exit_code == 1 and ".pdf" in not_pdf.output


def test_help_does_not_import_matplotlib():
    import subprocess
    import sys

    code = "\n".join(
        [
            "import sys",
            "from inspect_kit.cli import cli",
            "for args in (['--help'], ['chart', '-h'], ['report', '-h'], ['panel', '-h']):",
            "    try:",
            "        cli(args, prog_name='inspect-kit')",
            "    except SystemExit:",
            "        pass",
            "print('MPL' if 'matplotlib' in sys.modules else 'CLEAN')",
        ]
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("CLEAN")


def test_pack_drawn_by_two_processes_is_the_same_pack(rd, tmp_path):
    from inspect_kit.pack.plan import plan_report
    from inspect_kit.pack.report import _split, build_report

    plan = plan_report(rd)
    ranges = _split(plan, 2)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(plan)
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:], strict=False))

    one, two = tmp_path / "one.pdf", tmp_path / "two.pdf"
    calls = []
    assert build_report(rd, one, workers=1) == len(plan)
    pages = build_report(
        rd, two, workers=2, progress=lambda done, total, what: calls.append((done, total))
    )
    assert pages == len(PdfReader(two).pages) == len(plan)
    assert calls[-1] == (len(plan), len(plan))
    assert not list(tmp_path.glob(".two*"))  # parts and temp file cleaned up
    first = [p.extract_text() for p in PdfReader(one).pages]
    second = [p.extract_text() for p in PdfReader(two).pages]
    assert first == second  # same text on the same pages, page numbers included
