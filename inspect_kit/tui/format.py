"""Small text formats the screens share (times shown in lists and the status line)."""

from __future__ import annotations


def short_time(iso: str | None) -> str:
    """'2026-05-01T14:03:22+08:00' → '05-01 14:03'."""
    return f"{iso[5:10]} {iso[11:16]}" if iso and len(iso) >= 16 else ""


def saved_clock(saved_at: str | None) -> str:
    """'2026-05-01T14:03:22+08:00' → '14:03:22'."""
    return saved_at[11:19] if saved_at and len(saved_at) >= 19 else ""
