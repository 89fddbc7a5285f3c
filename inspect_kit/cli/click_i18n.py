"""click in the interface language: `--help`, usage lines and usage errors.

click words its own messages through gettext (`_()` in each of its modules); `install()` points
those at `CLICK_ZH` while the Chinese UI runs. `localize(command, lang)` gives a command tree the
help texts of `i18n/cli_help.py` (the English stays as the code writes it), and `KitContext`
wraps help by display width so Chinese lines fit the terminal.
"""

from __future__ import annotations

import inspect
import re
import weakref
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import click

from inspect_kit.base.textwidth import NO_LINE_START, width, wrap
from inspect_kit.i18n.cli_help import ARGUMENTS_ZH, CLI_HELP_ZH
from inspect_kit.i18n.toolkit_messages import CLICK_METAVARS_ZH, CLICK_ZH

ROOT = "inspect-kit"
CLI_LANG: ContextVar[str] = ContextVar("cli_lang", default="zh")
"""The language of the running command line (set by the root group from --lang/settings)."""

_BILINGUAL = re.compile(r"^[^\n/]*[\u4e00-\u9fff][^\n/]*\s/\s+(.*)$", re.DOTALL)


class _ErrorLine(str):
    """ "错误：{message}" whose message ends in a Chinese full stop (click ends it with '.')."""

    __slots__ = ()

    def format(self, *args: object, **values: object) -> str:
        message = str(values.get("message", ""))
        if message.endswith("."):
            values["message"] = message[:-1] + "。"
        return super().format(*args, **values)


def _gettext(message: str) -> str:
    if CLI_LANG.get() != "zh":
        return message
    text = CLICK_ZH.get(message, message)
    return _ErrorLine(text) if message == "Error: {message}" else text


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def install() -> None:
    """Route click's own messages through the kit's table (idempotent)."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types

    modules = (click.core, click.decorators, click.exceptions, click.formatting, click.parser,
               click.termui, click.types)  # fmt: skip
    for module in modules:
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]


def english_help(text: str | None) -> str | None:
    """A "中文 / English …" docstring's English half, first letter capitalised."""
    if not text:
        return text
    text = inspect.cleandoc(text)
    if match := _BILINGUAL.match(text):
        rest = match.group(1)
        return rest[:1].upper() + rest[1:]
    return text


@dataclass
class _Written:
    """A command's or parameter's texts as the code wrote them (restored for English)."""

    help: str | None
    short_help: str | None = None
    metavar: str | None = None
    show_default: Any = None
    options_metavar: str | None = None
    subcommand_metavar: str | None = None


_written: weakref.WeakKeyDictionary[Any, _Written] = weakref.WeakKeyDictionary()
_paths: weakref.WeakKeyDictionary[click.Command, str] = weakref.WeakKeyDictionary()


def command_path(command: click.Command) -> str:
    """The path `localize` last gave `command` (`inspect-kit results`), for its lazy children."""
    return _paths.get(command, ROOT)


def _option_key(path: str, param: click.Parameter) -> str:
    names = [o for o in param.opts if o.startswith("--")] or list(param.opts)
    return f"{path} {names[0]}"


def localize(command: click.Command, lang: str, path: str = ROOT) -> None:
    """Give `command` (and what it contains) its help texts in `lang`."""
    written = _written.setdefault(command, _Written(
        command.help, command.short_help, options_metavar=command.options_metavar,
        subcommand_metavar=getattr(command, "subcommand_metavar", None)))  # fmt: skip
    _paths[command] = path
    zh = lang == "zh"
    if zh and path in CLI_HELP_ZH:
        command.help = CLI_HELP_ZH[path]
        command.short_help = CLI_HELP_ZH[path].split("\n", 1)[0]
    else:
        command.help, command.short_help = english_help(written.help), written.short_help
    command.options_metavar = _metavar(written.options_metavar, zh)
    if isinstance(command, click.Group):
        command.subcommand_metavar = _metavar(written.subcommand_metavar, zh) or ""
    command.context_class = KitContext
    command._help_option = None  # noqa: SLF001 - rebuilt with its help text in this language
    for param in command.params:
        _localize_param(param, path, zh)
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            localize(sub, lang, f"{path} {name}")


