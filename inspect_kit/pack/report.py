"""The meeting pack: one PDF (A4 landscape) for a form's round.

Pages, in order: a cover; the ranking table (continued over pages when long); the distribution
charts (hist, sections, ranking, items, raters); then one page per subject (section profile
against the round's median, raters' totals, vetoes with who raised them, every deduction with
its note), continued on further pages only when its deductions do not fit.

`plan_report` decides the pages without drawing (tests count them); `build_report` draws them
and reports progress through a callback so the TUI can run it in a worker.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from inspect_kit.base.errors import InspectKitError
from inspect_kit.base.textwidth import truncate, wrap
from inspect_kit.charts import KIND_NAMES
from inspect_kit.charts.data import chart_data, grade_index
from inspect_kit.charts.style import (
    A4_LANDSCAPE,
    BLUE,
    DARK,
    GREY,
    RED,
    grade_colors,
    new_figure,
)
from inspect_kit.domain.panel import (
    Deduction,
    RoundData,
    SubjectPanel,
    median_profile,
    rater_totals_text,
    sheet_deductions,
)

REPORT_CHARTS = ("hist", "sections", "ranking", "items", "raters")
"""Chart pages, in order."""
TABLE_ROWS = 18
"""Ranking-table rows per page."""
METHOD_NAMES = {"mean": "算术平均", "median": "中位数", "trimmed-mean": "去掉最高最低后平均"}

# Deduction table on subject pages: column widths (display columns) and line budgets.
COL_ITEM, COL_RATER, COL_VALUE, COL_NOTE = 52, 8, 20, 54
FIRST_PAGE_LINES = 14
NEXT_PAGE_LINES = 32
LINE = 0.0215
"""Height of one text line on subject pages, as a fraction of the page (9 pt on A4 landscape)."""

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class DeductionRow:
    deduction: Deduction
    item_lines: tuple[str, ...]
    note_lines: tuple[str, ...]

    @property
    def height(self) -> int:
        return max(len(self.item_lines), len(self.note_lines), 1)


def deduction_rows(items: list[Deduction]) -> list[DeductionRow]:
    return [
        DeductionRow(
            d,
            tuple(wrap(f"{d.text}", COL_ITEM, 3)),
            tuple(wrap(d.note or "（未写理由）", COL_NOTE)),
        )
        for d in items
    ]


def paginate(
    rows: list[DeductionRow], first: int = FIRST_PAGE_LINES, rest: int = NEXT_PAGE_LINES
) -> list[list[DeductionRow]]:
    """Split rows into pages: the first page holds `first` lines, the others `rest`."""
    pages: list[list[DeductionRow]] = [[]]
    budget = first
    for row in rows:
        if row.height > budget and pages[-1]:
            pages.append([])
            budget = rest
        pages[-1].append(row)
        budget -= row.height
    return pages


@dataclass(frozen=True)
class Page:
    kind: str
    """cover | table | chart | subject"""
    title: str
    part: int = 0
    parts: int = 1
    chart: str = ""
    rows: tuple = field(default_factory=tuple)
    subject: SubjectPanel | None = None


def plan_report(rd: RoundData) -> list[Page]:
    """Every page of the meeting pack, in order, without drawing anything."""
    if not rd.panel.subjects:
        raise InspectKitError(f"轮次 {rd.round} 没有检查组评分，无法生成会议材料")
    pages = [Page("cover", "封面")]
    subjects = rd.panel.subjects
    table_pages = math.ceil(len(subjects) / TABLE_ROWS)
    for i in range(table_pages):
        pages.append(
            Page(
                "table",
                "排名表",
                i,
                table_pages,
                rows=subjects[i * TABLE_ROWS : (i + 1) * TABLE_ROWS],
            )
        )
    pages += [Page("chart", KIND_NAMES[kind], chart=kind) for kind in REPORT_CHARTS]
    # rd.records are the round's counted sheets already (rater order): group them once.
    sheets: dict[str, list[dict]] = defaultdict(list)
    for doc in rd.records:
        if doc.get("role") != "self":
            sheets[doc["subject"]].append(doc)
    for subject in subjects:
        rows = deduction_rows(sheet_deductions(rd.form, sheets.get(subject.subject, [])))
        parts = paginate(rows)
        for i, part in enumerate(parts):
            pages.append(
                Page(
                    "subject",
                    subject.subject_name,
                    i,
                    len(parts),
                    rows=tuple(part),
                    subject=subject,
                )
            )
    return pages


PARALLEL_MIN_PAGES = 60
"""Below this many pages one process draws everything (starting another costs about a second)."""
MAX_WORKERS = 4


def _workers(pages: int, workers: int | None) -> int:
    if workers is None:
        if pages < PARALLEL_MIN_PAGES:
            return 1
        try:
            cpus = len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            cpus = os.cpu_count() or 1
        workers = min(cpus, MAX_WORKERS)
    return max(1, min(workers, pages))


WORKER_START_MS = 1200
"""A worker process's start (Python, matplotlib, unpickling the round), in drawing time."""
MERGE_MS = 500
"""Joining the parts, done by this process after its own pages."""


