"""Raw-value helpers shared by the item types: numbers, lists, yes/no words, "has a value".

Below item_types.py and answers.py, so both use them without an import cycle.
"""

from __future__ import annotations

import math
import re
from typing import Any

from inspect_kit.base.errors import AnswerError
from inspect_kit.domain.model import YesNoItem

EPS = 1e-9
MAX_TEXT = 5000
_LIST_SPLIT = re.compile(r"\s*[,;，；、]\s*")
_TRUE = {"true", "yes", "y", "1", "是", "有", "符合", "√"}
_FALSE = {"false", "no", "n", "0", "否", "无", "不符合", "×"}


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
