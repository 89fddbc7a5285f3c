"""`show_if` conditions: a tiny, safe expression language over the other items' answers.

Grammar, lowest precedence first (no eval, no Python ast: item ids contain '-'):

    or      := and ('or' and)*
    and     := not ('and' not)*
    not     := 'not' not | cmp
    cmp     := operand [('==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not' 'in'
                         | 'contains') operand]
    operand := '(' or ')' | list | NUMBER | STRING | 'true' | 'false' | 'none' | NAME | SUBJECT
    list    := '[' [literal (',' literal)* [',']] ']'

A NAME is an item id `[a-z0-9][a-z0-9-]*`, matched greedily (`a-b` is one name; there is no
arithmetic). A word that is all digits (optionally `-`/`.`) is a number, not a name.
A SUBJECT is `subject.level`, `subject.kind`, `subject.tags` or `subject.district`: the roster
facts of the sheet's subject (`subject.tags contains '学校'`, `subject.level == '乡镇级'`).
`a contains b` is `b in a`.
"""

from __future__ import annotations

import difflib
import numbers
import operator
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Condition", "ConditionError", "YesNoValue", "parse", "MAX_LENGTH", "MAX_DEPTH"]

MAX_LENGTH = 500
MAX_DEPTH = 50
_CONSTANTS = {"true": True, "false": False, "none": None}
_KEYWORDS = {"and", "or", "not", "in", "contains", *_CONSTANTS}
SUBJECT_FIELDS = ("level", "kind", "tags", "district")
"""What a condition may ask of the subject: `subject.level`, `subject.kind`, ..."""
_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*", re.ASCII)
_HINTS = {
    "=": "use '==' to compare",
    "!": "use 'not'",
    "&": "use 'and'",
    "|": "use 'or'",
    **dict.fromkeys("‘’“”", "use ASCII quotes ' or \""),
    **dict.fromkeys("（）", "use ASCII ( )"),
}


class ConditionError(ValueError):
    """A condition that does not parse or names unknown items; `.position` is the 0-based offset."""

    def __init__(self, message: str, position: int = 0):
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass(frozen=True)
class YesNoValue:
    """A yes/no answer that compares equal to its bool and to its label ('是'/'否', '有'/'无' ...),
    so `has-site == '有'` and `has-site == true` both work. The hash follows the bool."""

    value: bool
    label: str

    def __bool__(self) -> bool:
        return bool(self.value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (YesNoValue, bool)):
            return bool(self.value) == bool(other)
        if isinstance(other, str):
            return self.label == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(bool(self.value))


@dataclass(frozen=True)
class Condition:
    source: str
    names: frozenset[str]
    tree: Any = field(default=None, repr=False, compare=False)

    def evaluate(self, values: Mapping[str, object]) -> bool:
        """Evaluate against item id -> answer; a missing name is None. Never raises."""
        try:
            tree = self.tree if self.tree is not None else parse(self.source).tree
            return _truthy(_eval(tree, values))
        except Exception:
            return False


