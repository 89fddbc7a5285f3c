"""Rectification items (整改项): every action any front-end takes, written once (issue 13).

Creating them where the problem is seen (a sheet's deductions marked 需整改 and its 整改事项
text, made into items when the sheet is finalized), adding one freely, the unit's report, the
re-inspection's verification, and the lists and notices that read them. Dates come from the
settable clock (base/clock.py), so "overdue" is the same in every view and in tests.
"""

from __future__ import annotations

import datetime as dt
import platform
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_kit.base import clock
from inspect_kit.base.errors import NotFound
from inspect_kit.domain.answers import Answer
from inspect_kit.domain.model import Form
from inspect_kit.domain.rectification import (
    DEADLINE_ITEM,
    TEXT_ITEM,
    Action,
    Rectification,
    RectifyError,
    change,
    checked_deadline,
    default_deadline,
    default_requirement,
    item_uuid,
    new_uuid,
    open_item,
    text_lines,
)
from inspect_kit.domain.sheet import Sheet, now_iso
from inspect_kit.intake.attachments import add_attachments, check_photo
from inspect_kit.services.outbox import publish_subject
from inspect_kit.store import rectifications as table
from inspect_kit.store.store import Store


@dataclass(frozen=True)
class Listed:
    """One item as a list shows it: the item, its unit's district, and today's view of it."""

    item: Rectification
    district: str
    overdue: bool
    days_left: int


def find_item(form: Form, item_id: str) -> Any | None:
    try:
        return form.item(item_id)
    except KeyError:
        return None


def inspected_on(doc: Mapping[str, Any]) -> str | None:
    """The inspection's date of a sheet record: the day it was started."""
    stamp = doc.get("started_at") or doc.get("finalized_at")
    return str(stamp)[:10] if stamp else None


def sheet_deadline(form: Form, answers: Mapping[str, Any], today: dt.date,
                   started: str | None) -> str:  # fmt: skip
    """The deadline a sheet's items get by default: its own 整改期限 answer when the form has one
    and it is filled, else DEFAULT_DAYS after the inspection."""
    raw = answers.get(DEADLINE_ITEM) or {}
    if find_item(form, DEADLINE_ITEM) is not None and isinstance(raw, dict) and raw.get("value"):
        try:
            return checked_deadline(str(raw["value"]))
        except RectifyError:
            pass
    return default_deadline(started, today)


def mark_defaults(sheet: Sheet, item_id: str) -> dict[str, str]:
    """What a 需整改 mark on `item_id` proposes: the item and its 扣分理由, and the deadline."""
    item = find_item(sheet.form, item_id)
    text = item.text if item is not None else item_id
    note = sheet.answer(item_id).note
    deadline = sheet_deadline(sheet.form, {k: a.to_dict() for k, a in sheet.answers.items.items()},
                              clock.today(), sheet.started_at[:10])  # fmt: skip
    return {"requirement": default_requirement(text, note), "deadline": deadline}


def set_mark(sheet: Sheet, item_id: str, deadline: str | None = None,
             requirement: str | None = None) -> dict[str, str]:  # fmt: skip
    """Mark an item 需整改 (or change its mark); the requirement left empty follows the item's
    扣分理由 until finalize. Returns the mark as stored."""
    defaults = mark_defaults(sheet, item_id)
    mark = {"deadline": checked_deadline(deadline or defaults["deadline"]),
            "requirement": (requirement or "").strip()}  # fmt: skip
    sheet.rectify[item_id] = mark
    return mark


def clear_mark(sheet: Sheet, item_id: str) -> None:
    sheet.rectify.pop(item_id, None)


def items_of_sheet(doc: Mapping[str, Any], form: Form, *, by: str,
                   today: dt.date | None = None) -> list[Rectification]:  # fmt: skip
    """The items a finalized sheet asks for: each deduction marked 需整改, then each line of
    the form's 整改事项 text that no mark already says (so nothing is typed twice). Their uuids
    follow from the sheet and item, so a repeated or amended finalize makes no second item."""
    today = today or clock.today()
    answers = doc.get("answers") or {}
    started = inspected_on(doc)
    deadline = sheet_deadline(form, answers, today, started)
    common = dict(subject=doc["subject"], subject_name=doc.get("subject_name") or "",
                  form=doc["form"], round=str(doc["round"]), sheet=doc["uuid"],
                  inspected_on=started, inspectors=[doc["rater"]] if doc.get("rater") else [],
                  by=by or doc.get("rater") or "", at=now_iso(),
                  device=doc.get("device") or platform.node())  # fmt: skip
    out: list[Rectification] = []
    for item_id, mark in (doc.get("rectify") or {}).items():
        found = find_item(form, item_id)
        text = found.text if found is not None else item_id
        note = Answer.from_dict(answers.get(item_id) or {}).note
        requirement = (mark.get("requirement") or "").strip() or default_requirement(text, note)
        out.append(open_item(uuid=item_uuid(doc["uuid"], item_id), requirement=requirement,
                             deadline=mark.get("deadline") or deadline, item=item_id,
                             item_text=text, **common))  # type: ignore[arg-type]  # fmt: skip
    said = {r.requirement for r in out}
    raw = answers.get(TEXT_ITEM) or {}
    if find_item(form, TEXT_ITEM) is not None and isinstance(raw, dict):
        for n, line in enumerate(text_lines(str(raw.get("value") or "")), start=1):
            if line in said or any(line in s for s in said):
                continue
            out.append(open_item(uuid=item_uuid(doc["uuid"], TEXT_ITEM, n), requirement=line,
                                 deadline=deadline, item=None, **common))  # type: ignore[arg-type]  # fmt: skip
    return out


