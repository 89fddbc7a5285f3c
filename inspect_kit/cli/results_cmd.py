"""`inspect-kit results ...`: finalized sheets: list, show, void (more in other modules)."""

from __future__ import annotations

import json

import click

from inspect_kit.base.safe_text import safe_fields, safe_json, safe_lines, safe_text
from inspect_kit.cli import Kit, KitGroup, pass_kit

# Commands kept in their own modules (one job each), loaded when used.
RESULTS_COMMANDS = {
    "export": "inspect_kit.cli.export_cmd:export",
    "import": "inspect_kit.cli.merge_cmd:import_results",
    "conflicts": "inspect_kit.cli.merge_cmd:conflicts",
    "amend": "inspect_kit.cli.amend_cmd:amend",
    "import-sheets": "inspect_kit.cli.fill_cmd:import_sheets",
}


@click.group(cls=KitGroup, lazy=RESULTS_COMMANDS)
def results() -> None:
    """已提交的评分表 / finalized sheets."""


def filter_options(command):
    for option in reversed([
        click.option("--form", "form_id", help="Form id."),
        click.option("--round", "round_", help="Round, e.g. 2026."),
        click.option("--subject", help="Subject id."),
        click.option("--rater", help="Rater name."),
        click.option("--status", type=click.Choice(["final", "void"]), help="Sheet status."),
    ]):  # fmt: skip
        command = option(command)
    return command


@results.command("list")
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Full records as JSON.")
@pass_kit
def list_results(kit: Kit, form_id, round_, subject, rater, status, as_json: bool) -> None:
    """List finalized sheets (newest revision of each)."""
    filters = dict(form=form_id, round=round_, subject=subject, rater=rater, status=status)
    if as_json:
        rows = kit.store.submissions(**filters)
        click.echo(safe_json(json.dumps(rows, ensure_ascii=False, indent=1)))
        return
    rows = kit.store.summaries(**filters)  # index rows: the archive shards stay closed
    rows = [safe_fields(d) for d in rows]  # names may carry terminal escapes
    if not rows:
        click.echo("没有已提交的评分表。")
        return
    for d in rows:
        total = f"{d['total']:g}" + (f"+{d['bonus']:g}" if d["bonus"] else "")
        flag = " 作废" if d["status"] == "void" else (" 否决" if d["vetoed"] else "")
        click.echo(
            f"{d['uuid'][:8]}  {d['form']:<20} {d['round']:<5} {d['subject']:<8} "
            f"{d['subject_name'][:14]:<14} {d['rater']:<6} {total:>9} {d['grade']}{flag}"
        )
    click.echo(f"共 {len(rows)} 张")


@results.command("show")
@click.argument("sheet_uuid")
@click.option("--json", "as_json", is_flag=True)
@pass_kit
def show(kit: Kit, sheet_uuid: str, as_json: bool) -> None:
    """Show one sheet: sections, deductions with notes, vetoes, history."""
    from inspect_kit.domain.sheet_text import sheet_lines

    doc = kit.store.submission(sheet_uuid)
    revisions, events = kit.store.history(doc["uuid"])
    if as_json:
        click.echo(safe_json(json.dumps({**doc, "history": events}, ensure_ascii=False, indent=1)))
        return
    form = kit.store.stored_form(doc["form_sha256"])
    for line in sheet_lines(form, doc, events, lang=kit.lang):
        click.echo(safe_lines(line))


@results.command("void")
@click.argument("sheet_uuid")
@click.option("--reason", required=True, help="Why the sheet no longer counts.")
@pass_kit
def void(kit: Kit, sheet_uuid: str, reason: str) -> None:
    """Void a sheet (kept in history, no longer counted)."""
    doc = kit.revisions.void(sheet_uuid, reason, kit.default_rater() or "unknown")
    click.echo(safe_text(f"已作废 {doc['uuid']}（第 {doc['revision']} 版）：{reason}"))