def _page_weight(page: Page) -> float:
    """Rough drawing time of a page in ms (measured on a 2-core laptop-class machine)."""
    if page.kind == "subject":
        lines = sum(row.height for row in page.rows)
        return 16 + (37 if page.part == 0 else 0) + 1.3 * (lines + len(page.rows))
    return {"cover": 50, "table": 100, "chart": 380}.get(page.kind, 100)


def _split(pages: Sequence[Page], parts: int) -> list[tuple[int, int]]:
    """Contiguous [start, end) ranges, in page order, that should finish at about one time.

    The first range is drawn here (already started; it joins the parts at the end), the others
    by worker processes that first have to start.
    """
    weights = [_page_weight(p) for p in pages]
    total = sum(weights)
    if parts <= 1:
        return [(0, len(pages))]
    own = max(0.0, (total + (parts - 1) * WORKER_START_MS - MERGE_MS) / parts)
    share = (total - own) / (parts - 1)
    targets = [own + k * share for k in range(parts - 1)]
    bounds, start, acc = [], 0, 0.0
    for index, weight in enumerate(weights):
        acc += weight
        if len(bounds) < parts - 1 and acc >= targets[len(bounds)]:
            bounds.append((start, index + 1))
            start = index + 1
    bounds.append((start, len(pages)))
    return [b for b in bounds if b[0] < b[1]]


def write_pages(
    rd: RoundData,
    pages: Sequence[Page],
    first: int,
    total: int,
    today: dt.date,
    path: str,
    progress: Callable[[int, str], None] | None = None,
) -> None:
    """Draw pages (numbered from `first` + 1 of `total`) into the PDF file at `path`."""
    try:
        with PdfPages(path, metadata=_metadata(rd)) as pdf:
            for offset, page in enumerate(pages):
                if progress:
                    progress(offset, page.title)
                pdf.savefig(_draw_page(rd, page, first + offset + 1, total, today))
    finally:
        _MEDIANS.clear()  # hold no round data after the pack


def _metadata(rd: RoundData) -> dict[str, str]:
    return {"Title": f"{rd.form.title} {rd.round} 会议材料", "Creator": "inspect-kit"}


def build_report(
    rd: RoundData,
    out: Path,
    *,
    progress: Progress | None = None,
    today: dt.date | None = None,
    workers: int | None = None,
) -> int:
    """Write the meeting pack to `out` (atomically); returns the number of pages.

    Long packs are drawn by several processes (one per core, `workers` to choose), each writing
    a contiguous run of pages to its own PDF; the runs are then joined in order with pypdf.
    """
    pages = plan_report(rd)
    today = today or dt.date.today()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.stem}.", suffix=".pdf")
    os.close(fd)
    total = len(pages)
    try:
        ranges = _split(pages, _workers(total, workers))
        if len(ranges) == 1:

            def step(done: int, what: str) -> None:
                if progress:
                    progress(done, total, what)

            write_pages(rd, pages, 0, total, today, tmp, step)
        else:
            _write_parallel(rd, pages, ranges, today, tmp, out, progress)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except OSError as exc:
        raise InspectKitError(f"无法写入 {out}：{exc.strerror or exc}") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    if progress:
        progress(total, total, "完成")
    return total