class RectifyService:
    """The rectification items of one store, for every front-end; built once and shared."""

    def __init__(self, store: Store, attachments_dir: Path | None = None) -> None:
        self.store = store
        self.attachments_dir = attachments_dir or (
            store.workspace.attachments_dir if store.workspace is not None else None
        )

    # ---------------------------------------------------------------- reading

    def today(self) -> dt.date:
        return clock.today()

    def find(self, ref: str) -> Rectification:
        return table.find(self.store, ref)

    def history(self, ref: str) -> list[Rectification]:
        item = self.find(ref)
        return [Rectification.from_record(d) for d in table.history(self.store, item.uuid)]

    def listed(self, *, status: str | None = None, subject: str | None = None,
               form: str | None = None, round: str | None = None,
               sheet: str | None = None) -> list[Listed]:  # fmt: skip
        """Items by the filters, soonest deadline first (overdue ones first of all)."""
        today = self.today()
        found = []
        for item in table.items(self.store):
            if subject and item.subject != subject:
                continue
            if form and item.form != form:
                continue
            if round and item.round != round:
                continue
            if sheet and item.sheet != sheet:
                continue
            if not item.matches(status, today):
                continue
            found.append(item)
        # the roster only when there is something to show (opening a draft asks for a unit's
        # items: most have none, and a big roster costs more to read than the items)
        districts = {s.id: s.district or "" for s in self.store.subjects()} if found else {}
        out = [Listed(item, districts.get(item.subject, ""), item.overdue(today),
                      item.days_left(today)) for item in found]  # fmt: skip
        return sorted(out, key=lambda x: (not x.overdue, x.item.deadline, x.item.subject))

    def conflicts(self, item_uuid: str | None = None) -> list[dict[str, Any]]:
        """Open conflicts over items (two laptops changed one revision differently)."""
        from inspect_kit.store.conflicts import conflicts

        return [c for c in conflicts(self.store) if c.get("kind") == "rectification"
                and (item_uuid is None or c["uuid"] == item_uuid)]  # fmt: skip

    def open_for(self, subject: str) -> list[Listed]:
        """What a re-inspection of `subject` should look at: every item not yet verified."""
        return [x for x in self.listed(subject=subject) if x.item.status != "verified"]

    def sheet_lines(self, sheet_uuid: str, lang: str = "zh") -> list[str]:
        """The sheet's items as text (`results show`, the TUI's sheet detail): heading, then one
        line per item with its state, deadline and requirement."""
        from inspect_kit.i18n.catalog import tr

        colon = ":" if lang == "en" else "："
        lines = ["", f"{tr('rectify.sheet.heading', lang)}{colon}"]
        listed = self.listed(sheet=sheet_uuid)
        for x in listed:
            state = tr(f"rectify.status.{x.item.status}", lang)
            if x.overdue:
                state += f"（{tr('rectify.status.overdue', lang)}）"
            lines.append(f"  {x.item.uuid[:8]}  [{state}]  {x.item.deadline}  "
                         f"{' '.join(x.item.requirement.split())}")  # fmt: skip
        if not listed:
            lines.append(f"  {tr('rectify.sheet.none', lang)}")
        return lines

    def summary(self, items: Sequence[Listed] | None = None) -> dict[str, dict[str, int]]:
        """Per subject: open, overdue, reported, done (verified) counts."""
        out: dict[str, dict[str, int]] = {}
        for x in self.listed() if items is None else items:
            row = out.setdefault(x.item.subject, {"open": 0, "overdue": 0, "reported": 0,
                                                  "done": 0, "total": 0})  # fmt: skip
            row["total"] += 1
            if x.item.status == "verified":
                row["done"] += 1
            elif x.item.status == "reported":
                row["reported"] += 1
            else:
                row["open"] += 1
                row["overdue"] += x.overdue
        return out

    def pack_rows(self, form: str, round: str) -> list[dict[str, Any]]:
        """The meeting pack's 整改 summary: per unit with items from this form's round, the
        counts open / overdue / reported / done, most overdue first."""
        listed = self.listed(form=form, round=round)
        names = {x.item.subject: x.item.subject_name or x.item.subject for x in listed}
        rows = [{"subject": s, "name": names[s], **c} for s, c in self.summary(listed).items()]
        return sorted(rows, key=lambda r: (-r["overdue"], -r["open"], r["subject"]))

    # ---------------------------------------------------------------- writing

    def add(self, *, subject: str, requirement: str, deadline: str | None, by: str,
            responsible: str = "", sheet: str | None = None, item: str | None = None,
            note: str = "") -> Rectification:  # fmt: skip
        """One item added by hand: for a subject, optionally tied to a sheet and its item."""
        found = self.store.subject(subject)
        if found is None:
            raise NotFound(code="rectify.no_such_subject", subject=subject)
        extra: dict[str, Any] = {}
        if sheet:
            doc = self.store.submission(sheet)
            if doc["subject"] != subject:
                raise RectifyError(code="rectify.sheet_other_subject", sheet=doc["uuid"][:8])
            form = self.store.stored_form(doc["form_sha256"])
            text = ""
            if item:
                hit = find_item(form, item)
                if hit is None:
                    raise RectifyError(code="rectify.no_such_item", item=item, form=doc["form"])
                text = hit.text
            extra = dict(form=doc["form"], round=str(doc["round"]), sheet=doc["uuid"],
                         item=item, item_text=text, inspected_on=inspected_on(doc),
                         inspectors=[doc["rater"]])  # fmt: skip
            if not deadline:
                deadline = sheet_deadline(form, doc.get("answers") or {}, self.today(),
                                          inspected_on(doc))  # fmt: skip
        elif item:
            raise RectifyError(code="rectify.item_needs_sheet")
        made = open_item(uuid=new_uuid(), subject=subject, subject_name=found.name,
                         requirement=requirement,
                         deadline=deadline or default_deadline(None, self.today()),
                         responsible=responsible, by=by, at=now_iso(), device=platform.node(),
                         note=note, **extra)  # fmt: skip
        table.save(self.store, [made])
        publish_subject(self.store, made.subject, made.sheet)  # the sync outbox, once set up
        return made

    def from_sheet(self, doc: Mapping[str, Any], *, by: str = "") -> list[Rectification]:
        """Make the items a just-finalized sheet asks for (see items_of_sheet); the ones already
        made (an amended sheet finalized again) are left as they are. Returns the new ones."""
        form = self.store.stored_form(doc["form_sha256"])
        wanted = items_of_sheet(doc, form, by=by)
        have = {d["uuid"] for d in table.records(self.store)}
        new = [r for r in wanted if r.uuid not in have]
        if new:
            table.save(self.store, new)
        return new

    def _photos(self, item: Rectification, photos: Sequence[str]) -> list[str]:
        if not photos:
            return []
        if self.attachments_dir is None:
            raise RectifyError(code="rectify.photos_need_workspace")
        paths = [check_photo(p) for p in photos]
        return add_attachments(self.attachments_dir, item.uuid, paths, item.photos)

    def _change(self, ref: str, action: Action, *, by: str, note: str = "",
                photos: Sequence[str] = (),
                edits: Mapping[str, str] | None = None) -> Rectification:  # fmt: skip
        item = self.find(ref)
        change(
            item,
            action,
            by=by,
            at=now_iso(),
            note=note,
            photos=["-"] if photos else (),
            edits=edits,
        )  # fmt: skip  (checked before any photo is copied)
        names = self._photos(item, photos)
        new = change(item, action, by=by, at=now_iso(), device=platform.node(), note=note,
                     photos=names, edits=edits)  # fmt: skip
        table.save(self.store, [new])
        publish_subject(self.store, new.subject, new.sheet)  # the sync outbox, once set up
        return new

    def report(self, ref: str, *, by: str, note: str = "",
               photos: Sequence[str] = ()) -> Rectification:  # fmt: skip
        """The unit reports the fix done (整改完成，待复查)."""
        return self._change(ref, "reported", by=by, note=note, photos=photos)

    def note(self, ref: str, *, by: str, note: str = "",
             photos: Sequence[str] = ()) -> Rectification:  # fmt: skip
        return self._change(ref, "noted", by=by, note=note, photos=photos)

    def edit(self, ref: str, *, by: str, note: str = "", **edits: str) -> Rectification:
        return self._change(ref, "edited", by=by, note=note,
                            edits={k: v for k, v in edits.items() if v is not None})  # fmt: skip

    def verify(self, ref: str, *, passed: bool, by: str, note: str = "",
               photos: Sequence[str] = ()) -> Rectification:  # fmt: skip
        """The re-inspection's verdict: verified, or failed (open again, with what is wrong)."""
        return self._change(ref, "verified" if passed else "failed", by=by, note=note,
                            photos=photos)  # fmt: skip
