"""The timestamps records carry, apart from the record model: the store stamps rows and events
without importing the form model (pydantic), which list screens never need."""

from __future__ import annotations

import datetime as dt


def now_iso() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")
