"""Charts: the figures behind each kind (computed without rendering), and each kind renders
in Chinese with no glyph warning and no text outside the figure."""

from __future__ import annotations

import io
import warnings

import pytest

from inspect_kit.charts import KINDS
from inspect_kit.charts import data as cd
from inspect_kit.demo.generator import DemoPlan, build_demo
from inspect_kit.domain.panel_view import panel_view


@pytest.fixture(scope="module")
def rd(edu_form):
    _, finals, _ = build_demo(
        [edu_form], DemoPlan(subjects=6, raters=5, rounds=1, seed=7, drafts=0, self_assessments=1)
    )
    records = [{**sheet.to_record(), "status": "final"} for sheet, _ in finals]
    round_ = records[0]["round"]
    return panel_view(edu_form.form, records, round_)


def test_hist_data_counts_every_subject_once(rd):
    data = cd.hist_data(rd)
    assert sorted(data.scores) == sorted(s.final for s in rd.panel.subjects)
    assert sum(cd.bin_counts(data)) == len(rd.panel.subjects) == 6
    assert sum(b.count for b in data.bands) == 6
    for band in data.bands:  # final grades (after floors and vetoes), not score bands
        assert band.count == sum(1 for s in rd.panel.subjects if s.grade == band.grade)
        vetoed = [s for s in rd.panel.subjects if s.grade == band.grade and s.vetoed]
        assert band.vetoed == len(vetoed)
    assert data.bins[0] <= min(data.scores) and data.bins[-1] == 105
    assert data.median == pytest.approx(sorted(data.scores)[2] / 2 + sorted(data.scores)[3] / 2)


def test_bin_counts_by_hand():
    data = cd.HistData(
        "t",
        "2026",
        (60.0, 64.9, 65.0, 100.0),
        (50.0, 60.0, 65.0, 70.0, 100.0),
        (),
        72.0,
        65.0,
        50.0,
        100.0,
    )
    assert cd.bin_counts(data) == [0, 2, 1, 1]


def test_ranking_data_follows_panel_ranks_and_marks_vetoes(rd):
    data = cd.ranking_data(rd)
    assert [r.rank for r in data.rows] == [s.rank for s in rd.panel.subjects]
    assert [r.subject for r in data.rows] == [s.subject for s in rd.panel.subjects]
    for row, s in zip(data.rows, rd.panel.subjects, strict=True):
        finals = [x.final for x in s.sheets]
        assert (row.low, row.high) == (min(finals), max(finals))
        assert row.vetoed == s.vetoed and row.grade == s.grade
        assert data.grades[row.grade_index] == row.grade
    assert data.grades == ("优秀", "良好", "合格", "不合格")


def test_sections_radar_items_raters_data(rd):
    sections = cd.sections_data(rd)
    assert [b.id for b in sections.sections] == [
        "sign",
        "site",
        "facilities",
        "team",
        "rules",
        "activities",
        "outcomes",
    ]
    first = rd.panel.subjects[0]
    assert sections.sections[0].percents[0] == round(first.sections[0].ratio * 100, 1)
    assert ("优秀", 60.0) in sections.thresholds

    radar = cd.radar_data(rd, first.subject)
    assert radar.values == tuple(round(s.ratio * 100, 1) for s in first.sections)
    assert radar.medians == pytest.approx([b.median for b in sections.sections], abs=0.11)
    assert radar.rank == 1

    items = cd.items_data(rd)
    lost = [i.mean_lost for i in items.items]
    assert lost == sorted(lost, reverse=True) and len(lost) <= cd.ITEMS_SHOWN

    raters = cd.raters_data(rd)
    assert [r.rater for r in raters.raters] == [r.rater for r in rd.panel.leniency]
    assert sum(r.deviation for r in raters.raters) == pytest.approx(
        sum(r.deviation for r in rd.panel.leniency)
    )


def test_radar_for_unknown_subject_is_a_plain_error(rd):
    from inspect_kit.base.errors import InspectKitError

    with pytest.raises(InspectKitError, match="没有对象 nope"):
        cd.chart_data("radar", rd, "nope")
    with pytest.raises(InspectKitError, match="--subject"):
        cd.chart_data("radar", rd, None)


