"""`inspect-kit panel conflict declare|list|withdraw` (回避) and `panel rescore FORM SUBJECT`."""

from __future__ import annotations

import json

import click

from inspect_kit.base.safe_text import safe_json, safe_text
from inspect_kit.cli import Kit, pass_kit
from inspect_kit.i18n.catalog import tr


def _conflicts(kit: Kit):
    from inspect_kit.services.conflicts import ConflictsService

    return ConflictsService(kit.store, kit.catalog)


@click.group()
def conflict() -> None:
    """回避 / conflicts of interest: a rater's sheet for a subject kept but not counted."""


@conflict.command("declare")
@click.argument("form_id", metavar="FORM")
@click.argument("subject")
@click.option(
    "--rater", default=None, help="The rater who recuses (default: the configured rater)."
)
@click.option("--reason", required=True, help="Why (e.g. a relative works there).")
@pass_kit
def declare(kit: Kit, form_id: str, subject: str, rater: str | None, reason: str) -> None:
    """申报回避 / declare that a rater has a conflict with a subject."""
    rater = rater if rater is not None else kit.default_rater()
    found = _conflicts(kit).declare(form_id, subject, rater or "", reason, kit.default_rater())
    click.echo(safe_text(tr("conflict.declared", kit.lang, rater=found.rater, subject=subject)))


@conflict.command("withdraw")
@click.argument("form_id", metavar="FORM")
@click.argument("subject")
@click.option("--rater", default=None, help="The rater (default: the configured rater).")
@click.option("--reason", required=True, help="Why the declaration is withdrawn.")
@pass_kit
def withdraw(kit: Kit, form_id: str, subject: str, rater: str | None, reason: str) -> None:
    """撤回回避 / withdraw a declared conflict (logged with its reason)."""
    rater = rater if rater is not None else kit.default_rater()
    _conflicts(kit).withdraw(form_id, subject, rater or "", reason, kit.default_rater())
    click.echo(safe_text(tr("conflict.withdrawn", kit.lang, rater=rater, subject=subject)))


@conflict.command("list")
@click.option("--form", "form_id", default=None, help="Only this form's conflicts.")
@click.option("--json", "as_json", is_flag=True, help="As JSON.")
@pass_kit
def list_conflicts(kit: Kit, form_id: str | None, as_json: bool) -> None:
    """在册的回避 / the conflicts of interest in force."""
    from dataclasses import asdict

    found = _conflicts(kit).list(form_id)
    if as_json:
        click.echo(safe_json(json.dumps([asdict(c) for c in found], ensure_ascii=False, indent=1)))
        return
    if not found:
        click.echo(tr("conflict.list_empty", kit.lang))
        return
    click.echo(tr("conflict.list_head", kit.lang).replace("|", "\t"))
    for c in found:
        click.echo(safe_text("\t".join((c.form, c.subject, c.rater, c.reason, c.by, c.at[:16]))))


@click.command()
@click.argument("form_id", metavar="FORM")
@click.argument("subject")
@click.option("--reason", required=True, help="Why the round is opened.")
@click.option("--round", "round_", default=None, help="Round (default: the newest with sheets).")
@pass_kit
def rescore(kit: Kit, form_id: str, subject: str, reason: str, round_: str | None) -> None:
    """开启重评 / open the one re-score round of a subject whose spread exceeds max_spread."""
    from inspect_kit.services.rescore import RescoreService

    opened = RescoreService(kit.store, kit.panels).open(
        form_id, subject, reason, kit.default_rater() or "chair", round_
    )
    click.echo(safe_text(tr("rescore.opened", kit.lang, subject=subject, round=opened.round)))
    for first in opened.first:
        click.echo(safe_text(tr("rescore.sheet", kit.lang, rater=first.rater,
                                uuid=first.uuid[:8], total=f"{first.total:g}")))  # fmt: skip
