"""`inspect-kit forms new`: the form-authoring wizard (questionary, needs a terminal)."""

from __future__ import annotations

import click

from inspect_kit.cli import Kit, UserError, pass_kit, require_terminal


@click.command()
@pass_kit
def new(kit: Kit) -> None:
    """新建评分表 / write a new form YAML into the workspace's forms/ with a wizard."""
    from inspect_kit.i18n.catalog import tr

    hint = tr("cli.wizard.no_terminal", kit.lang, show=kit.command("forms", "show", "FORM"),
              validate=kit.command("forms", "validate"))  # fmt: skip
    require_terminal(tr("cli.what.wizard", kit.lang), hint, kit.lang)
    from inspect_kit.prompt.wizard import run_form_wizard

    forms, _ = kit.catalog.scan()
    try:
        path = run_form_wizard(kit.workspace.forms_dir, known_ids={f.form.form for f in forms})
    except (KeyboardInterrupt, EOFError):
        raise UserError("已取消，没有写入任何文件。") from None
    if path is None:
        click.get_current_context().exit(1)
