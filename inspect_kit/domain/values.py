"""Raw-value helpers shared by the item types: numbers, whole numbers, dates, lists, yes/no
words, "has a value". One parser per kind, so the TUI, the plain prompts and answer files accept
and refuse the same text with the same words.

Below item_types.py and answers.py, so both use them without an import cycle.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

from inspect_kit.base.errors import AnswerError
from inspect_kit.domain.model import YesNoItem

EPS = 1e-9
MAX_TEXT = 5000
_LIST_SPLIT = re.compile(r"\s*[,;，；、]\s*")
_TRUE = {"true", "yes", "y", "1", "是", "有", "符合", "√"}
_FALSE = {"false", "no", "n", "0", "否", "无", "不符合", "×"}
_DAYS_BACK = {"今天": 0, "today": 0, "昨天": 1, "yesterday": 1}
# 2026-05-20, 2026-5-20, 2026/5/20, 2026.5.20, 2026年5月20日 (日 or 号 optional), 5月20日
_SEP_DATE = re.compile(r"^(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})$")
_ZH_DATE = re.compile(r"^(?:(\d{4})\s*年)?\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")


def has_value(value: Any) -> bool:
    """False for None and empty text; an empty list is a value (e.g. no defects found)."""
    if value is None:
        return False
    if isinstance(value, str | list | tuple):
        return len(value) > 0 or isinstance(value, list | tuple)
    return True


def number(raw: Any, what: str, what_en: str) -> float:
    """A finite number from `raw`; `what` names it in the error ("得分", "the score")."""
    if isinstance(raw, bool):
        raise AnswerError(code="answer.number_needed", what=what, what_en=what_en)
    try:
        value = float(str(raw).strip()) if not isinstance(raw, int | float) else float(raw)
    except ValueError:
        raise AnswerError(code="answer.not_a_number", raw=raw, what=what, what_en=what_en) from None
    if math.isnan(value) or math.isinf(value):
        raise AnswerError(code="answer.not_finite", what=what, what_en=what_en)
    return value


def whole_number(raw: Any) -> int:
    """A whole number: 9, "9", "9.0" (which is 9); "9.5" is refused, never read as 95 or 9."""
    value = number(raw, "此项", "this item")
    if value != int(value):
        raise AnswerError(code="answer.whole_number", raw=_shown(raw))
    return int(value)


def _shown(raw: Any) -> str:
    return f"{raw:g}" if isinstance(raw, float) else str(raw).strip()


def parse_date(raw: Any, today: dt.date | None = None) -> dt.date:
    """A date from a date object, 今天/昨天 (today/yesterday), 2026-05-20, 2026/5/20,
    2026年5月20日 or 5月20日 (this year); full-width digits count. `today` is for tests."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    today = today or dt.date.today()
    if text.lower() in _DAYS_BACK:
        return today - dt.timedelta(days=_DAYS_BACK[text.lower()])
    if sep := _SEP_DATE.match(text):
        year, month, day = int(sep[1]), int(sep[3]), int(sep[4])
    elif zh := _ZH_DATE.match(text):
        year, month, day = int(zh[1] or today.year), int(zh[2]), int(zh[3])
    else:
        raise AnswerError(code="answer.not_a_date", raw=text)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise AnswerError(code="answer.no_such_day", raw=text) from None


def as_list(raw: Any) -> list[str]:
    """A list of strings from a list or a text split on , ; 、 (either width)."""
    if isinstance(raw, str):
        return [p for p in _LIST_SPLIT.split(raw.strip()) if p]
    if isinstance(raw, list | tuple):
        return [str(p).strip() for p in raw]
    raise AnswerError(code="answer.list_needed")


def parse_yesno(item: YesNoItem, raw: Any) -> bool:
    """A yes/no from a bool, the item's own labels or a common yes/no word."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip()
    if text == item.labels[0]:
        return True
    if text == item.labels[1]:
        return False
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise AnswerError(code="answer.yesno", yes=item.labels[0], no=item.labels[1], raw=raw)
