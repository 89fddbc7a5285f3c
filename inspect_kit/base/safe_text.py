"""Text from the data made safe for a terminal: the one sanitiser every output path uses.

Names, notes and rater names come from bundles, databases, CSV rosters and the command line, so
they may carry terminal control sequences: an OSC that sets the window title or writes a
hyperlink, a CSI that clears the screen or moves the cursor, a carriage return or backspaces
that paint over what was printed before. `safe_text` drops every escape sequence whole and
shows each other control character (C0, DEL, C1, bidirectional overrides) as U+FFFD, so a
tampered name is visibly odd instead of silently rewriting the screen.

Markup (`[bold]`, `[link=…]`) is not a terminal danger; the full-screen app shows data as
plain text (see tui/user_text.py).
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"

# Escape sequences, 7-bit and 8-bit: OSC/DCS/SOS/PM/APC strings up to BEL or ST (or the end),
# CSI with its parameters, and the two-character ESC forms.
_SEQUENCE = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"
)
# What is left to neutralise: C0 but tab and newline, DEL, C1, and the bidi controls that
# reorder what is shown (a name that reads differently from what it is).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe_text(value: object, *, multiline: bool = False) -> str:
    """`value` as text that cannot drive the terminal.

    Tabs become spaces; newlines stay when `multiline` (a note printed under its item), and
    otherwise become spaces so one record stays on one line of a listing."""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():  # the common case: nothing to do
        return text
    text = _SEQUENCE.sub(REPLACEMENT, text)
    text = text.replace("\r\n", "\n").replace("\t", " ")
    if not multiline:
        text = text.replace("\n", " ")
    return _CONTROL.sub(REPLACEMENT, text)


def safe_lines(text: str) -> str:
    """A block of several lines (a sheet, a report) made safe, keeping its line breaks."""
    return safe_text(text, multiline=True)


def safe_fields(row: dict[str, object]) -> dict[str, object]:
    """A copy of a flat record (an index row, a roster entry) with every string made safe."""
    return {k: safe_text(v) if isinstance(v, str) else v for k, v in row.items()}


_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe_json(text: str) -> str:
    """JSON text (from json.dumps, which already escapes C0) with DEL, C1 and bidi controls
    written as \\u escapes too: the same data once parsed, harmless on a terminal."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
