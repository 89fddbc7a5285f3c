"""YAML parsed with the line of every value: a safe loader that refuses aliases (no billion
laughs) and duplicate keys, keeping `(path) -> line` so problems can be reported as file:line.
Shared by form files and answer files.
"""

from __future__ import annotations

from typing import Any

import yaml

PathKey = tuple[str | int, ...]


class YamlProblem(Exception):
    """A YAML text that cannot be read: `line` (1-based, or None), `message`, `where` (key path)."""

    def __init__(self, line: int | None, message: str, where: str = ""):
        self.line, self.message, self.where = line, message, where


class _NoAliasLoader(yaml.SafeLoader):
    """Refuse aliases outright: they are how 'billion laughs' bombs expand."""

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlProblem(
                event.start_mark.line + 1,
                "anchors and aliases (& and *) are not allowed in form files; write the value out",
            )
        return super().compose_node(parent, index)


def _to_data(loader: _NoAliasLoader, node: yaml.Node, path: PathKey, lines: dict[PathKey, int]):
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) or isinstance(key, bool):
                raise YamlProblem(key_node.start_mark.line + 1, "keys must be plain words")
            key = str(key)
            if key in result:
                where = format_path((*path, key))
                raise YamlProblem(key_node.start_mark.line + 1, f"duplicate key '{key}'", where)
            result[key] = _to_data(loader, value_node, (*path, key), lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(loader, n, (*path, i), lines) for i, n in enumerate(node.value)]
    try:
        return loader.construct_object(node, deep=True)
    except ValueError as exc:  # `2026-13-45` read as a date, a 5000-digit integer...
        raise YamlProblem(
            node.start_mark.line + 1,
            f"{str(node.value)[:40]!r} cannot be read ({str(exc)[:80]})",
            format_path(path),
        ) from None


def parse_yaml_with_lines(text: str) -> tuple[Any, dict[PathKey, int]]:
    """(data, key path -> line) from YAML text, safely: no aliases, no tabs; raises YamlProblem."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            raise YamlProblem(number, "a tab is used for indentation; indent with spaces")
    try:
        loader = _NoAliasLoader(text)  # the reader already refuses control characters here
    except yaml.YAMLError as exc:
        character = getattr(exc, "character", None)
        what = f"U+{character:04X}" if isinstance(character, int) else "a character"
        raise YamlProblem(
            _reader_line(text, exc),
            f"{what} is a control character that a form file cannot contain",
        ) from None
    lines: dict[PathKey, int] = {}
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlProblem(1, "the file is empty (nothing but blanks or comments)")
        return _to_data(loader, node, (), lines), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = mark.line + 1 if mark else None
        raise YamlProblem(at, f"YAML syntax error: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(None, f"YAML error: {exc}") from None
    except RecursionError:  # e.g. `[[[[...` thousands deep: a form is never nested like that
        raise YamlProblem(None, "the file is nested too deeply to be a form") from None
    finally:
        loader.dispose()


def _reader_line(text: str, exc: yaml.YAMLError) -> int | None:
    position = getattr(exc, "position", None)
    return None if position is None else text.count("\n", 0, position) + 1


# ---------------------------------------------------------------- error locations


def format_path(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
