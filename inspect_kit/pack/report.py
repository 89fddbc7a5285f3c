"""The meeting pack: one A4 PDF for a form's round, typeset by typst (`engine`).

Contents, in order (`typst/pack.typ`): cover (organiser, meeting date, round, inspection
period, 讨论稿/定稿), contents, method page, ranking table, distribution charts, the most frequent
deduction reasons, comparison with the previous round, counts by district and level, one
section per subject (a PDF bookmark each), voided and amended sheets, and the decision page.

matplotlib draws the score charts (hist, sections, raters) as SVG (vector); typst lays out
everything else, the ranking chart (`ranking_chart`: every subject, ~25 rows a page) and the
items chart (`items_chart`) included. A forked copy of this process draws the charts while
this one reads and prepares the data, when that is faster (more than one core, no other
thread), else they are drawn here (`ChartJob`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from inspect_kit.base.errors import InspectKitError
from inspect_kit.charts import KIND_NAMES
from inspect_kit.domain.panel_view import PanelView
from inspect_kit.pack.engine import typeset, warm_up, warmed, write_pdf
from inspect_kit.pack.items_chart import items_chart
from inspect_kit.pack.pack_data import PackOptions, pack_data
from inspect_kit.pack.ranking_chart import ranking_chart

Progress = Callable[[int, int, str], None]
REPORT_CHARTS = ("hist", "sections", "ranking", "items", "raters")
"""Chart pages, in order."""
NATIVE_CHARTS = ("ranking", "items")
"""Drawn by typst from the chart data (`ranking_chart`, `items_chart`), not by matplotlib."""
STEPS = 3


def report_charts(view: PanelView) -> list[str]:
    """The chart kinds matplotlib draws for the pack, in page order."""
    return [k for k in REPORT_CHARTS if k not in NATIVE_CHARTS]


def _draw(view: PanelView, kinds: Sequence[str], folder: Path) -> dict[str, list[str]]:
    """Chart kind -> its pages as SVG text (vector, text kept as text), drawn and written by
    the chart modules (a long ranking is one page per ~25 subjects)."""
    from inspect_kit.charts.render import figures, save

    out: dict[str, list[str]] = {}
    for kind in kinds:
        out[kind] = []
        for index, fig in enumerate(figures(kind, view)):
            path = save(fig, folder / f"{kind}-{index}.svg", "svg")
            out[kind].append(path.read_text(encoding="utf-8"))
    return out


class ChartJob:
    """The charts' SVG pages, being drawn. With a second core and no other thread running (the
    CLI), a forked copy of this process starts on them at once, before matplotlib is imported
    here: the copy takes the kinds in page order while this process prepares the pack's data.
    `result()` helps from the end only while two or more kinds are unclaimed (a small pack):
    drawing here first costs matplotlib's import (~1 s of CPU), which pays only when the worker
    is far behind. Each kind is claimed by creating its claim file, so none is drawn twice; a
    worker that fails costs time, never a chart (what it did not deliver is drawn here)."""

    def __init__(self, view: PanelView, kinds: Sequence[str], *, fork: bool | None = None):
        import threading

        warmed()  # the fonts' thread (engine.warm_up) is done before any fork
        if fork is None:
            fork = (
                hasattr(os, "fork")
                and len(kinds) > 1
                and threading.active_count() == 1
                and len(os.sched_getaffinity(0)) > 1
            )
        self.view, self.kinds = view, list(kinds)
        self._tmp = tempfile.TemporaryDirectory(prefix="inspect-kit-charts-")
        self.folder = Path(self._tmp.name)
        self.pid = os.fork() if fork else 0
        if fork and self.pid == 0:  # the child: draw, write, leave without the parent's cleanup
            code = 1
            try:
                self._take(self.kinds)
                code = 0
            finally:
                os._exit(code)

    def _claim(self, kind: str) -> bool:
        try:
            os.close(os.open(self.folder / f"{kind}.claim", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        return True

    def _unclaimed(self) -> int:
        return sum(not (self.folder / f"{kind}.claim").exists() for kind in self.kinds)

    def _take(self, kinds: Sequence[str]) -> None:
        """Draw each kind no one has claimed yet; its pages go to `<kind>.json` when done."""
        import json

        for kind in kinds:
            if self._claim(kind):
                pages = _draw(self.view, [kind], self.folder)[kind]
                done = self.folder / f"{kind}.json"
                done.with_suffix(".part").write_text(json.dumps(pages), encoding="utf-8")
                done.with_suffix(".part").replace(done)  # whole or absent

    def close(self) -> None:
        """Wait for the worker and remove the drawings (also when the pack failed first)."""
        if self.pid:
            os.waitpid(self.pid, 0)
            self.pid = 0
        self._tmp.cleanup()

    def result(self) -> dict[str, list[str]]:
        import json

        try:
            if not self.pid or self._unclaimed() >= 2:
                self._take(self.kinds[::-1])
            if self.pid:
                os.waitpid(self.pid, 0)
                self.pid = 0
            out = {}
            for kind in self.kinds:
                done = self.folder / f"{kind}.json"
                if done.is_file():
                    out[kind] = json.loads(done.read_text(encoding="utf-8"))
                else:  # claimed by a worker that failed
                    out.update(_draw(self.view, [kind], self.folder))
            return out
        finally:
            self.close()


def start_charts(view: PanelView) -> ChartJob:
    """The pack's matplotlib charts, set going (one page per kind)."""
    return ChartJob(view, report_charts(view))


