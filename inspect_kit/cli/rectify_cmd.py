"""`inspect-kit rectify ...`: rectification items (整改项): list, add, update, verify, show,
notice, csv. Every action is services/rectify.py's; this module only parses and prints."""

from __future__ import annotations

import json
from pathlib import Path

import click

from inspect_kit.base.safe_text import safe_json, safe_text
from inspect_kit.cli import Kit, pass_kit
from inspect_kit.i18n.catalog import tr


def _service(kit: Kit):
    from inspect_kit.services.rectify import RectifyService

    return RectifyService(kit.store, kit.workspace.attachments_dir)


def _who(kit: Kit, by: str | None) -> str:
    return (by or kit.default_rater() or "").strip() or "unknown"


def status_word(status: str, overdue: bool, lang: str) -> str:
    word = tr(f"rectify.status.{status}", lang)
    if not overdue:
        return word
    late = tr("rectify.status.overdue", lang)
    return f"{word} ({late})" if lang == "en" else f"{word}（{late}）"


def list_lines(listed, lang: str, conflicted: frozenset[str] = frozenset()) -> list[str]:
    """The listing: one line per item, aligned by display width; `conflicted`: the uuids of
    items two laptops changed differently (marked until settled)."""
    from inspect_kit.cli.tables import table_lines

    cols = ("id", "subject", "district", "requirement", "deadline", "status", "responsible")
    header = [tr(f"rectify.cli.col.{c}", lang) for c in cols]
    body = []
    for x in listed:
        r = x.item
        if r.status == "verified":
            left = ""
        elif x.days_left < 0:
            left = tr("rectify.cli.days_over", lang, n=-x.days_left)
        else:
            left = tr("rectify.cli.days_left", lang, n=x.days_left)
        state = status_word(r.status, x.overdue, lang)
        if r.uuid in conflicted:
            state += " ⚠" + tr("rectify.cli.conflict", lang)
        body.append([r.uuid[:8], r.subject_name or r.subject, x.district,
                     " ".join(r.requirement.split()), f"{r.deadline} {left}".strip(),
                     state, r.responsible])  # fmt: skip
    return table_lines(body, header, max_width={1: 24, 3: 40})


def count_line(kit: Kit, listed) -> str:
    from inspect_kit.base import clock

    n = {s: sum(1 for x in listed if x.item.status == s) for s in ("open", "reported", "verified")}
    return tr("rectify.cli.count", kit.lang, n=len(listed), open=n["open"],
              overdue=sum(1 for x in listed if x.overdue), reported=n["reported"],
              done=n["verified"], today=clock.today().isoformat())  # fmt: skip


@click.group("rectify")
def rectify() -> None:
    """整改项：期限、报告、复查、通知书 / rectification items: deadlines, checks, notices."""


@rectify.command("list")
@click.option("--status", type=click.Choice(["open", "overdue", "reported", "done"]),
              help="open (overdue included), overdue, reported, done (verified).")  # fmt: skip
@click.option("--subject", help="Subject id.")
@click.option("--form", "form_id", help="Form id.")
@click.option("--round", "round_", help="Round, e.g. 2026.")
@click.option("--sheet", "sheet_uuid", help="Only the items of this sheet (uuid or prefix).")
@click.option("--json", "as_json", is_flag=True, help="Full records as JSON.")
@pass_kit
def list_items(kit: Kit, status, subject, form_id, round_, sheet_uuid, as_json: bool) -> None:
    """List rectification items, overdue first, then by deadline."""
    if sheet_uuid:
        sheet_uuid = kit.store.submission(sheet_uuid)["uuid"]
    service = _service(kit)
    listed = service.listed(status=status, subject=subject, form=form_id, round=round_,
                            sheet=sheet_uuid)  # fmt: skip
    if as_json:
        rows = [{**x.item.to_record(), "overdue": x.overdue, "days_left": x.days_left,
                 "district": x.district} for x in listed]  # fmt: skip
        click.echo(safe_json(json.dumps(rows, ensure_ascii=False, indent=1)))
        return
    if not listed:
        click.echo(tr("rectify.cli.empty", kit.lang))
        return
    conflicted = frozenset(c["uuid"] for c in service.conflicts())
    for line in list_lines(listed, kit.lang, conflicted):
        click.echo(safe_text(line))
    click.echo(count_line(kit, listed))


