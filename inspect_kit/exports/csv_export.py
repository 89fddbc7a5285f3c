"""CSV export: one row per sheet, opened correctly by Excel on Chinese Windows.

UTF-8 with a BOM (Excel otherwise reads the file as GBK and garbles it) and CRLF line ends
(ecosystem.md §6). Text cells that a spreadsheet would run as a formula (leading = + - @, tab or
CR) get a leading single quote (OWASP CSV injection); numbers are written as numbers, so a real
negative figure stays a number.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from inspect_kit.domain.model import Form
from inspect_kit.exports.table import Cell, Labels, rows

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Prefix a quote to text that a spreadsheet would treat as a formula."""
    return "'" + text if text.startswith(DANGEROUS_START) else text


def unneutralise(text: str) -> str:
    """Undo `neutralise` when reading one of our CSV files back (e.g. `results import-sheets`)."""
    if text.startswith("'") and text[1:].startswith(DANGEROUS_START):
        return text[1:]
    return text


def csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return neutralise(str(value))


def write_csv(
    path: Path,
    records: Sequence[Mapping[str, Any]],
    forms: Mapping[str, Form],
    labels: Labels = "zh",
) -> int:
    """Write the sheets to `path`; returns the number of rows written (without the header)."""
    cols, cells = rows(records, forms, labels)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow([neutralise(c.header) for c in cols])
        for row in cells:
            writer.writerow([csv_cell(row.get(c.key)) for c in cols])
    return len(cells)
