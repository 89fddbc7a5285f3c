"""How the pack's documents write numbers and times (no drawing imported: a sheet record
should not load matplotlib)."""

from __future__ import annotations


def num(value: float) -> str:
    return f"{value:g}"


def when(iso: str | None) -> str:
    """An ISO timestamp as `2026-09-08 14:03` (the stored text, shortened, never converted)."""
    return (iso or "")[:16].replace("T", " ")
