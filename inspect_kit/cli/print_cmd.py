"""`inspect-kit results print UUID` (one sheet's 检查记录表) and `inspect-kit forms print FORM`
(the blank paper form), both A4 PDFs typeset by `inspect_kit.pack`."""

from __future__ import annotations

from pathlib import Path

import click

from inspect_kit.cli import Kit, pass_kit

OUT = click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="PDF file (default under <workspace>/results/prints/).",
)


def _checked(out: Path) -> Path:
    from inspect_kit.base.errors import InspectKitError

    if out.suffix.lower() != ".pdf":
        raise InspectKitError(f"请用 .pdf 结尾：{out}")
    return out


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


@click.command("print")
@click.argument("sheet_uuid")
@OUT
@pass_kit
def print_sheet(kit: Kit, sheet_uuid: str, out_path: Path | None) -> None:
    """打印记录表 / one sheet as an A4 inspection record PDF (items, points, reasons, signing)."""
    from inspect_kit.pack.engine import warm_up
    from inspect_kit.pack.sheet_record import print_sheet

    warm_up()  # typst loads its fonts while the store is opened and read
    out = _checked(out_path) if out_path else None
    path = print_sheet(kit.store, sheet_uuid, kit.workspace.results_dir, out)
    click.echo(f"已生成检查记录表：{path}")


@click.command("print")
@click.argument("form_id", metavar="FORM")
@OUT
@pass_kit
def print_form(kit: Kit, form_id: str, out_path: Path | None) -> None:
    """打印空白表 / the blank form as an A4 PDF for paper use (tick boxes, CSV column names)."""
    from inspect_kit.pack.blank_form import render_form
    from inspect_kit.pack.engine import write_pdf

    form = kit.catalog.get(form_id).form
    out = _checked(
        out_path or kit.workspace.results_dir / "prints" / f"{_safe(form.form)}-空白表.pdf"
    )
    write_pdf(out, render_form(form))
    click.echo(f"已生成空白评分表：{out}")
