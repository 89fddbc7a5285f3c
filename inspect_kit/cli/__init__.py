"""The command line (DESIGN §2): a thin composition root.

Command modules are imported only when their command runs (or for --help), and they import
the core, textual and matplotlib inside the command body, so `inspect-kit --help` stays fast.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import click

from inspect_kit import __version__
from inspect_kit.cli import click_i18n
from inspect_kit.cli.click_i18n import KitContext

if TYPE_CHECKING:
    from inspect_kit.base.config import Settings
    from inspect_kit.formfiles.catalog import FormCatalog
    from inspect_kit.store.store import Store

# name -> "module:attribute"; each command group lives in its own module.
COMMANDS = {
    "tui": "inspect_kit.cli.tui_cmd:tui",
    "forms": "inspect_kit.cli.forms_cmd:forms",
    "subjects": "inspect_kit.cli.subjects_cmd:subjects",
    "results": "inspect_kit.cli.results_cmd:results",
    "demo": "inspect_kit.cli.demo_cmd:demo",
    "config": "inspect_kit.cli.config_cmd:config",
    "fill": "inspect_kit.cli.fill_cmd:fill",
    "panel": "inspect_kit.cli.panel_cmd:panel",
    "chart": "inspect_kit.cli.chart_cmd:chart",
    "report": "inspect_kit.cli.chart_cmd:report",
    "doctor": "inspect_kit.cli.doctor_cmd:doctor",
    "serve": "inspect_kit.cli.serve_cmd:serve",
    "devices": "inspect_kit.cli.devices_cmd:devices",
    "sync": "inspect_kit.cli.sync_cmd:sync",
    "rectify": "inspect_kit.cli.rectify_cmd:rectify",
}


class UserError(click.ClickException):
    """Printed once on stderr in plain words, exit 1, no traceback."""

    def show(self, file=None) -> None:
        from inspect_kit.base.safe_text import safe_lines  # names in messages come from data

        click.echo(safe_lines(self.format_message()), err=True)


class KitGroup(click.Group):
    """Loads commands lazily and turns the kit's typed errors into one-line messages; help,
    usage lines and usage errors come in the interface language (cli/click_i18n.py)."""

    context_class = KitContext

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def main(self, args=None, prog_name=None, **extra):  # type: ignore[override]
        args = list(sys.argv[1:] if args is None else args)
        lang = click_i18n.peek_lang(args, default=_settings_lang())
        click_i18n.install()
        token = click_i18n.CLI_LANG.set(lang)
        try:
            click_i18n.localize(self, lang)
            return super().main(args, prog_name, **extra)
        finally:
            click_i18n.CLI_LANG.reset(token)

    def list_commands(self, ctx: click.Context) -> list[str]:
        available = {name for name, target in self.lazy.items() if _module_exists(target)}
        return sorted({*super().list_commands(ctx), *available})

    def get_command(self, ctx: click.Context, cmd_name: str):
        if cmd_name in self.lazy and cmd_name not in self.commands:
            if not _module_exists(self.lazy[cmd_name]):
                return None
            module_name, attr = self.lazy[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attr)
            path = f"{click_i18n.command_path(self)} {cmd_name}"
            click_i18n.localize(command, click_i18n.CLI_LANG.get(), path)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context):
        from inspect_kit.base.errors import InspectKitError
        from inspect_kit.i18n.catalog import tr

        try:
            return super().invoke(ctx)
        except InspectKitError as exc:
            kit = ctx.find_object(Kit)
            raise UserError(exc.render(kit.lang) if kit else str(exc)) from None
        except KeyboardInterrupt:
            kit = ctx.find_object(Kit)
            raise UserError(tr("cli.interrupted", kit.lang if kit else "zh")) from None


def _settings_lang() -> str:
    """The configured language, for help and usage errors (read without loading pydantic)."""
    from inspect_kit.base.settings_file import configured_lang

    return configured_lang()


def _module_exists(target: str) -> bool:
    return importlib.util.find_spec(target.split(":")[0]) is not None


class Kit:
    """What every command needs, built once on first use: workspace, forms, store, settings.
    Front-ends receive these (`make_app(...)`) rather than building their own."""

    def __init__(self, workspace_root: Path, db: Path | None, lang: str | None):
        from inspect_kit.base.paths import Workspace

        self.workspace = Workspace(workspace_root.resolve(), db.resolve() if db else None)
        self.lang_option = lang
        """--lang as given (None: the settings decide)."""

    @cached_property
    def settings(self) -> Settings:
        from inspect_kit.base.config import load_settings

        return load_settings()

    @property
    def lang(self) -> str:
        return self.lang_option or self.settings.lang

    @cached_property
    def catalog(self) -> FormCatalog:
        from inspect_kit.formfiles.catalog import FormCatalog

        return FormCatalog(self.workspace)

    @cached_property
    def store(self) -> Store:
        from inspect_kit.store.store import Store

        self.workspace.results_dir.mkdir(parents=True, exist_ok=True)
        self.workspace.db_path.parent.mkdir(parents=True, exist_ok=True)
        return Store(self.workspace)

    @cached_property
    def drafts(self):
        from inspect_kit.services.drafts import DraftsService

        return DraftsService(self.store, self.workspace, self.catalog, self.lang)

    @cached_property
    def revisions(self):
        from inspect_kit.services.revisions import Revisions

        return Revisions(self.store, self.workspace, self.lang)

    @cached_property
    def panels(self):
        from inspect_kit.services.panels import PanelsService

        return PanelsService(self.store, self.catalog)

    def command(self, *args: str) -> str:
        """`inspect-kit ARGS` as the user can paste it: this installation (its full path when
        `inspect-kit` is not on PATH), this workspace, database and language."""
        from inspect_kit.base.invocation import command_line

        words = []
        if self.workspace.root != Path.cwd().resolve():
            words += ["--workspace", str(self.workspace.root)]
        if self.workspace.db_override is not None:
            words += ["--db", str(self.workspace.db_override)]
        if self.lang == "en":
            words += ["--lang", "en"]
        return command_line([*words, *args])

    def default_round(self) -> str:
        from inspect_kit.domain.sheet import current_round

        return self.settings.round or current_round()

    def default_rater(self) -> str:
        return self.settings.rater

    def default_reviewer(self) -> str:
        """Who signs review decisions: `config reviewer`, else `config rater`."""
        return self.settings.reviewer or self.settings.rater


pass_kit = click.make_pass_decorator(Kit)


@click.group(cls=KitGroup, lazy=COMMANDS, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})  # fmt: skip
@click.option("--workspace", type=click.Path(file_okay=False, path_type=Path),
              envvar="INSPECT_KIT_HOME", default=".", show_default="current folder",
              help="Folder holding forms/ and results/.")  # fmt: skip
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Database file (default <workspace>/results/inspect-kit.json).")  # fmt: skip
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Interface language (default from `inspect-kit config`, else zh).")  # fmt: skip
@click.version_option(__version__, prog_name="inspect-kit")
@click.pass_context
def cli(ctx: click.Context, workspace: Path, db: Path | None, lang: str | None) -> None:
    """inspect-kit：关工委检查评分工具 / score on-site inspections.

    Run without a command to open the full-screen app.
    """
    ctx.obj = Kit(workspace, _db_file(db), lang)
    if ctx.invoked_subcommand is None:
        group = ctx.command
        assert isinstance(group, click.Group)
        tui = group.get_command(ctx, "tui")
        assert tui is not None
        ctx.invoke(tui)


def _db_file(db: Path | None) -> Path | None:
    """`--db`: a symlink is followed explicitly (writes replace the file it points at and the
    link stays); a device, FIFO or folder is refused, never replaced by a regular file."""
    if db is None:
        return None
    from inspect_kit.base.fsio import regular_file_problem

    real = db.resolve() if db.is_symlink() else db
    if problem := regular_file_problem(real):
        raise UserError(f"--db {db}：{problem}。数据库未做任何改动。")
    return real


def main() -> None:
    from inspect_kit.base.console import never_fail_to_print

    never_fail_to_print(sys.stdout, sys.stderr)
    _printed_commands_runnable()
    cli(prog_name="inspect-kit")


def _printed_commands_runnable() -> None:
    """Every `inspect-kit …` a message tells the user to type is printed as this machine can run
    it (the full path or the offline kit's launcher when the bare name is not on PATH): one
    place for all of them, messages keep the plain name. The full-screen app writes to the
    terminal itself and is not touched."""
    from inspect_kit.base.console import RewritingStream
    from inspect_kit.base.invocation import NAME, kit_executable, runnable_text

    if kit_executable() == (NAME,):
        return
    names = set(COMMANDS) | set(cli.commands)

    def rewrite(text: str) -> str:
        return runnable_text(text, names)

    if sys.stdout is not None:
        sys.stdout = RewritingStream(sys.stdout, rewrite)  # type: ignore[assignment]
    if sys.stderr is not None:
        sys.stderr = RewritingStream(sys.stderr, rewrite)  # type: ignore[assignment]


def require_terminal(what: str, alternative: str, lang: str = "zh") -> None:
    """Full-screen and prompt front-ends hang without a terminal; say so instead."""
    from inspect_kit.i18n.catalog import tr

    if os.environ.get("TEXTUAL_DRIVER"):
        return  # run by textual-serve (`inspect-kit serve`): the browser is the terminal
    if not (sys.stdin and sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError(tr("cli.need_terminal", lang, what=what) + alternative)
