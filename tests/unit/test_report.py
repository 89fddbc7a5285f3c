"""The meeting pack (typst): A4 pages, bookmarks, fonts, every name and note, hostile text.

PDFs are read back with pypdf and poppler's pdftotext/pdffonts, as a committee's reader would.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from inspect_kit.demo.generator import DemoPlan, build_demo
from inspect_kit.domain.panel_view import panel_view

A4 = (595.28, 841.89)
HOSTILE = '#eval("1+1") *粗体* $x^2$ ] [链接](http://x) _斜_ @ref <b>&amp; \\ 反斜杠'
LONG = "宁波市鄞州区东柳街道社区青少年校外教育活动中心暨关心下一代工作委员会四点钟学校示范基地"
poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler not installed")


def squash(text: str) -> str:
    """Text without whitespace: a name wrapped over lines in a table cell reads whole again."""
    return re.sub(r"\s+", "", text)


def pdf_text(path) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def bookmarks(reader: PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def assert_a4(reader: PdfReader) -> None:
    for page in reader.pages:
        size = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert size == pytest.approx(A4, abs=0.5), size


def assert_no_type3(path) -> None:
    reader = PdfReader(path)
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            assert ref.get_object().get("/Subtype") != "/Type3"
    if shutil.which("pdffonts"):
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
        assert "Type 3" not in out and "NotoSansSC" in out
        assert all(" yes yes " in line for line in out.splitlines()[2:] if line.strip())


def demo_records(form, *, subjects: int, raters: int, seed: int, self_assessments: int = 1):
    _, finals, _ = build_demo(
        [form],
        DemoPlan(
            subjects=subjects,
            raters=raters,
            rounds=1,
            seed=seed,
            drafts=0,
            self_assessments=self_assessments,
        ),
    )
    return finals


@pytest.fixture(scope="module")
def big_panel(edu_form):
    """Four subjects; one scored by 16 raters with a veto, one with a hostile name, one long."""
    finals = demo_records(edu_form, subjects=4, raters=16, seed=7)
    veto = edu_form.form.vetoes[0]
    first = next(sheet.subject for sheet, _ in finals if sheet.role == "self")
    vetoed = next(sheet for sheet, _ in finals if sheet.subject == first and sheet.role != "self")
    vetoed.set_veto(veto.id, True, "现场发现消防通道被堵塞，负责人当场确认")
    records = [{**sheet.to_record(), "status": "final"} for sheet, _ in finals]
    subjects = sorted({r["subject"] for r in records})
    others = [x for x in subjects if x != first]
    names = {others[0]: HOSTILE, others[1]: LONG}
    for r in records:
        r["subject_name"] = names.get(r["subject"], r["subject_name"])
    hostile_note = next(
        (r, item)
        for r in records
        if r["subject"] == others[0] and r.get("role") != "self"
        for item, s in r["score"]["items"].items()
        if s.get("lost")
    )
    hostile_note[0]["answers"][hostile_note[1]]["note"] = "理由 #strong[不] $y$ ]]"
    view = panel_view(edu_form.form, records, records[0]["round"])
    return view, first, veto


@pytest.fixture(scope="module")
def big_pack(big_panel, tmp_path_factory):
    from inspect_kit.pack.pack_data import PackOptions
    from inspect_kit.pack.report import build_report

    view, _, _ = big_panel
    out = tmp_path_factory.mktemp("pack") / "pack.pdf"
    calls: list[tuple[int, int]] = []
    pages = build_report(
        view,
        out,
        PackOptions(organizer="宁波市关工委", final=True),
        progress=lambda done, total, what: calls.append((done, total)),
    )
    return out, pages, calls


def test_pack_is_a4_with_page_numbers_and_no_type3_fonts(big_pack):
    out, pages, calls = big_pack
    reader = PdfReader(out)
    assert pages == len(reader.pages) > 10
    assert calls[-1][0] == calls[-1][1]
    assert_a4(reader)
    assert_no_type3(out)
    text = pdf_text(out)
    assert f"第 1 页 共 {pages} 页" not in text  # the cover has no footer
    assert f"第 2 页 共 {pages} 页" in text and f"第 {pages} 页 共 {pages} 页" in text
    assert not list(out.parent.glob(".pack*"))  # no temp file left


def test_every_subject_has_one_bookmark_and_its_full_name(big_pack, big_panel):
    out, _, _ = big_pack
    view, _, _ = big_panel
    titles = bookmarks(PdfReader(out))
    text = squash(pdf_text(out))
    for s in view.panel.subjects:
        assert titles.count(s.subject_name) == 1, s.subject_name
        assert squash(s.subject_name) in text
    assert "目录" in text and "评审决定" in text and "评分规则与计算方法" in text
    assert "拟评等次" in text and "主持人" in text and "记录人" in text and "定稿" in text


def test_hostile_text_renders_literally(big_pack):
    text = squash(pdf_text(big_pack[0]))
    assert squash(HOSTILE) in text
    assert squash("理由 #strong[不] $y$ ]]") in text


def test_sixteen_raters_veto_and_self_assessment_are_all_there(big_pack, big_panel):
    out, _, _ = big_pack
    view, first, veto = big_panel
    s = view.panel.subject(first)
    assert s is not None and s.rater_count == 16 and s.vetoed
    text = squash(pdf_text(out))

    # The subject's own section: from its heading (name, then 编号 名次) to the next one.
    def head(x):
        return squash(x.subject_name) + "编号名次"

    start = text.index(head(s))
    ends = [text.find(head(x), start + 1) for x in view.panel.subjects if x is not s]
    ends.append(text.rindex("作废与修订的评分表"))
    section = text[start : min(e for e in ends if e > start)]
    for sheet in s.sheets:
        assert squash(sheet.rater) in section
    assert squash(veto.text) in section and squash("消防通道被堵塞，负责人当场确认") in section
    assert s.self_assessments and "自评" in section
    assert squash(f"{s.self_assessments[0].final:g}") in section


def test_every_deduction_note_and_no_bonus_deduction(big_pack, big_panel):
    out, _, _ = big_pack
    view, _, _ = big_panel
    text = squash(pdf_text(out))
    bonus = {x.title for x in view.form.bonus_sections}
    bonus_items = {i.text for x in view.form.bonus_sections for i in x.items}
    for deductions in view.deductions.values():
        for d in deductions:
            if d.section not in bonus and d.note:
                assert squash(d.note) in text
    # A bonus item is never listed with 未写理由.
    for line in pdf_text(out).splitlines():
        if "未写理由" in line:
            assert not any(item in line for item in bonus_items), line


def test_previous_round_and_breakdown(edu_form, tmp_path):
    from inspect_kit.pack.report import build_report

    _, finals, _ = build_demo(
        [edu_form], DemoPlan(subjects=3, raters=3, rounds=2, seed=5, drafts=0, self_assessments=0)
    )
    records = [{**sheet.to_record(), "status": "final"} for sheet, _ in finals]
    rounds = sorted({r["round"] for r in records})
    view = panel_view(edu_form.form, records, rounds[-1])
    before = panel_view(edu_form.form, records, rounds[0])
    void = {**records[0], "status": "void", "revision": 2, "amend_reason": "评分人填错对象"}
    out = tmp_path / "p.pdf"
    build_report(view, out, previous=before, revisions=[void])
    text = squash(pdf_text(out))
    assert squash(f"与上一轮（{rounds[0]}）比较") in text and "达标率" in text
    assert "按区域" in text and "评分人填错对象" in text and "作废" in text


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
    out = tmp_path / "会议材料.pdf"
    result = _cli(
        demo_root,
        "report",
        "edu-base-inspection",
        "--out",
        str(out),
        "--organizer",
        "测试组织单位",
        "--meeting-date",
        "2026-12-20",
        "--period",
        "九月至十月",
    )
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    reader = PdfReader(out)
    assert f"（{len(reader.pages)} 页）" in result.output
    cover = reader.pages[0].extract_text()
    assert "测试组织单位" in cover and "2026-12-20" in cover and "九月至十月" in cover
    assert "讨论稿" in cover
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


def test_charts_drawn_with_a_forked_helper_are_the_same_charts(big_panel):
    from inspect_kit.pack.report import chart_svgs, report_charts

    view, _, _ = big_panel
    kinds = report_charts(view)
    alone = chart_svgs(view, kinds, fork=False)
    helped = chart_svgs(view, kinds, fork=True)
    assert list(helped) == list(alone) == kinds
    for kind in kinds:
        assert len(helped[kind]) == len(alone[kind]) >= 1
        assert all(svg.lstrip().startswith("<?xml") and "<svg" in svg for svg in helped[kind])


def test_cover_grade_counts_are_the_panels(big_pack, big_panel):
    out, _, _ = big_pack
    view, _, _ = big_panel
    cover = squash(PdfReader(out).pages[0].extract_text())
    assert "宁波市关工委" in cover and "定稿" in cover
    for g in view.grade_tally:
        assert squash(f"{g.grade} {g.count} 个") in cover


def test_items_chart_drawn_by_typst_names_every_item_with_its_figures(big_pack, big_panel):
    from inspect_kit.charts.data import items_data
    from inspect_kit.pack.items_chart import items_chart

    out, _, _ = big_pack
    view, _, _ = big_panel
    chart = items_chart(view)
    assert chart["rows"] and chart["rows"] == sorted(chart["rows"], key=lambda r: -r["value"])
    assert chart["ticks"][-1]["at"] <= chart["x_max"] and len(chart["ticks"]) >= 3
    page = next(
        squash(p.extract_text())
        for p in PdfReader(out).pages
        if squash(chart["title"]) in squash(p.extract_text())
    )
    shown = items_data(view).items  # the same items as the matplotlib chart
    assert [r["label"] for r in chart["rows"]] == [x.text for x in shown]
    for loss in shown:
        assert squash(loss.text) in page  # wrapped, never cut
        assert squash(f"{loss.mean_lost:.2f} / {loss.max:g} 分（{loss.sheets_losing}/") in page


def test_a_chart_worker_that_fails_costs_no_chart(big_panel, monkeypatch):
    from inspect_kit.pack import report

    view, _, _ = big_panel
    kinds = report.report_charts(view)
    real_draw = report._draw

    def draw_in_parent_only(v, wanted, folder):  # the worker claims its kind, then dies
        if os.getpid() != parent:
            os._exit(3)
        return real_draw(v, wanted, folder)

    parent = os.getpid()
    monkeypatch.setattr(report, "_draw", draw_in_parent_only)
    job = report.ChartJob(view, kinds, fork=True)
    svgs = job.result()
    assert list(svgs) == kinds and all(svgs[k] and "<svg" in svgs[k][0] for k in kinds)
    assert not job.folder.exists()
