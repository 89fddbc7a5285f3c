"""Display width of mixed Chinese/Latin text: padding, truncating and wrapping by columns.

A CJK character takes two columns in a terminal and about two Latin letters' width in a chart,
so tables and chart labels measure text with `width`, not `len`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

ELLIPSIS = "…"
NO_LINE_START = set("，。、；：？！）》」』】,.;:?!)%")
"""Closing punctuation stays at the end of the line before (may overhang by one character)."""


@lru_cache(maxsize=8192)
def char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    if text.isascii():
        return len(text)  # char_width is 1 for every ASCII character
    return sum(map(char_width, text))


def truncate(text: str, columns: int) -> str:
    """Cut to at most `columns`, ending with … when something was cut."""
    if width(text) <= columns:
        return text
    out, used = [], 0
    for char in text:
        w = char_width(char)
        if used + w > columns - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + ELLIPSIS


def pad(text: str, columns: int, align: str = "<") -> str:
    """Pad (or truncate) to exactly `columns`; align '<', '>' or '^'."""
    text = truncate(text, columns)
    gap = columns - width(text)
    if align == ">":
        return " " * gap + text
    if align == "^":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


def wrap(text: str, columns: int, max_lines: int | None = None) -> list[str]:
    """Break into lines of at most `columns`; Latin words are kept whole where they fit.

    With max_lines, the last kept line ends with … when text was left out.
    """
    lines: list[str] = []
    for paragraph in str(text).splitlines() or [""]:
        line, used = "", 0
        tokens = _tokens(paragraph)
        for token in tokens:
            w = width(token)
            if used + w > columns and line and not (token in NO_LINE_START and used < columns + 2):
                lines.append(line.rstrip())
                line, used = "", 0
                if token == " ":
                    continue
            while w > columns:  # a token longer than a line: split it
                head = truncate(token, columns + 1)[:-1] or token[0]
                lines.append(head)
                token = token[len(head) :]
                w = width(token)
            line += token
            used += w
        lines.append(line.rstrip())
    if max_lines is not None and len(lines) > max_lines:
        kept = lines[:max_lines]
        kept[-1] = truncate(kept[-1] + "  ", columns)[:-1].rstrip() + ELLIPSIS
        return kept
    return lines


def _tokens(text: str) -> list[str]:
    """Latin words (and numbers) stay together; every CJK character and space is its own token."""
    tokens: list[str] = []
    word = ""
    for char in text:
        if char_width(char) == 1 and not char.isspace():
            word += char
            continue
        if word:
            tokens.append(word)
            word = ""
        tokens.append(char)
    if word:
        tokens.append(word)
    return tokens
