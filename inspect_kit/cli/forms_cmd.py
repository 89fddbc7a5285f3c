"""`inspect-kit forms ...`: list, show, validate and describe form definitions."""

from __future__ import annotations

import json
from pathlib import Path

import click

from inspect_kit.cli import Kit, KitGroup, UserError, pass_kit
from inspect_kit.i18n.form_text import text_for, title_for


@click.group(
    cls=KitGroup,
    lazy={"new": "inspect_kit.cli.wizard_cmd:new", "print": "inspect_kit.cli.print_cmd:print_form"},
)
def forms() -> None:
    """表单：列出、查看、校验 / list, show and validate forms."""


@forms.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_kit
def list_forms(kit: Kit, as_json: bool) -> None:
    """List the built-in and workspace forms."""
    loaded, broken = kit.catalog.scan()
    if as_json:
        click.echo(json.dumps([{
            "form": lf.form.form, "version": lf.form.version, "title": lf.form.title,
            "subject": lf.form.subject, "items": lf.form.item_count, "total": lf.form.total,
            "path": str(lf.path), "builtin": lf.builtin,
        } for lf in loaded], ensure_ascii=False, indent=2))  # fmt: skip
        return
    from inspect_kit.cli.tables import table_lines
    from inspect_kit.i18n.catalog import tr

    lang = kit.lang
    body = [[lf.form.form, f"v{lf.form.version}", lf.form.title_for(lang), str(lf.form.item_count),
             f"{lf.form.total:g}", tr("cli.forms.builtin" if lf.builtin else "cli.forms.workspace",
                                      lang)] for lf in loaded]  # fmt: skip
    for line in table_lines(body, tr("cli.forms.header", lang).split("|"), align="<<<>><"):
        click.echo(line)
    for error in broken:
        click.echo(tr("cli.forms.broken", lang, problem=error.problems[0]), err=True)


@forms.command("show")
@click.argument("form_id")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_kit
def show_form(kit: Kit, form_id: str, as_json: bool) -> None:
    """Print a form's sections, items and points."""
    from inspect_kit.formfiles.form_data import form_data
    from inspect_kit.i18n.catalog import tr
    from inspect_kit.i18n.form_text import grade_for, localized

    loaded = kit.catalog.get(form_id)
    form, lang = loaded.form, kit.lang
    if as_json:
        data = {**form_data(form), "sha256": loaded.sha256, "builtin": loaded.builtin,
                "path": str(loaded.path)}  # fmt: skip
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{form.title_for(lang)}  [{form.form} v{form.version}]")
    description = localized(form, "description", lang) if form.description else ""
    if description:
        click.echo(description.strip())
    facts = [tr("cli.forms.show.total", lang, total=f"{form.total:g}")]
    if form.bonus_cap:
        facts.append(tr("cli.forms.show.bonus", lang, cap=f"{form.bonus_cap:g}"))
    if form.score_cap is not None:
        facts.append(tr("cli.forms.show.cap", lang, cap=f"{form.score_cap:g}"))
    if form.bonus_cap:
        counts = (
            "cli.forms.show.bonus_counts" if form.bonus_counts else "cli.forms.show.bonus_apart"
        )
        facts.append(tr(counts, lang))
    click.echo("".join(facts))
    parts = []
    for g in form.grades:
        floor = ""
        if g.section_min is not None:
            floor = tr("cli.forms.show.floor", lang, share=f"{g.section_min:.0%}")
        parts.append(f"{grade_for(form, g.grade, lang)} ≥{g.min:g}{floor}")
    click.echo(tr("cli.forms.show.grades", lang) + tr("reason.join", lang).join(parts))
    for section in form.sections:
        title = title_for(section, lang)
        label = (tr("cli.forms.show.bonus_section", lang) if section.bonus
                 else tr("cli.forms.show.points", lang, points=f"{section.points:g}"))  # fmt: skip
        click.echo("\n" + tr("cli.forms.show.section", lang, id=section.id, title=title,
                              label=label))  # fmt: skip
        for item in section.items:
            text = text_for(item, lang)
            points = (tr("cli.forms.show.points", lang, points=f"{item.max_points:g}")
                      if item.scored else tr("cli.forms.show.unscored", lang))  # fmt: skip
            click.echo(f"  - {item.id:<22} {item.type:<9} {points:>6}  {text}")
    if form.vetoes:
        click.echo("\n" + tr("cli.forms.show.vetoes", lang))
        for veto in form.vetoes:
            click.echo(f"  ! {veto.id:<22} {text_for(veto, lang)}")


@forms.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@pass_kit
def validate(kit: Kit, paths: tuple[Path, ...]) -> None:
    """Check form files (default: every workspace and built-in form)."""
    from inspect_kit.base.errors import FormError, FormNotFound
    from inspect_kit.formfiles.loader import load_form_file

    targets = list(paths) or [p for p, _ in kit.catalog.sources()]
    failed = 0
    for path in targets:
        try:
            loaded = load_form_file(path)
        except FormNotFound as exc:
            failed += 1
            click.echo(str(exc), err=True)
            continue
        except FormError as exc:
            failed += 1
            click.echo(f"✗ {path}：{len(exc.problems)} 处问题", err=True)
            for problem in exc.problems:
                click.echo(f"  {problem}", err=True)
            continue
        click.echo(f"✓ {path}  ({loaded.form.form} v{loaded.form.version}, "
                   f"{loaded.form.item_count} 项)")  # fmt: skip
        for warning in version_warnings(kit, loaded):
            click.echo(f"  ! {warning}", err=True)
    if failed:
        raise UserError(f"{failed} 个表单文件有错误，见上。")


def version_warnings(kit: Kit, loaded) -> list[str]:
    """A form whose content changed while its `version` did not (sheets would be ambiguous)."""
    if not kit.workspace.db_path.exists():
        return []
    try:
        versions = kit.store.form_versions(loaded.form.form)
    except Exception:
        return []
    same = [
        v for v in versions if v["version"] == loaded.form.version and v["sha256"] != loaded.sha256
    ]
    if same:
        return [f"内容与数据库中已用过的 v{loaded.form.version} 不同，但 version 没有增加；"
                "请把 version 加 1，以免新旧评分表混淆"]  # fmt: skip
    return []


@forms.command("schema")
def schema() -> None:
    """Print the JSON Schema of form files (for editor autocompletion)."""
    from inspect_kit.domain.model import Form

    click.echo(json.dumps(Form.model_json_schema(), ensure_ascii=False, indent=2))