def _write_parallel(
    rd: RoundData,
    pages: Sequence[Page],
    ranges: list[tuple[int, int]],
    today: dt.date,
    tmp: str,
    out: Path,
    progress: Progress | None,
) -> None:
    """This process draws the first run while worker processes draw the others.

    A worker that fails (or cannot start) costs time, not the pack: its pages are then drawn
    here.
    """
    import pickle
    import subprocess
    import sys

    from pypdf import PdfWriter

    total = len(pages)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.stem}.") as parts_dir:
        paths = [str(Path(parts_dir) / f"part-{i}.pdf") for i in range(len(ranges))]
        workers: list[tuple[subprocess.Popen | None, int]] = []
        for index, (a, b) in enumerate(ranges[1:], 1):
            job = Path(parts_dir) / f"job-{index}.pickle"
            job.write_bytes(pickle.dumps((rd, pages[a:b], a, total, today, paths[index])))
            try:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "inspect_kit.pack.worker", str(job)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            except OSError:
                proc = None
            workers.append((proc, index))
        a, b = ranges[0]
        share = total / (b - a)

        def step(done: int, what: str) -> None:  # the workers advance at about our pace
            if progress:
                progress(min(total - 1, int(done * share)), total, what)

        try:
            write_pages(rd, pages[a:b], a, total, today, paths[0], step)
        finally:
            failed = []
            for proc, index in workers:
                if proc is None or proc.wait() != 0 or not Path(paths[index]).is_file():
                    failed.append(index)
        for index in failed:  # draw a failed worker's pages here
            a, b = ranges[index]
            write_pages(rd, pages[a:b], a, total, today, paths[index])
        if progress:
            progress(total - 1, total, "合并")
        writer = PdfWriter()
        for path in paths:
            writer.append(path)
        writer.add_metadata({"/Title": _metadata(rd)["Title"], "/Creator": "inspect-kit"})
        with open(tmp, "wb") as handle:
            writer.write(handle)


# ---------------------------------------------------------------- drawing the pages


def _draw_page(rd: RoundData, page: Page, number: int, total: int, today: dt.date) -> Figure:
    if page.kind == "chart":
        fig = _chart_page(rd, page.chart)
    else:
        fig = Figure(figsize=A4_LANDSCAPE)
        new_figure()  # registers the font
        {"cover": _cover, "table": _table, "subject": _subject}[page.kind](fig, rd, page, today)
    fig.text(
        0.985,
        0.012,
        f"{rd.form.title} · {rd.round} · 第 {number}/{total} 页",
        ha="right",
        va="bottom",
        fontsize=8,
        color=GREY,
    )
    return fig


def _chart_page(rd: RoundData, kind: str) -> Figure:
    import importlib

    module = importlib.import_module(f"inspect_kit.charts.{kind}")
    data = chart_data(kind, rd)
    size = A4_LANDSCAPE
    if hasattr(module, "size_for"):
        rows = len(data.rows) if kind == "ranking" else len(data.items)
        size = module.size_for(rows, A4_LANDSCAPE)
    fig = module.draw(data, size=size)
    fig.get_layout_engine().set(rect=(0, 0.035, 1, 0.965))  # room for the page footer
    return fig


