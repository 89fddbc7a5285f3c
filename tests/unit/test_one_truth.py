"""Acceptance: for every built-in form on demo data, the grade counts in `panel --json`, in the
histogram's data, in the ranking data and in the XLSX 汇总 sheet are equal (final grades, the
vetoed and downgraded among them counted apart); and the charts' own promises (lowest band
drawn as '<75 分', ranking paged, TrueType in PDF, real text in SVG, neutral leniency band,
a bar profile below 5 sections)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

import pytest
from click.testing import CliRunner

from inspect_kit.charts import data as cd
from inspect_kit.cli import cli
from inspect_kit.demo.generator import demo_forms
from inspect_kit.formfiles.catalog import FormCatalog
from inspect_kit.services.panels import PanelsService
from inspect_kit.store.store import Store

FORMS = sorted(f.form.form for f in demo_forms())


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory):
    from inspect_kit.base.paths import Workspace

    root = tmp_path_factory.mktemp("truth")
    # Vetoes are decided per panel at 3% (demo.generator.VETO_RATE): seed 1 is one whose 40
    # panels hold some, which the checks below need (the default seed's happen to hold none).
    result = CliRunner().invoke(cli, ["--workspace", str(root), "demo", "--subjects", "10",
                                      "--raters", "5", "--rounds", "1", "--seed", "1"])  # fmt: skip
    assert result.exit_code == 0, result.output
    return Workspace(root)


def test_every_view_counts_the_same_final_grades(demo_ws, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    panels = PanelsService(Store(demo_ws), FormCatalog(demo_ws))
    out = tmp_path / "all.xlsx"
    result = CliRunner().invoke(cli, ["--workspace", str(demo_ws.root), "results", "export",
                                      "--format", "xlsx", "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = openpyxl.load_workbook(out)["汇总"]
    headers = [c.value for c in summary[1]]
    xlsx_rows = [dict(zip(headers, r, strict=True))
                 for r in summary.iter_rows(min_row=2, values_only=True)]  # fmt: skip
    vetoes_seen = 0
    for form_id in FORMS:
        view = panels.panel(form_id)
        truth = Counter(s.grade for s in view.subjects)
        assert sum(truth.values()) == len(view.subjects) > 0

        raw = CliRunner().invoke(cli, ["--workspace", str(demo_ws.root), "panel", form_id,
                                       "--json"])  # fmt: skip
        data = json.loads(raw.output)
        json_counts = {g["grade"]: g["count"] for g in data["grade_counts"]}
        hist = cd.hist_data(view)
        hist_counts = {b.grade: b.count for b in hist.bands}
        ranking = Counter(r.grade for r in cd.ranking_data(view).rows)
        title = view.form.title
        xlsx = Counter(r["等级"] for r in xlsx_rows if r["表单"] == title and
                       str(r["轮次"]) == view.round)  # fmt: skip
        expected = {g.grade: truth.get(g.grade, 0) for g in view.form.grades}
        assert json_counts == hist_counts == expected, form_id
        assert {g: n for g, n in ranking.items()} == {g: n for g, n in expected.items() if n}
        assert dict(xlsx) == {g: n for g, n in expected.items() if n}, form_id
        # the vetoed and downgraded, apart, the same in the JSON and the histogram
        apart = {g["grade"]: (g["vetoed"], g["downgraded"]) for g in data["grade_counts"]}
        assert apart == {b.grade: (b.vetoed, b.downgraded) for b in hist.bands}
        assert sum(v for v, _ in apart.values()) == sum(s.vetoed for s in view.subjects)
        assert sum(d for _, d in apart.values()) == sum(s.downgraded for s in view.subjects)
        vetoes_seen += sum(s.vetoed for s in view.subjects)
        # scores agree as shown
        assert [s["score_shown"] for s in data["subjects"]] == [
            s.fmt(s.final) for s in view.subjects
        ]
        assert [r.score for r in cd.ranking_data(view).rows] == [s.final for s in view.subjects]
    assert vetoes_seen  # the demo holds vetoes (downgrades: test_subject_result)


def test_the_lowest_band_is_always_drawn_and_labelled_below(demo_ws):
    from inspect_kit.charts import hist

    view = PanelsService(Store(demo_ws), FormCatalog(demo_ws)).panel("five-good-committee")
    # every subject scored high: the plot still starts low enough to show the lowest band
    top = replace(view, panel=replace(view.panel, subjects=tuple(
        replace(s, final=96.0) for s in view.subjects if not s.vetoed)))  # fmt: skip
    data = cd.hist_data(top)
    assert min(data.scores) == 96.0
    assert cd.band_label(data, len(data.bands) - 1) == "<75 分"
    assert cd.band_label(data, 0) == "≥90 分"
    lowest = data.bands[-1]
    assert data.x_min <= lowest.high - 5
    texts = [t.get_text() for t in hist.draw(data).axes[0].texts]
    assert any("<75 分" in t for t in texts)


def test_ranking_is_paged_at_about_25_rows(demo_ws):
    from inspect_kit.charts import ranking

    view = PanelsService(Store(demo_ws), FormCatalog(demo_ws)).panel("edu-base-inspection")
    data = cd.ranking_data(view)
    many = replace(data, rows=tuple(replace(r, rank=i + 1) for i, r in
                                    enumerate(data.rows * 6)))  # fmt: skip
    pages = cd.ranking_pages(many)
    assert len(many.rows) == 60 and len(pages) == 3
    assert [len(p.rows) for p in pages] == [20, 20, 20] and all(p.pages == 3 for p in pages)
    assert [r.rank for p in pages for r in p.rows] == list(range(1, 61))
    fig = ranking.draw(pages[1])
    assert tuple(fig.get_size_inches()) == pytest.approx(ranking.A4_PORTRAIT)
    assert "第 2/3 页" in fig.get_suptitle()


def test_pdf_embeds_truetype_and_svg_keeps_text(demo_ws, tmp_path):
    from inspect_kit.charts.render import render

    view = PanelsService(Store(demo_ws), FormCatalog(demo_ws)).panel("five-good-committee")
    (pdf,) = render(view, ["hist"], tmp_path, "pdf")
    raw = pdf.read_bytes()
    assert b"/FontFile2" in raw and b"/Subtype /Type3" not in raw
    assert b"/FontFile3" not in raw  # no CFF labelled as TrueType
    (svg,) = render(view, ["raters"], tmp_path, "svg")
    text = svg.read_text(encoding="utf-8")
    assert "<text" in text and "评委宽严度" in text


def test_leniency_within_one_point_reads_centred():
    from inspect_kit.charts.raters import leaning

    assert leaning(0.63) == leaning(-0.99) == "居中"
    assert leaning(1.0) == "偏宽" and leaning(-1.17) == "偏严"


def test_fewer_than_five_sections_draw_bars_not_a_radar(demo_ws):
    import dataclasses

    from inspect_kit.charts import radar

    # No built-in form has fewer than five scored sections since four-oclock-school v2 (eleven
    # sub-areas), so a subject's real radar data is cut to its first three sections.
    view = PanelsService(Store(demo_ws), FormCatalog(demo_ws)).panel("four-oclock-school")
    subject = view.subjects[0].subject
    full = cd.radar_data(view, subject)
    assert len(full.labels) == 11 >= radar.RADAR_MIN
    data = dataclasses.replace(full, labels=full.labels[:3], values=full.values[:3],
                               medians=full.medians[:3])  # fmt: skip
    assert len(data.labels) < radar.RADAR_MIN
    fig = radar.draw(data)
    assert all(ax.name != "polar" for ax in fig.get_axes())
    edu = PanelsService(Store(demo_ws), FormCatalog(demo_ws)).panel("edu-base-inspection")
    fig = radar.draw(cd.radar_data(edu, edu.subjects[0].subject))
    assert any(ax.name == "polar" for ax in fig.get_axes())
