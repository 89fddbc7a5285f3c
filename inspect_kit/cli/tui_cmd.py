"""`inspect-kit tui` (and plain `inspect-kit`): the full-screen app."""

from __future__ import annotations

import click

from inspect_kit.cli import Kit, pass_kit, require_terminal


@click.command()
@click.option("--draft", "open_draft", default=None, help="Open this draft (uuid) directly.")
@pass_kit
def tui(kit: Kit, open_draft: str | None) -> None:
    """全屏界面 / the full-screen app: fill, resume drafts, browse results."""
    require_terminal(
        "全屏界面", "请在终端中运行 inspect-kit，或用 `inspect-kit fill --answers` 导入答案。"
    )
    from inspect_kit.tui.app import make_app  # textual only loads here

    make_app(kit.workspace, lang=kit.lang, open_draft=open_draft).run()
