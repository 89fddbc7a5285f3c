"""Rectification items (整改项): what a unit must fix by when, and its way to verified.

Pure: no IO. An item is a record like a sheet: a uuid and a revision; every change makes the
next revision (`supersedes`) carrying the whole `log` of changes (who, when, what, note,
photos), so the newest revision alone tells the history and two laptops that change the same
revision differently meet as a conflict on (uuid, revision), never as a silent overwrite.

States: open → reported (the unit says it is fixed) → verified (an inspector confirmed it), or
a failed verification → open again. A re-inspection may also verify an open item directly.
Overdue: open with its deadline before today (a reported item awaits its check, it is not late).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid as uuidlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from inspect_kit.base.bundle_format import safe_id
from inspect_kit.base.errors import InspectKitError

Status = Literal["open", "reported", "verified"]
STATUSES: tuple[Status, ...] = ("open", "reported", "verified")
Action = Literal["opened", "edited", "noted", "reported", "verified", "failed"]
FILTERS = ("open", "overdue", "reported", "done")
"""`rectify list --status`: done = verified; open includes overdue ones."""
DEFAULT_DAYS = 30
"""A deadline not given: this many days after the inspection."""
MAX_TEXT = 2000
TEXT_ITEM = "rectify-items"
"""The built-in forms' 整改事项 text item: each of its lines is an item (no double entry)."""
DEADLINE_ITEM = "rectify-deadline"
"""The built-in forms' 整改期限 date item: the deadline of the items the sheet creates."""
_NAMESPACE = uuidlib.UUID("6f1c2b0e-3d4a-4f5b-9c6d-7e8f90a1b2c3")


class RectifyError(InspectKitError):
    """A change a rectification item cannot take (wrong state, empty text, bad date)."""


@dataclass(frozen=True)
class LogEntry:
    """One change of an item: what, by whom, when, with which note and photos."""

    revision: int
    action: Action
    at: str
    by: str
    status: Status
    note: str = ""
    photos: tuple[str, ...] = ()
    """Names relative to results/attachments/<item uuid>/."""
    changes: Mapping[str, Any] = field(default_factory=dict)
    """Fields an edit changed, with their new values."""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "revision": self.revision, "action": self.action, "at": self.at, "by": self.by,
            "status": self.status, "note": self.note,
        }  # fmt: skip
        if self.photos:
            data["photos"] = list(self.photos)
        if self.changes:
            data["changes"] = dict(self.changes)
        return data

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> LogEntry:
        return cls(revision=int(d["revision"]), action=d["action"], at=str(d["at"]),
                   by=str(d.get("by") or ""), status=d["status"], note=str(d.get("note") or ""),
                   photos=tuple(d.get("photos") or ()),
                   changes=dict(d.get("changes") or {}))  # fmt: skip


