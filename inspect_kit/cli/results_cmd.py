"""`inspect-kit results ...`: finalized sheets: list, show, void (more in other modules)."""

from __future__ import annotations

import json
from collections.abc import Callable

import click

from inspect_kit.base.safe_text import safe_fields, safe_json, safe_lines, safe_text
from inspect_kit.cli import Kit, KitGroup, pass_kit
from inspect_kit.i18n.catalog import tr

# Commands kept in their own modules (one job each), loaded when used.
RESULTS_COMMANDS = {
    "export": "inspect_kit.cli.export_cmd:export",
    "import": "inspect_kit.cli.merge_cmd:import_results",
    "conflicts": "inspect_kit.cli.merge_cmd:conflicts",
    "amend": "inspect_kit.cli.amend_cmd:amend",
    "import-sheets": "inspect_kit.cli.fill_cmd:import_sheets",
    "print": "inspect_kit.cli.print_cmd:print_sheet",
    "review": "inspect_kit.cli.review_cmd:review",
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


def checked_round(kit: Kit, form_id: str | None, round_: str | None) -> str | None:
    """The round a filter names, in its stored spelling; exit 1 with the rounds that have
    sheets (of the form, when given) when it has none or breaks the round rule."""
    if round_ is None:
        return None
    from inspect_kit.base.rounds import check_round_filter

    rounds = sorted({str(r["round"]) for r in kit.store.summaries(form=form_id)})
    return check_round_filter(round_, rounds)


@results.command("list")
@filter_options
@click.option("--review", "review_filter",
              type=click.Choice(["pending", "approved", "returned", "conflict"]),
              help="Office review state (pending: awaiting review).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Full records as JSON.")
@pass_kit
def list_results(kit: Kit, form_id, round_, subject, rater, status, review_filter,
                 as_json: bool) -> None:  # fmt: skip
    """List finalized sheets (newest revision of each)."""
    from inspect_kit.cli.review_cmd import ReviewLookup, review_json

    round_ = checked_round(kit, form_id, round_)
    filters = dict(form=form_id, round=round_, subject=subject, rater=rater, status=status)
    reviews = ReviewLookup(kit, form_id, round_)
    if as_json:
        rows = reviews.keep(kit.store.submissions(**filters), review_filter)
        rows = [{**d, "review": review_json(reviews.state(d))} for d in rows]
        click.echo(safe_json(json.dumps(rows, ensure_ascii=False, indent=1)))
        return
    rows = kit.store.summaries(**filters)  # index rows: the archive shards stay closed
    rows = reviews.keep(rows, review_filter)
    rows = [safe_fields(d) for d in rows]  # names may carry terminal escapes
    if not rows:
        click.echo(tr("cli.list.empty", kit.lang))
        return
    for line in summary_lines(rows, kit.lang, grade_name=_grade_names(kit),
                              review=reviews.label):  # fmt: skip
        click.echo(line)
    click.echo(tr("cli.list.count", kit.lang, n=len(rows)))


def summary_lines(rows: list[dict], lang: str,
                  grade_name: Callable[[str, str], str] | None = None,
                  review: Callable[[dict], str] | None = None) -> list[str]:  # fmt: skip
    """The listing: one line per sheet under a header, aligned by display width."""
    from inspect_kit.cli.tables import table_lines

    header = [
        tr(f"cli.list.{c}", lang)
        for c in ("uuid", "form", "round", "subject", "name", "rater", "score", "grade", "flag")
    ]
    body = []
    for d in rows:
        total = f"{d['total']:g}" + (f"+{d['bonus']:g}" if d["bonus"] else "")
        flag = "void" if d["status"] == "void" else ("vetoed" if d["vetoed"] else "")
        notes = [tr(f"cli.list.{flag}", lang)] if flag else []
        notes += [word] if review is not None and (word := review(d)) else []
        body.append([d["uuid"][:8], d["form"], d["round"], d["subject"], d["subject_name"],
                     d["rater"], total,
                     grade_name(d["form"], d["grade"]) if grade_name else d["grade"],
                     " · ".join(notes)])  # fmt: skip
    return table_lines(body, header, align="<<<<<<>", max_width={4: 28, 5: 12})


def _grade_names(kit: Kit):
    """Grade as shown: the form's `grade_en` in English (the stored grade stays Chinese)."""
    from inspect_kit.base.errors import InspectKitError
    from inspect_kit.i18n.form_text import grade_for

    forms: dict[str, object] = {}

    def name(form_id: str, grade: str) -> str:
        if kit.lang != "en":
            return grade
        if form_id not in forms:
            try:
                forms[form_id] = kit.catalog.get(form_id).form
            except InspectKitError:
                forms[form_id] = None
        form = forms[form_id]
        return grade_for(form, grade, "en") if form is not None else grade

    return name


@results.command("show")
@click.argument("sheet_uuid")
@click.option("--json", "as_json", is_flag=True, help="The full record as JSON.")
@pass_kit
def show(kit: Kit, sheet_uuid: str, as_json: bool) -> None:
    """Show one sheet: sections, deductions with notes, vetoes, history."""
    from inspect_kit.cli.review_cmd import ReviewLookup, review_json, state_lines
    from inspect_kit.domain.sheet_text import sheet_lines

    doc = kit.store.submission(sheet_uuid)
    revisions, events = kit.store.history(doc["uuid"])
    reviews = ReviewLookup(kit, doc["form"], doc["round"])
    state = reviews.state(doc)
    if as_json:
        data = {**doc, "history": events, "review": review_json(state)}
        click.echo(safe_json(json.dumps(data, ensure_ascii=False, indent=1)))
        return
    form = kit.store.stored_form(doc["form_sha256"])
    from inspect_kit.services.rectify import RectifyService

    lines = sheet_lines(form, doc, events, lang=kit.lang)
    lines += RectifyService(kit.store).sheet_lines(doc["uuid"], kit.lang)  # its 整改项
    for line in lines:
        click.echo(safe_lines(line))
    if doc["status"] == "final":
        for line in state_lines(state, kit.lang, reviews.required(doc["form"])):
            click.echo(safe_lines(line))


@results.command("void")
@click.argument("sheet_uuid")
@click.option("--reason", required=True, help="Why the sheet no longer counts.")
@pass_kit
def void(kit: Kit, sheet_uuid: str, reason: str) -> None:
    """Void a sheet (kept in history, no longer counted)."""
    doc = kit.revisions.void(sheet_uuid, reason, kit.default_rater() or "unknown")
    click.echo(safe_text(f"已作废 {doc['uuid']}（第 {doc['revision']} 版）：{reason}"))