@rectify.command("show")
@click.argument("item_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Every revision as JSON.")
@pass_kit
def show(kit: Kit, item_id: str, as_json: bool) -> None:
    """One item with its whole history (who did what when)."""
    service = _service(kit)
    revisions = service.history(item_id)
    if as_json:
        rows = [r.to_record() for r in revisions]
        click.echo(safe_json(json.dumps(rows, ensure_ascii=False, indent=1)))
        return
    for line in item_lines(revisions[-1], service.today(), kit.lang):
        click.echo(safe_text(line))
    for c in service.conflicts(revisions[-1].uuid):
        last = (c["incoming"].get("log") or [{}])[-1]
        action = tr(f"rectify.action.{last.get('action')}", kit.lang)
        warning = tr("rectify.conflict.warning", kit.lang, revision=c["revision"], action=action,
                     who=last.get("by") or "?", note=last.get("note") or "")  # fmt: skip
        click.echo(safe_text(warning))


def item_lines(item, today, lang: str) -> list[str]:
    lines = [
        f"{item.uuid}  {item.subject_name or item.subject}（{item.subject}）",
        f"  {tr('rectify.cli.col.requirement', lang)}：{item.requirement}",
        f"  {tr('rectify.cli.col.deadline', lang)}：{item.deadline}  "
        f"{tr('rectify.cli.col.status', lang)}："
        f"{status_word(item.status, item.overdue(today), lang)}",
    ]
    if item.responsible:
        lines.append(f"  {tr('rectify.cli.col.responsible', lang)}：{item.responsible}")
    if item.sheet:
        where = f"{item.form} {item.round} {item.sheet[:8]}" + (
            f" {item.item}" if item.item else ""
        )
        lines.append(f"  ← {where}")
    lines.append(tr("rectify.cli.history", lang))
    for e in item.log:
        extra = f"：{e.note}" if e.note else ""
        if e.changes:
            extra += "（" + "，".join(f"{k} → {v}" for k, v in e.changes.items()) + "）"
        if e.photos:
            extra += "  📷 " + "、".join(e.photos)
        lines.append(f"  {e.at}  {e.by}  {tr(f'rectify.action.{e.action}', lang)}{extra}")
    return lines


def _changed(kit: Kit, item) -> None:
    click.echo(safe_text(tr("rectify.cli.changed", kit.lang, id=item.uuid[:8],
                            revision=item.revision,
                            action=tr(f"rectify.action.{item.last.action}", kit.lang),
                            status=tr(f"rectify.status.{item.status}", kit.lang))))  # fmt: skip


@rectify.command("add")
@click.option("--subject", required=True, help="Subject id.")
@click.option("--requirement", required=True, help="What must be fixed (整改要求).")
@click.option("--deadline", help="YYYY-MM-DD (default: the sheet's 整改期限, else 30 days on).")
@click.option("--responsible", default="", help="Person or unit answerable for the fix.")
@click.option("--sheet", "sheet_uuid", help="The sheet that found it (uuid or prefix).")
@click.option("--item", "item_id", help="The form item it concerns (with --sheet).")
@click.option("--note", default="", help="A remark kept in the history.")
@click.option("--by", help="Who adds it (default: config rater).")
@pass_kit
def add(kit: Kit, subject, requirement, deadline, responsible, sheet_uuid, item_id, note,
        by) -> None:  # fmt: skip
    """Add a rectification item by hand."""
    item = _service(kit).add(subject=subject, requirement=requirement, deadline=deadline,
                             by=_who(kit, by), responsible=responsible, sheet=sheet_uuid,
                             item=item_id, note=note)  # fmt: skip
    click.echo(safe_text(tr("rectify.cli.added", kit.lang, id=item.uuid[:8],
                            requirement=item.requirement, deadline=item.deadline)))  # fmt: skip


@rectify.command("update")
@click.argument("item_id", metavar="ID")
@click.option(
    "--status", type=click.Choice(["reported"]), help="reported: the unit says it is fixed."
)
@click.option("--note", default="", help="What was done or found (kept in the history).")
@click.option("--photo", "photos", multiple=True, help="A photo as evidence (repeatable).")
@click.option("--deadline", help="A new deadline, YYYY-MM-DD.")
@click.option("--requirement", help="A new requirement text.")
@click.option("--responsible", help="A new responsible person or unit.")
@click.option("--by", help="Who makes the change (default: config rater).")
@pass_kit
def update(kit: Kit, item_id, status, note, photos, deadline, requirement, responsible,
           by) -> None:  # fmt: skip
    """Report an item done, add a note or photos, or change its deadline or text."""
    service, who = _service(kit), _who(kit, by)
    edits = {k: v for k, v in dict(deadline=deadline, requirement=requirement,
                                   responsible=responsible).items() if v is not None}  # fmt: skip
    if not (status or note or photos or edits):
        raise click.UsageError(tr("rectify.cli.update_needs", kit.lang))
    if edits:
        alone = not (status or photos)
        _changed(kit, service.edit(item_id, by=who, note=note if alone else "", **edits))
    if status == "reported":
        _changed(kit, service.report(item_id, by=who, note=note, photos=photos))
    elif photos or (note and not edits):
        _changed(kit, service.note(item_id, by=who, note=note, photos=photos))