def _metavar(text: str | None, zh: bool) -> str | None:
    return CLICK_METAVARS_ZH.get(text, text) if zh and text else text


def _localize_param(param: click.Parameter, path: str, zh: bool) -> None:
    written = _written.setdefault(param, _Written(
        getattr(param, "help", None), metavar=param.metavar,
        show_default=getattr(param, "show_default", None)))  # fmt: skip
    if isinstance(param, click.Argument):
        param.metavar = _argument_metavar(param, written.metavar) if zh else written.metavar
        return
    key = _option_key(path, param)
    help_text = written.help
    if zh and help_text:
        help_text = CLI_HELP_ZH.get(key) or CLICK_ZH.get(help_text, help_text)
    param.help = help_text  # type: ignore[attr-defined]
    if isinstance(written.show_default, str):
        shown = CLI_HELP_ZH.get(f"{key} default") if zh else None
        param.show_default = shown or written.show_default  # type: ignore[attr-defined]
    is_flag = getattr(param, "is_flag", False) or getattr(param, "count", False)
    if written.metavar is None and not is_flag and not isinstance(param.type, click.Choice):
        name = param.type.name.upper()
        param.metavar = CLICK_METAVARS_ZH.get(name) if zh else None


def _argument_metavar(param: click.Argument, written: str | None) -> str:
    name = written or (param.name or "").upper()
    text = ARGUMENTS_ZH.get(name, name)
    if not param.required:
        text = f"[{text}]"
    return text + ("..." if param.nargs != 1 else "")


def peek_lang(args: Sequence[str], default: str) -> str:
    """The --lang the arguments name (before click parses them: help and usage errors need it);
    `default` when there is none or it is not a language (click then reports that)."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        named = args[i + 1] if arg == "--lang" and i + 1 < len(args) else None
        if arg.startswith("--lang="):
            named = arg.split("=", 1)[1]
        if named is not None:
            return named if named in ("zh", "en") else default
    return default


class KitHelpFormatter(click.HelpFormatter):
    """click's formatter measuring text by display width (a Chinese character is two columns)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = _gettext("Usage:")
            prefix += "" if prefix.endswith("：") else " "
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        colon = "：" if width(heading) != len(heading) else ":"
        self.write(f"{'':>{self.current_indent}}{heading}{colon}\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        paragraphs = []
        for block in _paragraphs(text):
            if block.startswith("\b"):  # click's mark for "keep these lines as they are"
                lines = block[1:].lstrip("\n").splitlines()
            else:
                lines = _wrap(block, max(self.width - self.current_indent, 20))
            paragraphs.append("\n".join(f"{indent}{line}" for line in lines))
        self.write("\n\n".join(paragraphs) + "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30,
                 col_spacing: int = 2) -> None:  # fmt: skip
        rows = list(rows)
        first_col = min(max((width(a) for a, _ in rows), default=0), col_max) + col_spacing
        text_width = max(self.width - first_col - 2, 10)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = [line for block in _paragraphs(second)
                     for line in _wrap(block, text_width)]  # fmt: skip
            indent = " " * (first_col + self.current_indent)
            self.write(lines[0] + "\n" + "".join(f"{indent}{line}\n" for line in lines[1:]))


NO_LINE_END = set("（《「『【(")


def _wrap(text: str, columns: int) -> list[str]:
    """Lines of at most `columns`; closing punctuation never starts a line."""
    lines: list[str] = []
    for line in wrap(" ".join(text.split()), columns):
        if lines and line and set(line) <= NO_LINE_START:
            lines[-1] += line
            continue
        if lines and lines[-1][-1:] in NO_LINE_END:  # an opening bracket goes with its text
            line = lines[-1][-1] + line
            lines[-1] = lines[-1][:-1]
        lines.append(line)
    return lines


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text.strip("\n")) if p.strip()] or [""]


class KitContext(click.Context):
    formatter_class = KitHelpFormatter
