"""The meeting pack: one PDF (A4 landscape) for a form's round, drawn by one or more processes.

Pages, in order (`plan.plan_report`): a cover; the ranking table (continued over pages when
long); the distribution charts (hist, sections, ranking, items, raters); then one page per
subject (section profile against the round's median, raters' totals, vetoes with who raised
them, every deduction with its note), continued on further pages only when its deductions do
not fit. `pages` and `subject_page` draw them; this module writes them to the PDF and reports
progress through a callback so the TUI can run it in a worker.

Long packs are drawn by several processes: each worker (`pack.worker`) unpickles the same
`PanelView`, figures included, so every part shows the numbers this process shows.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from inspect_kit.base.errors import InspectKitError
from inspect_kit.charts.style import A4_LANDSCAPE, GREY, new_figure
from inspect_kit.domain.panel_view import PanelView
from inspect_kit.pack.pages import draw_chart_page, draw_cover, draw_table
from inspect_kit.pack.plan import Page, plan_report
from inspect_kit.pack.subject_page import draw_subject

Progress = Callable[[int, int, str], None]
DRAWERS = {"cover": draw_cover, "table": draw_table, "subject": draw_subject}
"""Page kind -> what draws it on a blank A4 figure (chart pages draw their own figure)."""


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
    bounds: list[tuple[int, int]] = []
    start, acc = 0, 0.0
    for index, weight in enumerate(weights):
        acc += weight
        if len(bounds) < parts - 1 and acc >= targets[len(bounds)]:
            bounds.append((start, index + 1))
            start = index + 1
    bounds.append((start, len(pages)))
    return [b for b in bounds if b[0] < b[1]]


def write_pages(
    view: PanelView,
    pages: Sequence[Page],
    first: int,
    total: int,
    today: dt.date,
    path: str,
    progress: Callable[[int, str], None] | None = None,
) -> None:
    """Draw pages (numbered from `first` + 1 of `total`) into the PDF file at `path`."""
    with PdfPages(path, metadata=_metadata(view)) as pdf:
        for offset, page in enumerate(pages):
            if progress:
                progress(offset, page.title)
            pdf.savefig(draw_page(view, page, first + offset + 1, total, today))


def _metadata(view: PanelView) -> dict[str, str]:
    return {"Title": f"{view.form.title} {view.round} 会议材料", "Creator": "inspect-kit"}


def build_report(
    view: PanelView,
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
    pages = plan_report(view)
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

            write_pages(view, pages, 0, total, today, tmp, step)
        else:
            _write_parallel(view, pages, ranges, today, tmp, out, progress)
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
    view: PanelView,
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
        workers: list[tuple[subprocess.Popen[bytes] | None, int]] = []
        for index, (a, b) in enumerate(ranges[1:], 1):
            job = Path(parts_dir) / f"job-{index}.pickle"
            job.write_bytes(pickle.dumps((view, pages[a:b], a, total, today, paths[index])))
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
            write_pages(view, pages[a:b], a, total, today, paths[0], step)
        finally:
            failed = []
            for proc, index in workers:
                if proc is None or proc.wait() != 0 or not Path(paths[index]).is_file():
                    failed.append(index)
        for index in failed:  # draw a failed worker's pages here
            a, b = ranges[index]
            write_pages(view, pages[a:b], a, total, today, paths[index])
        if progress:
            progress(total - 1, total, "合并")
        writer = PdfWriter()
        for path in paths:
            writer.append(path)
        writer.add_metadata({"/Title": _metadata(view)["Title"], "/Creator": "inspect-kit"})
        with open(tmp, "wb") as handle:
            writer.write(handle)


def draw_page(view: PanelView, page: Page, number: int, total: int, today: dt.date) -> Figure:
    """One planned page as a figure, with the footer `title · round · 第 n/N 页`."""
    if page.kind == "chart":
        fig = draw_chart_page(view, page.chart)
    else:
        fig = Figure(figsize=A4_LANDSCAPE)
        new_figure()  # registers the font
        DRAWERS[page.kind](fig, view, page, today)
    fig.text(
        0.985,
        0.012,
        f"{view.form.title} · {view.round} · 第 {number}/{total} 页",
        ha="right",
        va="bottom",
        fontsize=8,
        color=GREY,
    )
    return fig
