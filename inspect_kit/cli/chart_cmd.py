"""`inspect-kit chart` (PNG/SVG/PDF charts) and `inspect-kit report` (the meeting-pack PDF).

matplotlib is imported inside the command bodies only, so `inspect-kit --help` stays light.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from inspect_kit.cli import Kit, pass_kit

if TYPE_CHECKING:
    from inspect_kit.charts.chart_types import Drawing
    from inspect_kit.domain.panel_view import Detail

KIND_CHOICES = ("hist", "sections", "ranking", "radar", "items", "raters", "all")


@click.command()
@click.argument("form_id", metavar="FORM")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    required=True,
    type=click.Choice(KIND_CHOICES),
    help="Chart kind; repeat for several, or `all`. radar draws one subject's profile.",
)
@click.option("--round", "round_", help="Round (default: the newest round with sheets).")
@click.option(
    "--subject",
    "subjects",
    multiple=True,
    help="Subject id for radar; repeatable. Without it radar draws every subject.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default <workspace>/results/charts/).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["png", "svg", "pdf"]),
    default="png",
    show_default=True,
    help="Image format.",
)
@pass_kit
def chart(
    kit: Kit,
    form_id: str,
    kinds: tuple[str, ...],
    round_: str | None,
    subjects: tuple[str, ...],
    out_dir: Path | None,
    fmt: str,
) -> None:
    """图表 / charts: hist, sections, ranking, radar, items, raters; prints the files written."""
    from inspect_kit.base.forked import Forked
    from inspect_kit.charts import KINDS

    wanted = list(KINDS) if "all" in kinds else list(dict.fromkeys(kinds))

    def read() -> list[Drawing]:
        from inspect_kit.charts.data import drawings, radar_data

        # Charts draw the view's figures only: the figures cache, not whole sheets, is read;
        # the rounds' calibration only for the one chart that draws it, each item's points
        # only for the one that draws items by loss.
        detail: Detail = "items" if "items" in wanted else "summary"
        view = kit.panels.panel(
            form_id, round_, figures_only=True, history="raters" in wanted, detail=detail
        )
        for subject in subjects:  # an unknown one is said before anything is drawn
            if view.panel.subject(subject) is None:
                radar_data(view, subject)  # raises the one-line "no such subject" message
        return drawings(view, wanted, subjects)

    # On two cores a copy of this process reads the store while matplotlib is imported here.
    with Forked(read) as reading:
        from inspect_kit.charts.render import write_drawings

        prepared = reading.result()
    out = out_dir or kit.workspace.results_dir / "charts"
    for path in write_drawings(prepared, out, fmt):
        click.echo(str(path))


@click.command()
@click.argument("form_id", metavar="FORM")
@click.option("--round", "round_", help="Round (default: the newest round with sheets).")
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="PDF file (default <workspace>/results/<form>-<round>-会议材料.pdf).",
)
@click.option("--organizer", help="组织单位 on the cover (default: `config organizer`).")
@click.option(
    "--meeting-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="会议日期 YYYY-MM-DD (default: today).",
)
@click.option(
    "--period", help="检查时间, e.g. 2026-09-01 至 2026-10-15 (default: the sheets' dates)."
)
@click.option("--final/--draft", default=False, help="定稿 or 讨论稿 (default: --draft).")
@pass_kit
def report(
    kit: Kit,
    form_id: str,
    round_: str | None,
    out_path: Path | None,
    organizer: str | None,
    meeting_date,
    period: str | None,
    final: bool,
) -> None:
    """会议材料 / the meeting pack (A4 PDF): cover, method, ranking, charts, every subject."""
    from inspect_kit.base.errors import InspectKitError
    from inspect_kit.pack.engine import warm_up
    from inspect_kit.pack.pack_data import PackOptions
    from inspect_kit.pack.report import build_report, start_charts
    from inspect_kit.services.pack_inputs import pack_inputs

    warm_up()  # typst loads its fonts while the store is read
    view = kit.panels.panel(form_id, round_)
    if out_path is None:
        out_path = kit.workspace.results_dir / f"{view.form.form}-{view.round}-会议材料.pdf"
    elif out_path.suffix.lower() != ".pdf":
        raise InspectKitError(f"会议材料是 PDF 文件，请用 .pdf 结尾：{out_path}")
    options = PackOptions(
        organizer=kit.settings.organizer if organizer is None else organizer,
        meeting_date=meeting_date.date() if meeting_date else None,
        period=period or "",
        final=final,
    )
    live = sys.stderr.isatty()

    def progress(done: int, total: int, what: str) -> None:
        if live:
            click.echo(f"\r  {done}/{total} {what}".ljust(48), nl=False, err=True)

    charts = start_charts(view)  # a worker draws them while the other inputs are read
    try:
        inputs = pack_inputs(kit.panels, view)
        pages = build_report(
            view, out_path, options, progress=progress, chart_job=charts, **inputs.as_kwargs()
        )
    finally:
        charts.close()
    if live:
        click.echo("", err=True)
    click.echo(f"已生成会议材料（{pages} 页）：{out_path}")
