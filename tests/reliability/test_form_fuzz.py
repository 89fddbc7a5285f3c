"""Fuzzed form files (mutations of the built-in forms, random YAML): the loader always gives a
Form or a located FormError, and `forms validate` exits 0 or 1 with a message, never a traceback."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rel_helpers import run_cli

from inspect_kit.base.errors import FormError
from inspect_kit.domain.model import Form
from inspect_kit.formfiles.loader import parse_form_text

pytestmark = pytest.mark.reliability

BUILTIN = Path(__file__).resolve().parents[2] / "forms"
SOURCES = {p.stem: p.read_text(encoding="utf-8") for p in sorted(BUILTIN.glob("*.yaml"))}
DATA = {name: yaml.safe_load(text) for name, text in SOURCES.items()}
FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# ------------------------------------------------------------------ mutations of real forms


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in the tree that holds a value (dict keys and list indexes)."""
    found = []
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in children:
        found.append((*prefix, key))
        found += paths(child, (*prefix, key))
    return found


def parent_of(tree: Any, path: tuple) -> Any:
    for key in path[:-1]:
        tree = tree[key]
    return tree


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["yesno", "choice", "deduct", "score", "-1", "1e9", "", "x and"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def mutated_forms(draw) -> str:
    name = draw(st.sampled_from(sorted(DATA)))
    tree = copy.deepcopy(DATA[name])
    for _ in range(draw(st.integers(1, 4))):
        spots = paths(tree)
        if not spots:
            break
        path = draw(st.sampled_from(spots))
        parent, key = parent_of(tree, path), path[-1]
        action = draw(st.sampled_from(["delete", "retype", "swap", "duplicate"]))
        if action == "delete":
            del parent[key]
        elif action == "retype":
            parent[key] = draw(values)
        elif action == "swap":
            other = draw(st.sampled_from(spots))
            if (
                other[: len(path)] != path and path[: len(other)] != other
            ):  # not nested in each other
                other_parent = parent_of(tree, other)
                parent[key], other_parent[other[-1]] = other_parent[other[-1]], parent[key]
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))  # e.g. a second item with the same id
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


@st.composite
def edited_text(draw) -> str:
    """Text-level damage to a real file: cut, spliced lines, stray characters."""
    text = SOURCES[draw(st.sampled_from(sorted(SOURCES)))]
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["cut", "dup", "junk", "indent", "truncate"]))
        if edit == "cut":
            del lines[i]
        elif edit == "dup":
            lines.insert(i, lines[i])
        elif edit == "junk":
            lines[i] = draw(st.text(max_size=20)) + lines[i]
        elif edit == "indent":
            lines[i] = draw(st.sampled_from(["  ", "\t", " - ", ": "])) + lines[i]
        else:
            lines = lines[:i]
            break
        if not lines:
            break
    return "".join(lines)


random_yaml = st.one_of(
    st.text(max_size=300),
    values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
    st.lists(
        st.sampled_from(
            [
                "form:",
                " x",
                "\n",
                "- ",
                "[",
                "{",
                "]",
                "}",
                ":",
                "&a",
                "*a",
                "!!",
                "#",
                "'",
                '"',
                "|",
                ">",
                "? ",
                "\t",
                "sections:",
                "items:",
                "version: 1",
            ]
        ),
        max_size=40,
    ).map("".join),
)


def assert_located(error: FormError, path: str) -> None:
    assert error.problems, "a FormError names at least one problem"
    for problem in error.problems:
        assert problem.path == path and problem.message.strip()


def load(text: str, path: str = "fuzz.yaml") -> None:
    try:
        form = parse_form_text(text, path)
    except FormError as error:
        assert_located(error, path)
    else:
        assert isinstance(form, Form)


@FUZZ
@given(mutated_forms())
def test_mutated_builtin_forms_load_or_give_located_errors(text):
    load(text)


@FUZZ
@given(edited_text())
def test_hand_damaged_form_text_loads_or_gives_located_errors(text):
    load(text)


@FUZZ
@given(random_yaml)
def test_random_yaml_loads_or_gives_located_errors(text):
    load(text)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 5000,
        "a: " + "{b: " * 3000,
        "- " * 3000 + "x",  # nesting deeper than Python's stack
        "form: x\x00\n",
        "a: \x07\n",
        "\ufeffform: x\n",
        "a: &x 1\nb: *x\n",
        "---\na: 1\n---\nb: 2\n",
    ],
)
def test_pathological_yaml_gives_a_located_error(text):
    with pytest.raises(FormError) as caught:
        parse_form_text(text, "bad.yaml")
    assert_located(caught.value, "bad.yaml")


def check_cli(workspace, data: bytes) -> None:
    path = workspace.forms_dir / "fuzz.yaml"
    path.write_bytes(data)
    result = run_cli(workspace, "forms", "validate", str(path))
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), (result.exit_code, result.output, result.exception)
    if result.exit_code == 1:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
        assert "fuzz.yaml" in result.output  # the error says which file


@settings(FUZZ, max_examples=60)
@given(
    st.one_of(mutated_forms(), edited_text(), random_yaml).map(lambda t: t.encode("utf-8"))
    | st.binary(max_size=200)
)
def test_forms_validate_never_shows_a_traceback(workspace, data):
    check_cli(workspace, data)
