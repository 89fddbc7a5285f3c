"""Answers applied to a sheet from outside a full-screen UI (plain prompts, answer files, typed-up
CSV sheets), so a value means the same however it was entered. Every problem is collected as a
`Located` line; nothing is applied while any remains.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspect_kit.base.errors import AnswerError, InspectKitError, Located
from inspect_kit.domain.answers import Answer
from inspect_kit.domain.model import (
    DeductItem,
    Item,
    NoteItem,
    PhotoItem,
)
from inspect_kit.domain.sheet import Sheet
from inspect_kit.intake.attachments import attachment_names, check_photo

NA_WORDS = {"na", "n/a", "不适用", "/"}


class AnswerFileError(InspectKitError):
    """An answer file or typed-up CSV that cannot be stored; lists every problem found."""

    def __init__(self, problems: list[Located], hint: str = ""):
        self.problems = problems
        lines = [str(p) for p in problems]
        if hint:
            lines.append(hint)
        super().__init__("\n".join(lines))


def set_answer(sheet: Sheet, item: Item, raw: Any) -> Answer:
    """`Sheet.set_value`, also taking an empty list as "no defect found" for a counted deduct."""
    if (
        isinstance(item, DeductItem)
        and not item.defects
        and isinstance(raw, list | tuple)
        and not raw
    ):
        raw = 0
    return sheet.set_value(item.id, raw)


def deduction(sheet: Sheet, item_id: str) -> float:
    """Points the item loses as a deduction (needing 扣分理由); a bonus not earned is none."""
    if sheet.form.section_of(item_id).bonus:
        return 0.0
    item_score = sheet.score().items.get(item_id)
    return item_score.lost if item_score and item_score.points is not None else 0.0


# ---------------------------------------------------------------- entries


@dataclass
class Entry:
    """One item's raw answer from a file or a CSV row."""

    value: Any = None
    na: bool = False
    note: str | None = None
    line: int | None = None
    where: str = ""


@dataclass
class VetoEntry:
    fired: bool | None
    note: str = ""
    line: int | None = None
    where: str = ""


@dataclass
class Applied:
    """The outcome of applying entries to a sheet: problems, photos to copy, dropped answers."""

    problems: list[Located] = field(default_factory=list)
    photos: list[tuple[Path, str]] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def apply_entries(
    sheet: Sheet,
    entries: Mapping[str, Entry],
    vetoes: Mapping[str, VetoEntry],
    *,
    path: str,
    base: Path | None = None,
    complete: bool = True,
    line: int | None = None,
) -> Applied:
    """Apply entries in form order (so `show_if` sees the answers it depends on).

    With `complete`, also report what blocks finalizing: required items unanswered and
    deductions without a note when the form requires one.
    """
    form = sheet.form
    out = Applied()
    item_ids = {item.id for _, item in form.iter_items()}
    veto_ids = [v.id for v in form.vetoes]

    def problem(entry: Entry | VetoEntry | None, where: str, message: str) -> None:
        at = entry.line if entry and entry.line else line
        out.problems.append(
            Located(path, at, entry.where if entry and entry.where else where, message)
        )

    for item_id, entry in entries.items():
        if item_id not in item_ids:
            problem(
                entry,
                item_id,
                f"表单 {form.form} 没有题目 {item_id}" + did_you_mean(item_id, item_ids),
            )
    for veto_id, veto_entry in vetoes.items():
        if veto_id not in veto_ids:
            problem(
                veto_entry,
                veto_id,
                f"表单 {form.form} 没有否决项 {veto_id}" + did_you_mean(veto_id, veto_ids),
            )

    taken: set[str] = set()
    for _, item in form.iter_items():
        given = entries.get(item.id)
        if given is None:
            continue
        try:
            _apply_one(sheet, item, given, base, out, taken)
        except AnswerError as exc:
            problem(given, item.id, str(exc))
    for veto in form.vetoes:
        ventry = vetoes.get(veto.id)
        if ventry is not None and ventry.fired is not None:
            sheet.set_veto(veto.id, ventry.fired, ventry.note)

    visible = sheet.visible()
    for item_id, entry in entries.items():
        if item_id in item_ids and item_id not in visible and _entry_has_answer(entry):
            out.dropped.append(item_id)
    if complete and not out.problems:
        record = sheet.score()
        for item_id in record.unanswered:
            if item_id in veto_ids:
                problem(
                    vetoes.get(item_id), item_id, "否决项未回答（在 vetoes 中写 true 或 false）"
                )
            else:
                problem(entries.get(item_id), item_id, "必答项未回答")
        for item_id in record.missing_notes:
            lost = record.items[item_id].lost
            problem(entries.get(item_id), item_id, f"扣了 {lost:g} 分，需要写扣分理由（note）")
    return out


def _entry_has_answer(entry: Entry) -> bool:
    return entry.na or entry.value not in (None, "", [])


def _apply_one(
    sheet: Sheet, item: Item, entry: Entry, base: Path | None, out: Applied, taken: set[str]
) -> None:
    if isinstance(item, NoteItem):
        if _entry_has_answer(entry):
            raise AnswerError("说明文字不需要回答")
        return
    if entry.na:
        if entry.value not in (None, "", []):
            raise AnswerError("同时给了值和 na: true；只能二选一")
        sheet.set_na(item.id, True)
    elif isinstance(item, PhotoItem) and entry.value not in (None, "", []):
        raw = (
            entry.value if isinstance(entry.value, list) else re.split(r"[;；\n]", str(entry.value))
        )
        sources = [check_photo(str(p), base) for p in raw if str(p).strip()]
        names = attachment_names(sources, taken)
        taken.update(names)
        sheet.set_attachments(item.id, names)
        out.photos.extend(zip(sources, names, strict=True))
    else:
        set_answer(sheet, item, entry.value)
    if entry.note is not None and str(entry.note).strip():
        sheet.set_note(item.id, str(entry.note))


def did_you_mean(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.75)
    return f"（是不是 {close[0]}？）" if close else ""


# ---------------------------------------------------------------- answer files
