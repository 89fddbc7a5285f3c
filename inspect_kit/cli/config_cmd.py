"""`inspect-kit config [KEY [VALUE]]`: show or set the user's settings."""

from __future__ import annotations

import click

from inspect_kit.cli import Kit, pass_kit


@click.command()
@click.argument("key", required=False)
@click.argument("value", required=False)
@pass_kit
def config(kit: Kit, key: str | None, value: str | None) -> None:
    """设置：评分人、审核人、默认轮次、语言 / show or set rater, reviewer, round, lang."""
    from inspect_kit.base.config import KEYS, config_path, load_settings, update_setting

    settings = load_settings()
    if key is None:
        click.echo(f"# {config_path()}")
        for name in KEYS:
            click.echo(f"{name} = {getattr(settings, name)}")
        return
    if value is None:
        if key not in KEYS:
            update_setting(key, "")  # raises the plain-words error
        click.echo(getattr(settings, key))
        return
    settings = update_setting(key, value)
    click.echo(f"{key} = {getattr(settings, key)}")  # as stored (a round in its one spelling)