def _cover(fig: Figure, rd: RoundData, page: Page, today: dt.date) -> None:
    panel, form = rd.panel, rd.form
    fig.text(
        0.5,
        0.80,
        "\n".join(wrap(form.title, 44, 2)),
        ha="center",
        va="center",
        fontsize=26,
        linespacing=1.4,
    )
    fig.text(0.5, 0.66, f"{rd.round} 年度评审会议材料", ha="center", fontsize=20, color=DARK)
    selfs = sum(len(s.self_assessments) for s in panel.subjects) + len(panel.self_only)
    lines = [
        ("表单", f"{form.form}（第 {form.version} 版）"),
        ("轮次", rd.round),
        ("参评对象", f"{len(panel.subjects)} 个"),
        (
            "检查组评分表",
            f"{panel.sheets} 张" + (f"（另有自评 {selfs} 张，不计入）" if selfs else ""),
        ),
        ("评委", f"{len(panel.raters)} 人：" + truncate("、".join(panel.raters), 60)),
        ("计分规则", _rule(rd)),
        ("生成日期", today.isoformat()),
    ]
    y = 0.54
    for key, value in lines:
        fig.text(0.25, y, key, ha="right", fontsize=13, color="#616161")
        for line in wrap(value, 76, 2):
            fig.text(0.27, y, line, ha="left", fontsize=13)
            y -= 0.04
        y -= 0.012
    counts: dict[str, int] = {g.grade: 0 for g in form.grades}
    for s in panel.subjects:
        counts[s.grade] = counts.get(s.grade, 0) + 1
    colors = grade_colors(len(form.grades))
    x = 0.27
    fig.text(0.25, y - 0.01, "等次", ha="right", fontsize=13, color="#616161")
    for grade, count in counts.items():
        color = colors[grade_index(form, grade)]
        text = fig.text(
            x,
            y - 0.01,
            f"{grade} {count} 个",
            fontsize=13,
            color="white",
            bbox={"boxstyle": "round,pad=0.35", "fc": color, "ec": color},
        )
        x += 0.03 + 0.0125 * len(text.get_text())


def _rule(rd: RoundData) -> str:
    rule = rd.form.panel
    text = METHOD_NAMES.get(rule.method, rule.method)
    if rule.method == "trimmed-mean":
        text = f"去掉 {rule.trim} 个最高分和最低分后平均（不足 {rule.min_raters} 人时算术平均）"
    veto = "任一评委提出即一票否决" if rule.veto == "any" else "过半数评委提出才一票否决"
    return f"{text}；加分同样汇总后另加；分差超过 {rule.max_spread:g} 分标记 ⚠；{veto}"


TABLE_COLUMNS = (  # (header, x, align, width in display columns)
    ("名次", 0.045, "right", 4),
    ("对象", 0.06, "left", 30),
    ("人数", 0.33, "right", 4),
    ("各评委总分（括号内为去掉的分数）", 0.35, "left", 40),
    ("小组得分", 0.70, "right", 24),
    ("等次", 0.72, "left", 10),
    ("分差", 0.83, "right", 8),
    ("否决（提出人）", 0.85, "left", 16),
)


def _table(fig: Figure, rd: RoundData, page: Page, today: dt.date) -> None:
    cont = f"（续 {page.part + 1}/{page.parts}）" if page.part else ""
    fig.text(0.04, 0.94, f"排名表{cont}", fontsize=18, va="top")
    info = f"{truncate(rd.form.title, 60)} · 轮次 {rd.round} · {_rule(rd)}"
    fig.text(
        0.04,
        0.895,
        "\n".join(wrap(info, 150, 2)),
        fontsize=9.5,
        va="top",
        color="#616161",
        linespacing=1.4,
    )
    top, step = 0.83, 0.041
    for header, x, align, _ in TABLE_COLUMNS:
        fig.text(x, top, header, ha=align, fontsize=10.5, color="#616161")
    fig.add_artist(_hline(fig, top - 0.012))
    colors = grade_colors(len(rd.form.grades))
    for i, s in enumerate(page.rows):
        y = top - step * (i + 1)
        if i % 2 == 0:
            fig.patches.append(_band(fig, y - 0.012, step))
        score = f"{s.total:g} + {s.bonus:g} = {s.final:g}" if s.bonus else f"{s.final:g}"
        vetoes = "、".join(dict.fromkeys(r for v in s.vetoes if v.applies for r in v.raters))
        cells = [
            str(s.rank),
            s.subject_name,
            str(s.rater_count),
            rater_totals_text(s),
            score,
            s.grade,
            f"{s.spread:g}" + (" ⚠" if s.spread_flag else ""),
            f"✗ {vetoes}" if vetoes else "",
        ]
        for (_, x, align, width), cell in zip(TABLE_COLUMNS, cells, strict=True):
            color = DARK
            if cell == s.grade:
                color = colors[grade_index(rd.form, s.grade)]
            elif cell.startswith("✗") or cell.endswith("⚠"):
                color = RED
            fig.text(x, y, truncate(cell, width), ha=align, fontsize=10.5, color=color)


