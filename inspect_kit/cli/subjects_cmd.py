"""`inspect-kit subjects ...`: the roster of bases, committees, enterprises and schools."""

from __future__ import annotations

import json
from pathlib import Path

import click

from inspect_kit.base.safe_text import safe_json, safe_text
from inspect_kit.cli import Kit, pass_kit


@click.group()
def subjects() -> None:
    """名册：被检查对象 / the roster of subjects."""


@subjects.command("list")
@click.option("--kind", help="Only this kind (education-base, committee, ...).")
@click.option("--json", "as_json", is_flag=True, help="As JSON.")
@pass_kit
def list_subjects(kit: Kit, kind: str | None, as_json: bool) -> None:
    """List subjects."""
    rows = kit.store.subjects(kind)
    if as_json:
        click.echo(safe_json(json.dumps([s.to_dict() for s in rows], ensure_ascii=False, indent=2)))
        return
    if not rows:
        from inspect_kit.i18n.catalog import tr

        add = kit.command("subjects", "import", "CSV")
        click.echo(tr("cli.roster.empty", kit.lang, import_=add, demo=kit.command("demo")))
    if rows:
        from inspect_kit.cli.tables import table_lines
        from inspect_kit.i18n.catalog import tr

        header = tr("cli.subjects.header", kit.lang).split("|")
        body = [[s.id, s.name, s.kind, s.district, s.level] for s in rows]
        for line in table_lines(body, header):
            click.echo(safe_text(line))


@subjects.command("add")
@click.option("--id", "subject_id", required=True, help="Subject id (unique).")
@click.option("--name", required=True, help="Subject name.")
@click.option("--kind", required=True, help="The form's subject kind, e.g. education-base.")
@click.option("--district", default="", help="District.")
@click.option("--level", default="", help="Level.")
@pass_kit
def add(kit: Kit, subject_id: str, name: str, kind: str, district: str, level: str) -> None:
    """Add one subject."""
    from inspect_kit.base.errors import InspectKitError
    from inspect_kit.domain.subject import Subject
    from inspect_kit.intake.roster import ID_PATTERN

    if not ID_PATTERN.match(subject_id):
        raise InspectKitError(f"编号 “{subject_id}” 只能用字母、数字、-、_、.")
    kit.store.add_subject(Subject(subject_id, name.strip(), kind.strip(), district, level))
    click.echo(safe_text(f"已添加 {subject_id} {name}"))


@subjects.command("import")
@click.argument("csv_path", type=click.Path(dir_okay=False, path_type=Path))
@pass_kit
def import_csv(kit: Kit, csv_path: Path) -> None:
    """Import a roster CSV (id,name,kind,district,level,tags); UTF-8 or GB18030."""
    from inspect_kit.intake.roster import read_roster

    added, updated = kit.store.add_subjects(read_roster(csv_path))
    click.echo(f"新增 {added} 个，更新 {updated} 个。")