@dataclass(frozen=True)
class Rectification:
    """One 整改项 at one revision."""

    uuid: str
    subject: str
    requirement: str
    """What must be done (整改要求)."""
    deadline: str
    """ISO date (整改期限)."""
    revision: int = 1
    supersedes: int | None = None
    subject_name: str = ""
    responsible: str = ""
    """The person or unit answerable for the fix (责任人/责任单位)."""
    status: Status = "open"
    form: str | None = None
    round: str | None = None
    sheet: str | None = None
    """The sheet that found the problem (uuid), when there is one."""
    item: str | None = None
    """The form item it came from (id), when there is one."""
    item_text: str = ""
    inspected_on: str | None = None
    """The inspection's date (ISO), for the notice."""
    inspectors: tuple[str, ...] = ()
    device: str = ""
    log: tuple[LogEntry, ...] = ()

    # ---------------------------------------------------------------- reading

    @property
    def created(self) -> LogEntry:
        return self.log[0]

    @property
    def last(self) -> LogEntry:
        return self.log[-1]

    @property
    def photos(self) -> tuple[str, ...]:
        return tuple(p for e in self.log for p in e.photos)

    @property
    def failures(self) -> int:
        return sum(1 for e in self.log if e.action == "failed")

    def deadline_date(self) -> dt.date:
        return dt.date.fromisoformat(self.deadline)

    def overdue(self, today: dt.date) -> bool:
        return self.status == "open" and self.deadline_date() < today

    def days_left(self, today: dt.date) -> int:
        return (self.deadline_date() - today).days

    def matches(self, status: str | None, today: dt.date) -> bool:
        """The `rectify list --status` filter (see FILTERS)."""
        if status is None:
            return True
        if status == "overdue":
            return self.overdue(today)
        if status == "done":
            return self.status == "verified"
        return self.status == status

    # ---------------------------------------------------------------- records

    def to_record(self) -> dict[str, Any]:
        return {
            "uuid": self.uuid, "revision": self.revision, "supersedes": self.supersedes,
            "subject": self.subject, "subject_name": self.subject_name,
            "requirement": self.requirement, "deadline": self.deadline,
            "responsible": self.responsible, "status": self.status, "form": self.form,
            "round": self.round, "sheet": self.sheet, "item": self.item,
            "item_text": self.item_text, "inspected_on": self.inspected_on,
            "inspectors": list(self.inspectors), "device": self.device,
            "log": [e.to_dict() for e in self.log],
        }  # fmt: skip

    @classmethod
    def from_record(cls, d: Mapping[str, Any]) -> Rectification:
        return cls(
            uuid=d["uuid"], revision=d["revision"], supersedes=d.get("supersedes"),
            subject=d["subject"], subject_name=str(d.get("subject_name") or ""),
            requirement=d["requirement"], deadline=d["deadline"],
            responsible=str(d.get("responsible") or ""), status=d["status"],
            form=d.get("form"), round=d.get("round"), sheet=d.get("sheet"), item=d.get("item"),
            item_text=str(d.get("item_text") or ""), inspected_on=d.get("inspected_on"),
            inspectors=tuple(d.get("inspectors") or ()), device=str(d.get("device") or ""),
            log=tuple(LogEntry.from_dict(e) for e in d.get("log") or ()),
        )  # fmt: skip


def record_problem(doc: Any) -> str | None:
    """Why a stored or incoming item record cannot be used (naming the field), or None."""
    if not isinstance(doc, dict):
        return "不是 JSON 对象"
    for name in ("uuid", "subject", "requirement", "deadline", "status"):
        if not isinstance(doc.get(name), str) or not doc[name]:
            return f"字段 {name} 缺少或类型不对"
    if not safe_id(doc["uuid"]):
        return f"编号 uuid 无效（{doc['uuid'][:40]!r}）"
    if type(doc.get("revision")) is not int or doc["revision"] < 1:
        return "字段 revision 无效"
    if doc["status"] not in STATUSES:
        return f"字段 status 无效（{doc['status']!r:.20}）"
    try:
        dt.date.fromisoformat(doc["deadline"])
    except ValueError:
        return f"字段 deadline 不是日期（{doc['deadline']!r:.20}）"
    log = doc.get("log")
    if not isinstance(log, list) or not log:
        return "字段 log 缺少或类型不对"
    for entry in log:
        if not isinstance(entry, dict) or entry.get("action") not in ACTIONS:
            return "字段 log 中有记录格式不对"
        if not all(isinstance(entry.get(k), str) for k in ("at", "status")):
            return "字段 log 中有记录格式不对"
    if log[-1].get("revision") != doc["revision"]:
        return "字段 log 与 revision 不符"
    return None


ACTIONS: tuple[Action, ...] = ("opened", "edited", "noted", "reported", "verified", "failed")


# -------------------------------------------------------------------- making and changing


def item_uuid(sheet_uuid: str, item_id: str, line: int = 0) -> str:
    """The same uuid for the same sheet's same item on every laptop, so finalizing again (an
    amended revision) or twice never makes a second item."""
    return str(uuidlib.uuid5(_NAMESPACE, f"{sheet_uuid}/{item_id}/{line}"))


def new_uuid() -> str:
    return str(uuidlib.uuid4())