def _hline(fig: Figure, y: float):
    from matplotlib.lines import Line2D

    return Line2D([0.04, 0.97], [y, y], transform=fig.transFigure, color=GREY, lw=0.8)


def _band(fig: Figure, y: float, height: float):
    from matplotlib.patches import Rectangle

    return Rectangle(
        (0.035, y), 0.94, height, transform=fig.transFigure, color="#f5f5f5", zorder=-1
    )


def _subject(fig: Figure, rd: RoundData, page: Page, today: dt.date) -> None:
    s = page.subject
    assert s is not None
    cont = f"（续 {page.part + 1}/{page.parts}）" if page.part else ""
    fig.text(
        0.04, 0.955, f"第 {s.rank} 名  {truncate(s.subject_name, 44)}{cont}", fontsize=17, va="top"
    )
    score = f"{s.total:g} + 加分 {s.bonus:g} = {s.final:g}" if s.bonus else f"{s.final:g}"
    color = grade_colors(len(rd.form.grades))[grade_index(rd.form, s.grade)]
    fig.text(
        0.04,
        0.905,
        f"{s.subject} · 小组得分 {score} · 共 {len(rd.panel.subjects)} 个对象",
        fontsize=11.5,
        va="top",
    )
    fig.text(
        0.97,
        0.955,
        s.grade + (" ✗ 一票否决" if s.vetoed else ""),
        fontsize=17,
        va="top",
        ha="right",
        color="white",
        bbox={"boxstyle": "round,pad=0.3", "fc": color, "ec": color},
    )
    y = 0.86
    if page.part == 0:
        _profile(fig, rd, s)
        lines = [
            f"评委 {s.rater_count} 人（{METHOD_NAMES.get(s.method, s.method)}）："
            f"{rater_totals_text(s)}",
            f"分差 {s.spread:g}，标准差 {s.sd:g}" + ("  ⚠ 分差过大" if s.spread_flag else ""),
        ]
        for sheet in s.sheets:
            bonus = f" + {sheet.bonus:g}" if sheet.bonus else ""
            lines.append(
                f"  {truncate(sheet.rater, 12)}：{sheet.total:g}{bonus}  {sheet.grade}"
                + ("（去掉）" if sheet.rater in s.dropped else "")
            )
        for sheet in s.self_assessments:
            lines.append(f"  自评（不计入）：{sheet.final:g}  {sheet.grade}")
        for v in s.vetoes:
            who = "；".join(r.rater + (f"：{r.note}" if r.note else "") for r in v.raised_by)
            mark = "✗ 一票否决" if v.applies else "否决未过半（不生效）"
            lines.append(f"{mark}：{v.text}（{who}）")
        if s.grade_reason and not s.vetoed:
            lines.append(f"说明：{s.grade_reason}")
        wrapped = [w for line in lines for w in wrap(line, 62)]
        for line in wrapped[:16]:
            color = RED if line.startswith(("✗", "说明")) or "⚠" in line else DARK
            fig.text(0.52, y, line, fontsize=10, va="top", color=color)
            y -= 0.027
        y = 0.44
    _deductions(fig, page, y)


PROFILE_TICKS = (0, 20, 40, 60, 80, 100)


