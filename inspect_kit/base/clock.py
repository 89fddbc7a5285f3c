"""Today's date, settable for tests and demos (issue 13, item 9).

Why: "overdue" depends on the date; tests and demo runs set it instead of waiting. The order:
a date set in this process (`set_today`), else `INSPECT_KIT_TODAY` (YYYY-MM-DD), else the
computer's own date. Only day-granular questions (deadlines) read this clock; timestamps of
events stay the real time.
"""

from __future__ import annotations

import datetime as dt
import os

from inspect_kit.base.errors import InspectKitError

ENV = "INSPECT_KIT_TODAY"
_fixed: dt.date | None = None


def set_today(day: dt.date | str | None) -> None:
    """Fix today's date for this process (None: back to the env var or the real date)."""
    global _fixed
    _fixed = parse_day(day) if isinstance(day, str) else day


def today() -> dt.date:
    if _fixed is not None:
        return _fixed
    raw = os.environ.get(ENV, "").strip()
    if raw:
        return parse_day(raw, source=ENV)
    return dt.date.today()


def parse_day(text: str, *, source: str = "") -> dt.date:
    """A YYYY-MM-DD date; a typed error naming where it came from otherwise."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InspectKitError(code="clock.bad_date", source=source or "", text=text) from None