def checked_text(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise RectifyError(code="rectify.empty_text", what=what)
    if len(text) > MAX_TEXT:
        raise RectifyError(code="rectify.text_too_long", what=what, max=MAX_TEXT)
    return text


def checked_deadline(value: str | dt.date) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise RectifyError(code="rectify.bad_deadline", value=str(value)) from None


def default_deadline(inspected_on: str | None, today: dt.date) -> str:
    """DEFAULT_DAYS after the inspection (or after today when its date is unknown)."""
    start = today
    if inspected_on:
        with contextlib.suppress(ValueError):
            start = dt.date.fromisoformat(inspected_on[:10])
    return (start + dt.timedelta(days=DEFAULT_DAYS)).isoformat()


def default_requirement(item_text: str, note: str) -> str:
    """The item and its 扣分理由: what the inspector wrote is what must be fixed."""
    note = (note or "").strip()
    return f"{item_text}：{note}" if note else item_text


def open_item(*, uuid: str, subject: str, requirement: str, deadline: str | dt.date, by: str,
              at: str, subject_name: str = "", responsible: str = "", form: str | None = None,
              round: str | None = None, sheet: str | None = None, item: str | None = None,
              item_text: str = "", inspected_on: str | None = None,
              inspectors: Sequence[str] = (), device: str = "",
              note: str = "") -> Rectification:  # fmt: skip
    """A new open item (revision 1)."""
    if not subject:
        raise RectifyError(code="rectify.no_subject")
    return Rectification(
        uuid=uuid, subject=subject, requirement=checked_text(requirement, "requirement"),
        deadline=checked_deadline(deadline), subject_name=subject_name,
        responsible=(responsible or "").strip(), form=form, round=round, sheet=sheet,
        item=item, item_text=item_text, inspected_on=inspected_on,
        inspectors=tuple(inspectors), device=device,
        log=(LogEntry(1, "opened", at, by, "open", (note or "").strip()),),
    )  # fmt: skip


# Which actions each state takes (the state machine, in one place).
ALLOWED: dict[Status, tuple[Action, ...]] = {
    "open": ("edited", "noted", "reported", "verified", "failed"),
    "reported": ("edited", "noted", "reported", "verified", "failed"),
    "verified": ("noted",),
}
NEXT: dict[Action, Status | None] = {
    "edited": None, "noted": None, "reported": "reported", "verified": "verified",
    "failed": "open", "opened": "open",
}  # fmt: skip
EDITABLE = ("requirement", "deadline", "responsible")


def change(item: Rectification, action: Action, *, by: str, at: str, device: str = "",
           note: str = "", photos: Sequence[str] = (),
           edits: Mapping[str, str] | None = None) -> Rectification:  # fmt: skip
    """The next revision of `item` after `action`; RectifyError when the state refuses it.
    A failed verification needs a note (what is still wrong); so does a plain note."""
    if action not in ALLOWED[item.status]:
        from inspect_kit.i18n.catalog import tr

        raise RectifyError(code="rectify.not_allowed",
                           **{f"{name}{sfx}": tr(f"rectify.{name}.{value}", lang)
                              for name, value in (("action", action), ("status", item.status))
                              for sfx, lang in (("", "zh"), ("_en", "en"))})  # fmt: skip
    note = (note or "").strip()
    if action in ("failed", "noted") and not note and not photos:
        raise RectifyError(code="rectify.note_needed")
    fields: dict[str, Any] = {}
    changes: dict[str, Any] = {}
    for name, value in (edits or {}).items():
        if name not in EDITABLE:
            raise RectifyError(code="rectify.not_editable", field=name)
        if name == "deadline":
            value = checked_deadline(value)
        elif name == "requirement":
            value = checked_text(value, "requirement")
        else:
            value = (value or "").strip()
        if getattr(item, name) != value:
            fields[name] = changes[name] = value
    if action == "edited" and not changes:
        raise RectifyError(code="rectify.nothing_changed")
    status = NEXT[action] or item.status
    revision = item.revision + 1
    entry = LogEntry(revision, action, at, by, status, note, tuple(photos), changes)
    return replace(item, **fields, revision=revision, supersedes=item.revision, status=status,
                   device=device or item.device, log=(*item.log, entry))  # fmt: skip


def newest(records: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """The newest revision of each item by uuid."""
    out: dict[str, Mapping[str, Any]] = {}
    for doc in records:
        have = out.get(doc["uuid"])
        if have is None or doc["revision"] > have["revision"]:
            out[doc["uuid"]] = doc
    return out


def text_lines(text: str) -> list[str]:
    """The separate items of a 整改事项 text: one per line, list marks (1. 2、 一、 -) dropped."""
    import re

    out = []
    for line in (text or "").splitlines():
        line = re.sub(r"^\s*(?:[-•·*]|\(?\d+[.、)）]|[一二三四五六七八九十]+[、.])\s*", "", line)
        if line.strip():
            out.append(line.strip())
    return out