def _texts_inside(fig) -> list[float]:
    """How far (inches) what is drawn reaches beyond the figure's edges; [] when nothing is cut."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    box = fig.get_tightbbox(canvas.get_renderer())
    width, height = fig.get_size_inches()
    over = [-box.x0, -box.y0, box.x1 - width, box.y1 - height]
    return [round(x, 3) for x in over if x > 0.01]


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_renders_without_glyph_warnings_or_cut_text(rd, kind):
    from inspect_kit.charts.render import figure

    subject = rd.panel.subjects[-1].subject if kind == "radar" else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = figure(kind, rd, subject)
        assert _texts_inside(fig) == []
        fig.savefig(io.BytesIO(), format="png")
    glyphs = [str(w.message) for w in caught if "Glyph" in str(w.message)]
    assert glyphs == []


def test_long_chinese_names_are_wrapped_never_cut_in_the_ranking(rd):
    from dataclasses import replace

    from inspect_kit.charts import ranking

    data = cd.ranking_data(rd)
    long_name = "宁波市鄞州区某某街道某某社区青少年校外教育实践活动示范基地（第二期扩建工程）"
    rows = (replace(data.rows[0], name=long_name),) + data.rows[1:]
    fig = ranking.draw(replace(data, rows=rows))
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[0].replace("\n", "") == f"1. {long_name}"  # every character kept
    assert labels[0].count("\n") >= 2 and "…" not in labels[0]
    assert _texts_inside(fig) == []


def test_render_writes_files_atomically(rd, tmp_path):
    from inspect_kit.charts.render import render

    paths = render(
        rd,
        ["hist", "radar"],
        tmp_path / "charts",
        "svg",
        [s.subject for s in rd.panel.subjects[:2]],
    )
    assert [p.name for p in paths] == [
        f"edu-base-inspection-{rd.round}-hist.svg",
        f"edu-base-inspection-{rd.round}-radar-{rd.panel.subjects[0].subject}.svg",
        f"edu-base-inspection-{rd.round}-radar-{rd.panel.subjects[1].subject}.svg",
    ]
    assert all(p.read_text(encoding="utf-8").lstrip().startswith("<?xml") for p in paths)
    assert sorted(x.name for x in (tmp_path / "charts").iterdir()) == sorted(p.name for p in paths)


def test_fonts_register_a_chinese_family():
    from inspect_kit.charts.fonts import setup_fonts

    families = setup_fonts()
    assert families[0] != "DejaVu Sans" and families[-1] == "DejaVu Sans"


def _hist_extremes(peak: int) -> cd.HistData:
    """Every legend entry (scored, downgraded, vetoed, mean, median), a count of `peak` in one
    bin, a bonus range past 100 and a form title longer than the title line."""
    from inspect_kit.domain.subject_result import GradeCount

    scores = (58.0,) * 3 + (72.0,) * 2 + (84.0,) * peak + (96.0, 103.5)
    kinds = ("vetoed",) * 3 + ("downgraded",) * 2 + ("score",) * (peak + 2)
    bands = (GradeCount("优秀", 90, 105, 2, 0, 0), GradeCount("良好", 80, 90, peak, 0, 0),
             GradeCount("合格", 60, 80, 2, 0, 2),
             GradeCount("不合格", 50, 60, 3, 3, 0))  # fmt: skip
    bins = tuple(float(x) for x in range(50, 110, 5))
    return cd.HistData("关心下一代校外教育阵地年度检查评分表（含加分项目与一票否决事项的完整版本）",
                       "2026", scores, bins, bands, 84.0, 84.0, 50.0, 105.0, kinds)  # fmt: skip


@pytest.mark.parametrize("peak", [1, 40, 9999])
def test_the_hist_margins_hold_its_texts_apart(peak):
    """hist has fixed margins (style.fixed_figure), not a layout engine: nothing is cut and the
    title, the axes with their tick labels, the axis title and the legend never overlap."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from inspect_kit.charts.hist import draw

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = draw(_hist_extremes(peak))
        assert _texts_inside(fig) == []
    assert [str(w.message) for w in caught if "Glyph" in str(w.message)] == []
    canvas = FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    title = fig._suptitle.get_window_extent(renderer)
    legend = fig.legends[0].get_window_extent(renderer)
    xlabel = ax.xaxis.label.get_window_extent(renderer)
    ylabel = ax.yaxis.label.get_window_extent(renderer)
    ticks_y = [t.get_window_extent(renderer) for t in ax.get_yticklabels() if t.get_text()]
    ticks_x = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
    frame = ax.get_window_extent(renderer)
    assert title.y0 > frame.y1  # the title above the plot
    assert max(t.y1 for t in ticks_x) < frame.y0 + 1 and xlabel.y1 < min(t.y0 for t in ticks_x)
    assert legend.y1 < xlabel.y0  # the legend below the axis title
    assert ylabel.x1 < min(t.x0 for t in ticks_y) and max(t.x1 for t in ticks_y) < frame.x0 + 1


@pytest.mark.parametrize("kept", ["valid", "stale", "damaged"])
def test_the_bundled_font_is_registered_as_addfont_registers_it(tmp_path, monkeypatch, kept):
    """fonts.register_font keeps addfont's entries in matplotlib's cache folder; a later
    process adds the same entries without parsing the font; a stale or damaged file is
    parsed again and rewritten."""
    import json

    import matplotlib
    from matplotlib import font_manager

    from inspect_kit.charts.fonts import FONT_ENTRIES, bundled_font, register_font

    path = bundled_font()
    if path is None:
        pytest.skip("the bundled font package is not installed")
    manager = font_manager.fontManager
    monkeypatch.setattr(matplotlib, "get_cachedir", lambda: str(tmp_path))
    monkeypatch.setattr(manager, "ttflist", list(manager.ttflist))
    before = len(manager.ttflist)
    register_font(path)  # nothing kept yet: addfont
    made = manager.ttflist[before:]
    assert made and all(e.fname == str(path) for e in made)
    del manager.ttflist[before:]
    cache = tmp_path / FONT_ENTRIES
    if kept == "stale":
        entry = json.loads(cache.read_text(encoding="utf-8"))
        entry["key"][-1] = "0.0.1"  # another matplotlib
        cache.write_text(json.dumps(entry), encoding="utf-8")
    elif kept == "damaged":
        cache.write_bytes(b'{"key": [1')
    parsed = []
    real = font_manager.ft2font.FT2Font

    def counted(*args, **kwargs):
        parsed.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(font_manager.ft2font, "FT2Font", counted)
    register_font(path)
    assert manager.ttflist[before:] == made
    assert parsed == ([] if kept == "valid" else [str(path)])
    assert font_manager.findfont(made[0].name, fallback_to_default=False) == str(path)