def parse(source: str, known: Collection[str] | None = None) -> Condition:
    """Parse once at form load. With `known`, a name that is not in it raises ConditionError."""
    if not isinstance(source, str):
        raise ConditionError("a condition must be text", 0)
    if len(source) > MAX_LENGTH:
        raise ConditionError(
            f"the condition is too long ({len(source)} characters, at most {MAX_LENGTH})",
            MAX_LENGTH,
        )
    if not source.strip():
        raise ConditionError("the condition is empty", 0)
    p = _Parser(source)
    tree = p.parse_or()
    tok = p.peek()
    if tok[0] != "end":
        if (tok[0] == "op" or p.is_kw("in") or p.is_kw("contains")
                or (p.is_kw("not") and p.is_kw("in", 1))):  # fmt: skip
            raise ConditionError(
                f"comparisons cannot be chained; use 'and' before '{tok[3]}'", tok[2]
            )
        raise ConditionError(f"unexpected '{tok[3]}'; expected 'and', 'or' or the end", tok[2])
    if known is not None:
        known_set = set(known)
        for name, pos in p.name_positions:
            if name not in known_set and not name.startswith("subject."):
                close = difflib.get_close_matches(name, sorted(known_set), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise ConditionError(f"unknown item '{name}'{hint}", pos)
    return Condition(source, frozenset(n for n, _ in p.name_positions), tree)


_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    |(?P<num>-?[0-9]+(?:\.[0-9]+)?(?![A-Za-z0-9_.-]))
    |(?P<subject>subject\.[A-Za-z0-9_-]*)
    |(?P<word>[A-Za-z0-9_][A-Za-z0-9_-]*)
    |(?P<op>==|!=|<=|>=|<|>)
    |(?P<punct>[()\[\],])""",
    re.VERBOSE | re.DOTALL,
)


def _tokenize(src: str) -> list[tuple[str, Any, int, str]]:
    """Tokens are (kind, value, position, text); kinds: num str name kw op punct end."""
    toks: list[tuple[str, Any, int, str]] = []
    i = 0
    while i < len(src):
        m = _TOKEN.match(src, i)
        if m is None:
            ch = src[i]
            if ch in "'\"":
                raise ConditionError(f"unterminated string: no closing {ch} for the quote", i)
            hint = _HINTS.get(ch) or ("put text in quotes: '...'" if ch.isalpha() else "")
            raise ConditionError(f"unexpected character '{ch}'" + (f"; {hint}" if hint else ""), i)
        kind, text, i = m.lastgroup or "", m.group(), m.end()
        value: Any = text
        if kind == "ws":
            continue
        if kind == "subject":
            field_name = text.split(".", 1)[1]
            if field_name not in SUBJECT_FIELDS:
                fields = ", ".join(f"subject.{f}" for f in SUBJECT_FIELDS)
                raise ConditionError(f"unknown subject fact '{text}'; use one of {fields}",
                                     m.start())  # fmt: skip
            kind = "name"
        elif kind == "str":
            value = re.sub(r"\\(.)", r"\1", text[1:-1], flags=re.DOTALL)
        elif kind == "num":
            value = float(text) if "." in text else int(text)
        elif kind == "word":
            if text in _KEYWORDS:
                kind = "kw"
            elif _NAME.fullmatch(text):
                kind = "name"
            elif text.lower() in _CONSTANTS:
                raise ConditionError(f"write '{text.lower()}' in lower case", m.start())
            else:
                raise ConditionError(
                    f"'{text}' is not an item id (ids use a-z, 0-9, '-')", m.start()
                )
        toks.append((kind, value, m.start(), text))
    toks.append(("end", None, len(src), "the end"))
    return toks


class _Parser:
    def __init__(self, source: str):
        self.toks = _tokenize(source)
        self.i = 0
        self.depth = 0
        self.name_positions: list[tuple[str, int]] = []

    def peek(self, ahead: int = 0) -> tuple[str, Any, int, str]:
        return self.toks[min(self.i + ahead, len(self.toks) - 1)]

    def take(self) -> tuple[str, Any, int, str]:
        tok = self.peek()
        self.i = min(self.i + 1, len(self.toks) - 1)
        return tok

    def is_kw(self, word: str, ahead: int = 0) -> bool:
        tok = self.peek(ahead)
        return tok[0] == "kw" and tok[1] == word

    def enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(f"the condition nests more than {MAX_DEPTH} levels deep", pos)

    def parse_or(self) -> Any:
        return self.chain("or", self.parse_and)

    def parse_and(self) -> Any:
        return self.chain("and", self.parse_not)

    def chain(self, word: str, sub: Any) -> Any:
        parts = [sub()]
        while self.is_kw(word):
            self.take()
            parts.append(sub())
        return parts[0] if len(parts) == 1 else (word, tuple(parts))

    def parse_not(self) -> Any:
        if self.is_kw("not"):
            self.enter(self.take()[2])
            node = ("not", self.parse_not())
            self.depth -= 1
            return node
        return self.parse_cmp()

    def parse_cmp(self) -> Any:
        left = self.parse_operand(None)
        tok = self.peek()
        if tok[0] == "op" or self.is_kw("in") or self.is_kw("contains"):
            op = self.take()[1]
        elif self.is_kw("not") and self.is_kw("in", 1):
            self.take(), self.take()
            op = "not in"
        else:
            return left
        return ("cmp", op, left, self.parse_operand(op))

    def parse_operand(self, after: str | None) -> Any:
        tok = self.take()
        kind, value, pos, text = tok
        if _is_literal(tok):
            return ("lit", _CONSTANTS.get(value) if kind == "kw" else value)
        if kind == "name":
            self.name_positions.append((value, pos))
            return ("name", value)
        if tok[:2] == ("punct", "("):
            self.enter(pos)
            node = self.parse_or()
            self.expect(")", f"missing ')' to close the '(' at position {pos}")
            self.depth -= 1
            return node
        if tok[:2] == ("punct", "["):
            self.enter(pos)
            items: list[Any] = []
            while self.peek()[:2] != ("punct", "]"):
                item = self.take()
                if item[0] == "end":
                    raise ConditionError(f"missing ']' to close the '[' at position {pos}", item[2])
                if not _is_literal(item):
                    msg = f"a list may hold only numbers, text, true, false, none; not '{item[3]}'"
                    raise ConditionError(msg, item[2])
                items.append(_CONSTANTS.get(item[1]) if item[0] == "kw" else item[1])
                if self.peek()[:2] != ("punct", "]"):
                    self.expect(",", f"expected ',' or ']' in the list opened at position {pos}")
            self.take()
            self.depth -= 1
            return ("lit", tuple(items))
        where = f" after '{after}'" if after else ""
        found = "the condition ends" if kind == "end" else f"found '{text}'"
        raise ConditionError(f"expected a value{where}, but {found}", pos)

    def expect(self, punct: str, message: str) -> None:
        tok = self.take()
        if tok[:2] != ("punct", punct):
            raise ConditionError(message, tok[2])


def _is_literal(tok: tuple[str, Any, int, str]) -> bool:
    return tok[0] in ("num", "str") or (tok[0] == "kw" and tok[1] in _CONSTANTS)


def _eval(node: Any, values: Mapping[str, object]) -> Any:
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "name":
        return values.get(node[1])
    if kind == "not":
        return not _truthy(_eval(node[1], values))
    if kind == "and":
        return all(_truthy(_eval(part, values)) for part in node[1])
    if kind == "or":
        return any(_truthy(_eval(part, values)) for part in node[1])
    _, op, left, right = node
    a, b = _eval(left, values), _eval(right, values)
    if op in ("==", "!=") and (left == ("lit", None) or right == ("lit", None)):
        return (a is None and b is None) == (op == "==")  # `x == none` / `x != none`
    if a is None or b is None:
        return False
    if op == "==":
        return _eq(a, b)
    if op == "!=":
        return not _eq(a, b)
    if op in ("in", "not in"):
        found = _contains(b, a)
        return False if found is None else found == (op == "in")
    if op == "contains":
        return bool(_contains(a, b))
    if (_is_num(a) and _is_num(b)) or (isinstance(a, str) and isinstance(b, str)):
        return bool(_ORDER[op](a, b))
    return False


def _is_num(x: object) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _eq(a: object, b: object) -> bool:
    if (isinstance(a, bool) and _is_num(b)) or (isinstance(b, bool) and _is_num(a)):
        return False  # a yes/no is not the number 1 or 0
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_eq(x, y) for x, y in zip(a, b, strict=True))
    try:
        return bool(a == b)
    except Exception:
        return False


def _contains(container: object, item: object) -> bool | None:
    """True/False for a membership test that makes sense, None for incompatible types."""
    if isinstance(container, (list, tuple, set, frozenset)):
        return any(x is not None and _eq(item, x) for x in container)
    if isinstance(container, str) and isinstance(item, str):
        return item in container
    return None


def _truthy(value: object) -> bool:
    try:
        return bool(value)
    except Exception:
        return False
