"""Load form YAML files into `Form` models, reporting every problem with file, line and item path.

YAML is parsed to a node tree first (safe loader, no aliases, no duplicate keys) so each value
keeps its line; pydantic then checks types, and `_check_semantics` the rules between fields.
Reading the text and `LoadedForm` live in form_text (no pydantic there); they are re-exported.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from inspect_kit.base.errors import FormError, Located
from inspect_kit.domain.model import ITEM_TYPES, Form
from inspect_kit.formfiles.form_text import (
    MAX_FORM_BYTES,
    TOO_BIG,
    LoadedForm,
    read_form_file,
    sha256_text,
)
from inspect_kit.formfiles.rules import check_semantics
from inspect_kit.formfiles.yaml_lines import (
    PathKey,
    YamlProblem,
    format_path,
    parse_yaml_with_lines,
)

# ---------------------------------------------------------------- YAML with positions


def _data_path(loc: tuple[Any, ...], data: Any) -> PathKey:
    """Map a pydantic error location onto the YAML data, dropping discriminator tags."""
    path: list[str | int] = []
    cursor = data
    for index, part in enumerate(loc):
        after_item = index >= 2 and isinstance(loc[index - 1], int) and loc[index - 2] == "items"
        if after_item and isinstance(part, str) and part in ITEM_TYPES:
            continue  # the tagged-union branch name, not a key in the file (`text` is both)
        path.append(part)
        if isinstance(cursor, dict):
            cursor = cursor.get(part)
        elif isinstance(cursor, list) and isinstance(part, int) and part < len(cursor):
            cursor = cursor[part]
        else:
            cursor = None
    return tuple(path)


def _line_for(path: PathKey, lines: dict[PathKey, int]) -> int | None:
    for cut in range(len(path), -1, -1):
        if path[:cut] in lines:
            return lines[path[:cut]]
    return None


def _friendly(error: Mapping[str, Any]) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return "unknown key (check the spelling against `inspect-kit forms schema`)"
    if kind == "string_pattern_mismatch":
        return "ids use lowercase letters, digits and '-' only"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=",
                "less_than": "<"}[kind]  # fmt: skip
        bound = next(iter(ctx.values()), "")
        return f"must be {sign} {bound}"
    if kind == "union_tag_invalid":
        return f"unknown item type {ctx.get('tag')!r}; use one of: {', '.join(ITEM_TYPES)}"
    if kind == "union_tag_not_found":
        return f"an item needs a `type` ({', '.join(ITEM_TYPES)})"
    if kind in ("too_short",):
        return "must not be empty"
    msg = str(error["msg"])
    return msg[0].lower() + msg[1:]


# ---------------------------------------------------------------- rules between fields


def parse_form_text(text: str, path: str = "<form>") -> Form:
    """Validate YAML text into a Form, or raise FormError listing every problem found."""
    if len(text.encode("utf-8")) > MAX_FORM_BYTES:
        raise FormError(
            [
                Located(
                    path,
                    1,
                    "",
                    TOO_BIG,
                )
            ]
        )
    try:
        data, lines = parse_yaml_with_lines(text)
    except YamlProblem as problem:
        raise FormError([Located(path, problem.line, problem.where, problem.message)]) from None
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise FormError(
            [
                Located(
                    path,
                    lines.get(()),
                    "",
                    f"expected a mapping (key: value) at the top level, found {kind}",
                )
            ]
        )
    try:
        form = Form.model_validate(data)
    except ValidationError as exc:
        located = []
        for error in exc.errors():
            data_path = _data_path(error["loc"], data)
            located.append(
                Located(path, _line_for(data_path, lines), format_path(data_path), _friendly(error))
            )
        raise FormError(located) from None
    problems = check_semantics(form)
    if problems:
        raise FormError(
            [Located(path, _line_for(p, lines), format_path(p), message) for p, message in problems]
        )
    return form


def load_form_file(path: Path, *, builtin: bool = False) -> LoadedForm:
    text = read_form_file(path)
    form = parse_form_text(text, str(path))
    return LoadedForm(form=form, path=path, source=text, sha256=sha256_text(text), builtin=builtin)
