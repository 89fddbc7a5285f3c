"""`rectify notice`: the 整改通知书 for one unit on A4 (`typst/notice.typ`), with a tear-off
reply slip (回执) the unit fills in and returns: each item's requirement and deadline, the
inspection's date and inspectors, signature lines. Data only: the items are the store's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from inspect_kit.domain.rectification import Rectification
from inspect_kit.pack.engine import typeset, write_pdf

SHORT = 60
"""Characters of a requirement repeated on the slip (the notice above has it whole)."""


def _day(iso: str | None) -> str:
    if not iso:
        return ""
    d = dt.date.fromisoformat(iso[:10])
    return f"{d.year}年{d.month}月{d.day}日"


def notice_data(items: Sequence[Rectification], unit: str, organizer: str,
                today: dt.date) -> dict[str, Any]:  # fmt: skip
    dates = sorted({i.inspected_on for i in items if i.inspected_on})
    inspectors = sorted({name for i in items for name in i.inspectors})
    rounds = sorted({i.round for i in items if i.round})
    shown = "、".join(_day(x) for x in dates) or "—"
    head = [("检查日期", shown), ("检查人员", "、".join(inspectors) or "—")]
    if rounds:
        head.append(("检查轮次", "、".join(rounds)))
    responsible = sorted({i.responsible for i in items if i.responsible})
    if responsible:
        head.append(("责任人", "、".join(responsible)))
    return {
        "unit": unit,
        "number": "",
        "intro": (
            f"根据{shown}对你单位的检查，现将发现的问题及整改要求通知如下，"
            "请认真组织整改，在期限内完成，并将整改情况书面报告（填写下方回执）。"
        ),
        "head": head,
        "items": [
            {
                "requirement": i.requirement,
                "short": i.requirement if len(i.requirement) <= SHORT
                else i.requirement[:SHORT] + "…",
                "source": i.item_text,
                "deadline": i.deadline,
                "overdue": i.overdue(today),
            }
            for i in items
        ],
        "closing": "逾期未完成整改或复查不合格的，将在年度检查结果中予以说明。",
        "organizer": organizer or "（检查单位）",
        "date": _day(today.isoformat()),
    }  # fmt: skip


def write_notice(out: Path, items: Sequence[Rectification], unit: str, organizer: str, *,
                 today: dt.date) -> Path:  # fmt: skip
    write_pdf(out, typeset("notice", notice_data(items, unit, organizer, today)))
    return out
