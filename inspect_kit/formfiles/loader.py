"""Load form YAML files into `Form` models, reporting every problem with file, line and item path.

YAML is parsed to a node tree first (safe loader, no aliases, no duplicate keys) so each value
keeps its line; pydantic then checks types, and `_check_semantics` the rules between fields.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from inspect_kit.base.errors import FormError, FormNotFound, Located
from inspect_kit.base.paths import Workspace, builtin_forms_dir
from inspect_kit.domain.model import ITEM_TYPES, Form, Section

MAX_FORM_BYTES = 1_000_000  # a real form is ~20 KB; anything this big is a mistake or an attack
TOO_BIG = f"the file is larger than {MAX_FORM_BYTES // 1000} KB; a form file is far smaller"
EPS = 1e-9

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class LoadedForm:
    """A validated form with where it came from; `sha256` identifies this exact text."""

    form: Form
    path: Path
    source: str
    sha256: str
    builtin: bool = False


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- YAML with positions


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
                where = _format_path((*path, key))
                raise YamlProblem(key_node.start_mark.line + 1, f"duplicate key '{key}'", where)
            result[key] = _to_data(loader, value_node, (*path, key), lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(loader, n, (*path, i), lines) for i, n in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


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
        line = mark.line + 1 if mark else None
        raise YamlProblem(line, f"YAML syntax error: {exc.problem or exc.context}") from None
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


def _format_path(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


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


def _friendly(error: dict[str, Any]) -> str:
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


def _check_semantics(form: Form) -> list[tuple[PathKey, str]]:
    from inspect_kit.domain.conditions import ConditionError, parse

    problems: list[tuple[PathKey, str]] = []
    seen: dict[str, PathKey] = {}

    def claim(identifier: str, path: PathKey) -> None:
        if identifier in seen:
            problems.append(
                (
                    (*path, "id"),
                    f"id '{identifier}' is already used at {_format_path(seen[identifier])}",
                )
            )
        else:
            seen[identifier] = path

    for s_index, section in enumerate(form.sections):
        claim(section.id, ("sections", s_index))
        for i_index, item in enumerate(section.items):
            claim(item.id, ("sections", s_index, "items", i_index))
    for v_index, veto in enumerate(form.vetoes):
        claim(veto.id, ("vetoes", v_index))
    item_ids = {item.id for _, item in form.iter_items()}

    scored_total = 0.0
    for s_index, section in enumerate(form.sections):
        s_path: PathKey = ("sections", s_index)
        problems += _check_section(section, s_path, form)
        if not section.bonus:
            scored_total += section.points
        for i_index, item in enumerate(section.items):
            i_path = (*s_path, "items", i_index)
            if item.show_if:
                try:
                    condition = parse(item.show_if, known=item_ids - {item.id})
                except ConditionError as exc:
                    problems.append(((*i_path, "show_if"), str(exc)))
                else:
                    del condition
    if abs(scored_total - form.total) > EPS:
        problems.append(
            (
                ("total",),
                f"sections' points add up to {scored_total:g}, but total is {form.total:g}",
            )
        )
    if form.bonus_sections and form.bonus_cap <= 0:
        problems.append((("bonus_cap",), "the form has a bonus section, so set bonus_cap > 0"))

    mins = [g.min for g in form.grades]
    for g_index in range(1, len(mins)):
        if mins[g_index] >= mins[g_index - 1]:
            problems.append(
                (("grades", g_index, "min"), "grades must be listed from the highest min down")
            )
    if mins[-1] != 0:
        problems.append((("grades", len(mins) - 1, "min"), "the last grade must have min: 0"))
    names = [g.grade for g in form.grades]
    if len(set(names)) != len(names):
        problems.append((("grades",), "grade names must be unique"))
    if form.veto_grade not in names:
        problems.append((("veto_grade",), f"'{form.veto_grade}' is not one of the grades {names}"))
    panel = form.panel
    if panel.method == "trimmed-mean" and 2 * panel.trim >= panel.min_raters:
        problems.append(
            (("panel", "trim"), "trimming this many from both ends leaves no sheet at min_raters")
        )
    return problems


def _check_section(section: Section, s_path: PathKey, form: Form) -> list[tuple[PathKey, str]]:
    problems: list[tuple[PathKey, str]] = []
    raw = section.max_raw
    if not section.bonus and not section.scale and abs(raw - section.points) > EPS:
        problems.append(
            ((*s_path, "points"),
             f"the items' full marks add up to {raw:g}, not {section.points:g} "
             "(fix the points, or set `scale: true` to scale)")
        )  # fmt: skip
    if not section.bonus and section.points > 0 and raw <= 0:
        problems.append(
            ((*s_path, "items"), "a section with points needs at least one scored item")
        )
    for i_index, item in enumerate(section.items):
        i_path = (*s_path, "items", i_index)
        options = getattr(item, "options", ())
        labels = [o.label for o in options]
        if len(set(labels)) != len(labels):
            problems.append(((*i_path, "options"), "option labels must be unique"))
        for o_index, option in enumerate(options):
            if option.points > item.max_points + EPS:
                problems.append(
                    ((*i_path, "options", o_index, "points"),
                     f"{option.points:g} is more than the item's full marks {item.max_points:g}")
                )  # fmt: skip
        if item.type == "number":
            if item.bands and item.per is not None:
                problems.append(((*i_path, "bands"), "use either bands or per, not both"))
            if item.per is not None and item.max is None:
                problems.append(((*i_path, "max"), "per needs max (the cap on points)"))
        if item.type == "yesno" and item.labels[0] == item.labels[1]:
            problems.append(((*i_path, "labels"), "the yes and no labels must differ"))
        if item.type == "deduct" and len(set(item.defects)) != len(item.defects):
            problems.append(((*i_path, "defects"), "defect names must be unique"))
    return problems


# ---------------------------------------------------------------- public API


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
                Located(
                    path, _line_for(data_path, lines), _format_path(data_path), _friendly(error)
                )
            )
        raise FormError(located) from None
    problems = _check_semantics(form)
    if problems:
        raise FormError(
            [
                Located(path, _line_for(p, lines), _format_path(p), message)
                for p, message in problems
            ]
        )
    return form


def read_form_file(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FormNotFound(f"找不到表单文件 {path}") from None
    except OSError as exc:
        raise FormError(
            [Located(str(path), None, "", f"cannot read the file: {exc.strerror}")]
        ) from None
    if len(raw) > MAX_FORM_BYTES:
        raise FormError(
            [
                Located(
                    str(path),
                    1,
                    "",
                    TOO_BIG,
                )
            ]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FormError(
            [
                Located(
                    str(path),
                    line,
                    "",
                    f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                )
            ]
        ) from None


def load_form_file(path: Path, *, builtin: bool = False) -> LoadedForm:
    text = read_form_file(path)
    form = parse_form_text(text, str(path))
    return LoadedForm(form=form, path=path, source=text, sha256=sha256_text(text), builtin=builtin)


def form_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


class FormCatalog:
    """The forms a workspace can use: its own forms/ first, then the built-in set."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self._cache: dict[Path, tuple[tuple[int, int], LoadedForm]] = {}

    def _load(self, path: Path, builtin: bool) -> LoadedForm:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(path)
        if cached and cached[0] == key:
            return cached[1]
        loaded = load_form_file(path, builtin=builtin)
        self._cache[path] = (key, loaded)
        return loaded

    def sources(self) -> Iterator[tuple[Path, bool]]:
        for path in form_files(self.workspace.forms_dir):
            yield path, False
        builtin = builtin_forms_dir()
        if builtin.resolve() != self.workspace.forms_dir.resolve():
            for path in form_files(builtin):
                yield path, True

    def scan(self) -> tuple[list[LoadedForm], list[FormError]]:
        """Every usable form (workspace wins over built-in with the same id), every broken file."""
        forms: dict[str, LoadedForm] = {}
        broken: list[FormError] = []
        for path, builtin in self.sources():
            try:
                loaded = self._load(path, builtin)
            except (FormError, FormNotFound) as exc:
                broken.append(
                    exc
                    if isinstance(exc, FormError)
                    else FormError([Located(str(path), None, "", str(exc))])
                )
                continue
            forms.setdefault(loaded.form.form, loaded)
        return list(forms.values()), broken

    def get(self, form_id: str) -> LoadedForm:
        """A form by id, or by path to a YAML file."""
        candidate = Path(form_id)
        if candidate.suffix in (".yaml", ".yml") and candidate.exists():
            return self._load(candidate, False)
        broken_for_id: list[FormError] = []
        for path, builtin in self.sources():
            if path.stem == form_id:
                try:
                    loaded = self._load(path, builtin)
                except FormError as exc:
                    broken_for_id.append(exc)
                    continue
                if loaded.form.form == form_id:
                    return loaded
        forms, _ = self.scan()
        for loaded in forms:
            if loaded.form.form == form_id:
                return loaded
        if broken_for_id:
            raise broken_for_id[0]
        known = ", ".join(sorted(f.form.form for f in forms)) or "（无）"
        raise FormNotFound(
            f"没有表单 '{form_id}'。可用的表单：{known}。用 `inspect-kit forms list` 查看。"
        )
