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
@pass_kit
def show_form(kit: Kit, form_id: str) -> None:
    """Print a form's sections, items and points."""
    form = kit.catalog.get(form_id).form
    en = kit.lang == "en"
    click.echo(f"{form.title_for(kit.lang)}  [{form.form} v{form.version}]")
    click.echo(
        f"{'Total' if en else '满分'} {form.total:g}"
        + (f"，{'bonus cap' if en else '加分上限'} {form.bonus_cap:g}" if form.bonus_cap else "")
    )
    click.echo(("Grades: " if en else "等次：") + "；".join(
        f"{g.grade} ≥{g.min:g}" + (f"（各项 ≥{g.section_min:.0%}）" if g.section_min else "")
        for g in form.grades))  # fmt: skip
    for section in form.sections:
        title = title_for(section, kit.lang)
        label = "加分" if section.bonus else f"{section.points:g} 分"
        click.echo(f"\n[{section.id}] {title}（{label}）")
        for item in section.items:
            text = text_for(item, kit.lang)
            points = f"{item.max_points:g}分" if item.scored else "不计分"
            click.echo(f"  - {item.id:<22} {item.type:<9} {points:>6}  {text}")
    if form.vetoes:
        click.echo("\n" + ("Vetoes:" if en else "一票否决："))
        for veto in form.vetoes:
            click.echo(f"  ! {veto.id:<22} {veto.text}")


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