def _profile(fig: Figure, rd: RoundData, s: SubjectPanel) -> None:
    """Section ratios as bars against the round's median (a tick on each bar).

    Drawn on an axes without its axis machinery (spines, ticks and labels are placed directly,
    where matplotlib's default axes would put them): the axis layout is the same on every
    subject page, and working it out each time was a large part of a page's drawing time.
    """
    from matplotlib.lines import Line2D
    from matplotlib.markers import TICKDOWN, TICKLEFT
    from matplotlib.transforms import offset_copy

    medians = _median_profile(rd)
    ax = fig.add_axes((0.17, 0.50, 0.29, 0.31))
    ax.set_axis_off()
    sections = [x for x in s.sections if x.id in medians]
    ys = list(range(len(sections), 0, -1))
    ax.barh(
        ys, [x.ratio * 100 for x in sections], color=BLUE, alpha=0.75, height=0.6, label="本对象"
    )
    ax.scatter(
        [medians[x.id] * 100 for x in sections],
        ys,
        marker="|",
        s=260,
        lw=2.5,
        color=DARK,
        zorder=3,
        label="本轮中位数",
    )
    for y, x in zip(ys, sections, strict=True):
        ax.text(101, y, f"{x.ratio * 100:.0f}%", va="center", fontsize=8.5)
    ax.set_xlim(0, 100)
    if sections:  # the limits autoscaling gives bars of height 0.6 (5% margins)
        low, high = 0.7, len(sections) + 0.3
        margin = 0.05 * (high - low)
        ax.set_ylim(low - margin, high + margin)
    # Spines (left, bottom), tick marks and tick labels as the default axes draws them.
    edge = {"color": "black", "lw": 0.8, "clip_on": False, "transform": ax.transAxes}
    ax.add_line(Line2D([0, 0], [0, 1], **edge))
    ax.add_line(Line2D([0, 1], [0, 0], **edge))
    ticks = {"ls": "none", "color": "black", "markersize": 3.5, "mew": 0.8, "clip_on": False}
    x_axis, y_axis = ax.get_xaxis_transform(), ax.get_yaxis_transform()
    ax.add_line(Line2D(PROFILE_TICKS, [0] * 6, marker=TICKDOWN, transform=x_axis, **ticks))
    ax.add_line(Line2D([0] * len(ys), ys, marker=TICKLEFT, transform=y_axis, **ticks))
    below = offset_copy(x_axis, fig=fig, y=-7, units="points")
    for x in PROFILE_TICKS:
        ax.text(x, 0, str(x), transform=below, ha="center", va="top", fontsize=8.5)
    left = offset_copy(y_axis, fig=fig, x=-7, units="points")
    for y, x in zip(ys, sections, strict=True):
        ax.text(0, y, truncate(x.title, 20), transform=left, ha="right", va="center", fontsize=9)
    above = offset_copy(ax.transAxes, fig=fig, y=6, units="points")
    ax.text(0, 1, "各部分得分率（竖线：本轮中位数）", transform=above, fontsize=10.5, va="baseline")


_MEDIANS: dict[int, tuple[RoundData, dict[str, float]]] = {}


def _median_profile(rd: RoundData) -> dict[str, float]:
    """median_profile of the round, worked out once per pack rather than once per page."""
    held = _MEDIANS.get(id(rd))
    if held is None or held[0] is not rd:
        _MEDIANS.clear()
        held = _MEDIANS[id(rd)] = (rd, median_profile(rd.panel))
    return held[1]


def _deductions(fig: Figure, page: Page, y: float) -> None:
    rows: tuple[DeductionRow, ...] = page.rows
    columns = (
        (0.04, "扣分项目"),
        (0.37, "评委"),
        (0.45, "情况"),
        (0.60, "扣分"),
        (0.64, "扣分理由"),
    )
    count = sum(1 for _ in rows)
    title = "扣分明细" + (f"（{count} 条）" if page.part == 0 else "（续）")
    if not rows:
        fig.text(0.04, y, "扣分明细：各评委均未扣分。", fontsize=11, va="top")
        return
    fig.text(0.04, y, title, fontsize=12, va="top")
    y -= 0.035
    for x, header in columns:
        fig.text(x, y, header, fontsize=9, va="top", color="#616161")
    y -= LINE
    fig.add_artist(_hline(fig, y + 0.004))
    y -= 0.004
    previous = None
    for row in rows:
        d = row.deduction
        same_item = d.item == previous
        previous = d.item
        for i, line in enumerate(() if same_item else row.item_lines):
            fig.text(0.04, y - i * LINE, line, fontsize=9, va="top")
        fig.text(0.37, y, truncate(d.rater, COL_RATER), fontsize=9, va="top")
        fig.text(0.45, y, truncate(d.value, COL_VALUE), fontsize=9, va="top")
        fig.text(0.615, y, f"−{d.lost:g}", fontsize=9, va="top", ha="right", color=RED)
        for i, line in enumerate(row.note_lines):
            fig.text(0.64, y - i * LINE, line, fontsize=9, va="top", color=DARK if d.note else RED)
        y -= LINE * row.height