@rectify.command("verify")
@click.argument("item_id", metavar="ID")
@click.option("--pass", "passed", flag_value=True, default=None, help="The fix holds: verified.")
@click.option(
    "--fail", "passed", flag_value=False, help="Still wrong: open again (--note says why)."
)
@click.option("--note", default="", help="What the re-inspection found.")
@click.option("--photo", "photos", multiple=True, help="A photo as evidence (repeatable).")
@click.option("--by", help="Who verifies (default: config rater).")
@pass_kit
def verify(kit: Kit, item_id, passed, note, photos, by) -> None:
    """The re-inspection's verdict on one item."""
    if passed is None:
        raise click.UsageError(tr("rectify.cli.verify_needs", kit.lang))
    item = _service(kit).verify(item_id, passed=passed, by=_who(kit, by), note=note, photos=photos)
    _changed(kit, item)


@rectify.command("notice")
@click.argument("subject")
@click.option("--round", "round_", help="Only the items of this round.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="PDF file (default under <workspace>/results/prints/).")  # fmt: skip
@click.option("--organizer", help="Who issues it (default: config organizer).")
@pass_kit
def notice(kit: Kit, subject, round_, out_path, organizer) -> None:
    """整改通知书 / the A4 rectification notice with its tear-off reply slip."""
    from inspect_kit.base.errors import InspectKitError
    from inspect_kit.pack.notice import write_notice

    if out_path is not None and out_path.suffix.lower() != ".pdf":
        raise InspectKitError(f"请用 .pdf 结尾：{out_path}")
    listed = [x for x in _service(kit).open_for(subject) if not round_ or x.item.round == round_]
    if not listed:
        raise InspectKitError(code="rectify.no_items_for_notice", subject=subject)
    unit = kit.store.subject(subject)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in subject)
    out = out_path or kit.workspace.results_dir / "prints" / f"{safe}-整改通知书.pdf"
    org = organizer or getattr(kit.settings, "organizer", "") or ""
    write_notice(out, [x.item for x in listed], unit.name if unit else subject, org,
                 today=_service(kit).today())  # fmt: skip
    click.echo(tr("rectify.cli.notice_written", kit.lang, n=len(listed), path=out))


@rectify.command("csv")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="CSV file (UTF-8 with BOM, opens in Excel).")  # fmt: skip
@click.option("--status", type=click.Choice(["open", "overdue", "reported", "done"]),
              help="open, overdue, reported or done.")  # fmt: skip
@click.option("--subject", help="Subject id.")
@click.option("--form", "form_id", help="Form id.")
@pass_kit
def csv_items(kit: Kit, out_path: Path, status, subject, form_id) -> None:
    """All items (filtered) as a CSV for Excel."""
    from inspect_kit.exports.rectify_table import write_csv

    listed = _service(kit).listed(status=status, subject=subject, form=form_id)
    rows = [(x.item, x.overdue, x.district) for x in listed]
    n = write_csv(out_path, rows, kit.lang)
    click.echo(tr("rectify.cli.csv_written", kit.lang, n=n, path=out_path))


def conflict_lines(d: dict, lang: str) -> list[str]:
    """A rectification conflict for `results conflicts`: each version's last change."""
    if d.get("status") == "open":
        state = tr("rectify.conflict.open", lang)
    else:
        state = tr("rectify.conflict.resolved", lang, kept=d.get("kept"))
    heading = tr("rectify.sheet.heading", lang)
    out = [f"{d['uuid'][:8]} 第 {d['revision']} 版  {heading}  {d['subject']}  {state}"]
    for side in ("local", "incoming"):
        doc = d[side]
        last = (doc.get("log") or [{}])[-1]
        action = tr(f"rectify.action.{last.get('action')}", lang) if last.get("action") else "?"
        status = tr(f"rectify.status.{doc.get('status')}", lang)
        note = f"：{last['note']}" if last.get("note") else ""
        who, when = last.get("by") or "?", last.get("at") or "?"
        out.append(f"  {tr(f'rectify.conflict.{side}', lang)}：{action}（{who}，{when}）→ "
                   f"{status}{note}")  # fmt: skip
    return out
