"""The meeting pack: one A4 PDF for a form's round, typeset by typst (`engine`).

Contents, in order (`typst/pack.typ`): cover (organiser, meeting date, round, inspection
period, 讨论稿/定稿), contents, method page, ranking table, distribution charts, the most frequent
deduction reasons, comparison with the previous round, counts by district and level, one
section per subject (a PDF bookmark each), voided and amended sheets, and the decision page.

matplotlib draws only the score charts, as SVG (vector); typst lays out everything else. The
charts are drawn by a worker process while this one prepares the data when that is faster
(long packs on more than one core), else here.
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
from inspect_kit.pack.engine import typeset, write_pdf
from inspect_kit.pack.pack_data import PackOptions, pack_data

Progress = Callable[[int, int, str], None]
REPORT_CHARTS = ("hist", "sections", "ranking", "items", "raters")
"""Chart pages, in order."""
RANKING_CHART_MAX = 50
"""Up to this many subjects the pack has the ranking chart (two pages); beyond, the ranking
table says the same and the chart's pages would cost more than the rest of the pack."""
STEPS = 3


def report_charts(view: PanelView) -> list[str]:
    kinds = list(REPORT_CHARTS)
    if len(view.panel.subjects) > RANKING_CHART_MAX:
        kinds.remove("ranking")
    return kinds


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


def chart_svgs(
    view: PanelView, kinds: Sequence[str], *, fork: bool | None = None
) -> dict[str, list[str]]:
    """The charts' SVG pages. With a second core and no other thread running (the CLI), a
    forked copy of this process draws half of them meanwhile (fork: matplotlib and the view are
    already loaded, nothing is pickled); a worker that fails costs time, never a chart."""
    import json
    import threading

    if fork is None:
        fork = (
            hasattr(os, "fork")
            and len(kinds) > 1
            and threading.active_count() == 1
            and len(os.sched_getaffinity(0)) > 1
        )
    with tempfile.TemporaryDirectory(prefix="inspect-kit-charts-") as tmp:
        folder = Path(tmp)
        if not fork:
            return _draw(view, kinds, folder)
        import inspect_kit.charts.render  # noqa: F401  (imported once, before the fork)

        theirs, mine = list(kinds[1::2]), list(kinds[0::2])
        result = folder / "child.json"
        pid = os.fork()
        if pid == 0:  # the child: draw, write, leave without running the parent's cleanup
            code = 1
            try:
                drawn = _draw(view, theirs, folder)
                result.write_text(json.dumps(drawn), encoding="utf-8")
                code = 0
            finally:
                os._exit(code)
        out = _draw(view, mine, folder)
        _, status = os.waitpid(pid, 0)
        if status == 0 and result.is_file():
            out.update(json.loads(result.read_text(encoding="utf-8")))
        else:
            out.update(_draw(view, theirs, folder))
        return {kind: out[kind] for kind in kinds}


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
) -> bytes:
    """The pack's PDF bytes."""
    if not view.panel.subjects:
        raise InspectKitError(f"轮次 {view.round} 没有检查组评分，无法生成会议材料")

    def step(done: int, what: str) -> None:
        if progress:
            progress(done, STEPS, what)

    kinds = report_charts(view)
    step(0, "图表")
    svgs = chart_svgs(view, kinds)
    step(1, "整理数据")
    data = pack_data(
        view,
        options or PackOptions(),
        previous=previous,
        roster=roster,
        revisions=revisions,
        charts=[
            (
                KIND_NAMES[k] + (f"（{i + 1}/{len(pages)}）" if len(pages) > 1 else ""),
                f"chart-{k}-{i}",
            )
            for k, pages in svgs.items()
            for i in range(len(pages))
        ],
        today=today,
    )
    data["rectify"] = [dict(r) for r in rectify]  # the 整改 summary (typst/rectify_section.typ)
    step(2, "排版")
    files = {f"chart-{k}-{i}": svg for k, pages in svgs.items() for i, svg in enumerate(pages)}
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
