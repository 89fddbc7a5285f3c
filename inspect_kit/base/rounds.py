"""The one rule for a round (README "Rounds"): a year, or a year and its half.

    2026            the yearly round
    2026-1, 2026-2  the first / second half of 2026 (also typed 2026上半年 / 2026下半年)

Input is read leniently (full-width digits, 年, spaces) and stored in one spelling, so
"2026上半年" and "2026-1" are the same round and sort by year. Anything else (a name typed
into the round field, 2026/27, abc) is refused wherever a round enters the kit. Rounds already
stored are data and are never rewritten; a filter may still name one of them exactly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from inspect_kit.base.errors import InspectKitError

YEARS = range(1900, 2100)
"""Years a round may name: four digits, 19xx or 20xx."""

_HALVES = {"上半年": "1", "下半年": "2"}
_PATTERN = re.compile(r"^(\d{4})年?(?:-0?([12])|(上半年|下半年))?$")


class RoundError(InspectKitError):
    """A round that does not follow the rule, or a filter naming a round without data."""


def normalize_round(raw: object) -> str | None:
    """The stored spelling of `raw` (e.g. "2026", "2026-1"), or None when it breaks the rule."""
    text = unicodedata.normalize("NFKC", str(raw if raw is not None else ""))
    text = re.sub(r"\s+", "", text).replace("—", "-").replace("–", "-")
    found = _PATTERN.match(text)
    if found is None or int(found.group(1)) not in YEARS:
        return None
    year, term, half = found.groups()
    if half:
        term = _HALVES[half]
    return f"{year}-{term}" if term else year


def parse_round(raw: object) -> str:
    """The stored spelling of a round typed by a person; RoundError (round.bad_format) if not."""
    value = normalize_round(raw)
    if value is None:
        raise RoundError(code="round.bad_format", raw=str(raw if raw is not None else "").strip())
    return value


def check_round_filter(raw: str, rounds_with_data: Iterable[str]) -> str:
    """The round a filter names, when it has data; else RoundError listing the rounds that do.

    A stored round is matched as written first, so data kept from before the rule still opens.
    """
    known = list(dict.fromkeys(str(r) for r in rounds_with_data))
    if raw in known:
        return raw
    value = normalize_round(raw)
    if value is not None and value in known:
        return value
    listed = "、".join(known) if known else ""
    listed_en = ", ".join(known) if known else ""
    if value is None:
        raise RoundError(code="round.bad_filter", raw=raw, rounds=listed or "—",
                         rounds_en=listed_en or "none")  # fmt: skip
    raise RoundError(code="round.no_data", round=value, rounds=listed or "—",
                     rounds_en=listed_en or "none")  # fmt: skip