def chart_svgs(
    view: PanelView, kinds: Sequence[str], *, fork: bool | None = None
) -> dict[str, list[str]]:
    """The charts' SVG pages (`ChartJob`, waited for)."""
    return ChartJob(view, kinds, fork=fork).result()


def render_pack(
    view: PanelView,
    options: PackOptions | None = None,
    *,
    previous: PanelView | None = None,
    roster: Mapping[str, Any] | None = None,
    revisions: Sequence[Mapping[str, Any]] = (),
    progress: Progress | None = None,
    today: dt.date | None = None,
    rectify: Sequence[Mapping[str, Any]] = (),
    chart_job: ChartJob | None = None,
) -> bytes:
    """The pack's PDF bytes. `chart_job`: the charts, started by the caller (`start_charts`)
    before it read the other inputs; by default started here."""
    if not view.panel.subjects:
        raise InspectKitError(f"轮次 {view.round} 没有检查组评分，无法生成会议材料")

    def step(done: int, what: str) -> None:
        if progress:
            progress(done, STEPS, what)

    step(0, "图表")
    job = chart_job or start_charts(view)
    kinds = job.kinds
    warm_up()  # the fonts load while the data is prepared (if the command did not start it)
    rank = ranking_chart(view)
    charts: list[tuple[str, str]] = []
    for kind in REPORT_CHARTS:
        names = [f"ranking-{i}" for i in range(len(rank["pages"]))] if kind == "ranking" else []
        names = ["items-native"] if kind == "items" else names
        names = names or ([f"chart-{kind}-0"] if kind in kinds else [])
        for i, name in enumerate(names):
            part = f"（{i + 1}/{len(names)}）" if len(names) > 1 else ""
            charts.append((KIND_NAMES[kind] + part, name))
    step(1, "整理数据")
    data = pack_data(
        view,
        options or PackOptions(),
        previous=previous,
        roster=roster,
        revisions=revisions,
        charts=charts,
        ranking_chart=rank,
        today=today,
    )
    data["items_chart"] = items_chart(view)
    data["rectify"] = [dict(r) for r in rectify]  # the 整改 summary (typst/rectify_section.typ)
    svgs = job.result()
    step(2, "排版")
    files = {f"chart-{k}-{i}": svg for k, pages in svgs.items() for i, svg in enumerate(pages)}
    missing = [name for _, name in charts if name.startswith("chart-") and name not in files]
    assert not missing, missing  # every kind matplotlib draws is one page
    return typeset("pack", data, files)


def build_report(
    view: PanelView,
    out: Path,
    options: PackOptions | None = None,
    *,
    previous: PanelView | None = None,
    roster: Mapping[str, Any] | None = None,
    revisions: Sequence[Mapping[str, Any]] = (),
    progress: Progress | None = None,
    today: dt.date | None = None,
    rectify: Sequence[Mapping[str, Any]] = (),
    chart_job: ChartJob | None = None,
) -> int:
    """Write the meeting pack to `out` (atomically); returns the number of pages."""
    pdf = render_pack(
        view,
        options,
        previous=previous,
        roster=roster,
        revisions=revisions,
        progress=progress,
        today=today,
        rectify=rectify,
        chart_job=chart_job,
    )
    write_pdf(out, pdf)
    if progress:
        progress(STEPS, STEPS, "完成")
    return pdf_pages(pdf)


PAGE_OBJECT = re.compile(rb"/Type\s*/Page\b")


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF typst wrote: its page objects, which typst never compresses into object
    streams (reading the file with pypdf took 2 s for 580 pages; tests compare the two)."""
    return len(PAGE_OBJECT.findall(pdf))
