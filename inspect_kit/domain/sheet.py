"""A sheet being filled or already final: metadata, answers and the rules for changing them.

Pure domain: no IO. Front-ends (TUI, plain prompts, answer files) change a `Sheet` through its
methods and hand it to the store, which persists `to_record()`.
"""

from __future__ import annotations

import datetime as dt
import platform
import uuid as uuid_lib
from dataclasses import InitVar, dataclass, field, replace
from typing import Any

from inspect_kit import __version__
from inspect_kit.base.errors import AnswerError
from inspect_kit.domain.answers import Answer, AnswerSet, VetoAnswer, normalize_value
from inspect_kit.domain.clock import now_iso
from inspect_kit.domain.item_types import behaviour
from inspect_kit.domain.model import Form
from inspect_kit.domain.scoring import ScoreRecord, score, visible_items
from inspect_kit.domain.subject import SubjectFacts
from inspect_kit.i18n.catalog import tr

RECORD_SCHEMA = 1
ROLES = ("inspector", "self")


def current_round() -> str:
    return str(dt.date.today().year)


@dataclass
class Sheet:
    """One rater's sheet for one subject under one form version."""

    form: Form
    form_sha256: str
    subject: str
    subject_name: str
    rater: str
    round: str
    role: str = "inspector"
    uuid: str = field(default_factory=lambda: str(uuid_lib.uuid4()))
    revision: int = 1
    supersedes: int | None = None
    amend_reason: str | None = None
    status: str = "draft"
    answers: AnswerSet = field(default_factory=AnswerSet)
    started_at: str = field(default_factory=now_iso)
    saved_at: str | None = None
    finalized_at: str | None = None
    device: str = field(default_factory=platform.node)
    position: str | None = None
    """Id of the item the inspector was on, so a resumed draft opens there."""
    rectify: dict[str, dict[str, str]] = field(default_factory=dict)
    """Items marked 需整改: item id -> {"deadline", "requirement"} (requirement may be empty:
    the item and its 扣分理由). Finalizing makes a rectification item of each (issue 13)."""
    facts: InitVar[SubjectFacts | None] = None
    """The subject's roster facts (level, kind, tags) the sheet is scored under; kept in
    `answers.subject` and stored with the sheet."""

    def __post_init__(self, facts: SubjectFacts | None) -> None:
        if facts is not None:
            self.answers.subject = facts

    # ------------------------------------------------------------ changing answers

    def set_value(self, item_id: str, raw: Any) -> Answer:
        """Store a checked value (raises AnswerError in plain words); keeps the note."""
        item = self.form.item(item_id)
        kind = behaviour(item)
        if not kind.answerable:
            raise AnswerError(code="answer.note_item")
        old = self.answers.items.get(item_id, Answer())
        # [] is an answer for multi (nothing ticked) and deduct (no defects), not a clear
        if raw is None or raw == "" or (raw == [] and not kind.empty_list_is_answer):
            new = Answer(note=old.note, attachments=old.attachments)
        else:
            value = normalize_value(item, raw)
            signed = now_iso() if kind.signed else old.signed_at
            new = Answer(value=value, note=old.note, attachments=old.attachments, signed_at=signed)
        self.answers.items[item_id] = new
        self._drop_hidden()
        return new

    def set_na(self, item_id: str, na: bool = True) -> None:
        item = self.form.item(item_id)
        if na and not item.allow_na:
            raise AnswerError(code="answer.na_not_allowed")
        old = self.answers.items.get(item_id, Answer())
        self.answers.items[item_id] = Answer(value=None if na else old.value, na=na, note=old.note,
                                             attachments=old.attachments)  # fmt: skip
        self._drop_hidden()

    def set_note(self, item_id: str, note: str) -> None:
        self.form.item(item_id)
        old = self.answers.items.get(item_id, Answer())
        self.answers.items[item_id] = replace(old, note=note.strip())

    def set_attachments(self, item_id: str, names: list[str]) -> None:
        old = self.answers.items.get(item_id, Answer())
        self.answers.items[item_id] = Answer(value=list(names) or None, na=old.na, note=old.note,
                                             attachments=tuple(names))  # fmt: skip

    def set_veto(self, veto_id: str, fired: bool | None, note: str | None = None) -> None:
        if veto_id not in {v.id for v in self.form.vetoes}:
            raise AnswerError(code="answer.no_such_veto", veto=veto_id)
        old = self.answers.vetoes.get(veto_id, VetoAnswer())
        self.answers.vetoes[veto_id] = VetoAnswer(
            fired=fired, note=old.note if note is None else note
        )

    def clear(self, item_id: str) -> None:
        self.answers.items.pop(item_id, None)
        self._drop_hidden()

    def _drop_hidden(self) -> None:
        visible = self.visible()
        for item_id in [i for i in self.answers.items if i not in visible]:
            del self.answers.items[item_id]

    # ------------------------------------------------------------ reading

    def answer(self, item_id: str) -> Answer:
        return self.answers.items.get(item_id, Answer())

    def visible(self) -> set[str]:
        return visible_items(self.form, self.answers.items, self.answers.subject)

    def score(self) -> ScoreRecord:
        return score(self.form, self.answers)

    def blockers(self, record: ScoreRecord | None = None, lang: str = "zh") -> list[str]:
        """What stops finalizing, in plain words (empty when the sheet can be finalized)."""
        record = record or self.score()
        problems = []
        if record.unanswered:
            problems.append(tr("blocker.unanswered", lang, n=len(record.unanswered)))
        if record.missing_notes:
            problems.append(tr("blocker.missing_notes", lang, n=len(record.missing_notes)))
        return problems

    def progress(self, record: ScoreRecord | None = None) -> float:
        """Share of required questions answered, 0..1."""
        record = record or self.score()
        visible = self.visible()
        required = [i for _, i in self.form.iter_items() if i.is_required and i.id in visible]
        total = len(required) + len(self.form.vetoes)
        return 1.0 if total == 0 else (total - len(record.unanswered)) / total

    # ------------------------------------------------------------ records

    def to_record(self) -> dict[str, Any]:
        """The archived record: the answers and the score they give."""
        stored = self.score().to_stored()
        record: dict[str, Any] = {}
        for key, value in self.draft_record().items():
            if key == "started_at":
                record["score"] = stored  # where archived records have always had it
            record[key] = value
        return record

    def draft_record(self) -> dict[str, Any]:
        """What a draft keeps: everything but the score, which is derived from the answers and
        recomputed whenever a draft is shown or finalized (autosave need not pay for it)."""
        return {
            "schema": RECORD_SCHEMA,
            "uuid": self.uuid,
            "revision": self.revision,
            "supersedes": self.supersedes,
            "amend_reason": self.amend_reason,
            "form": self.form.form,
            "form_version": self.form.version,
            "form_sha256": self.form_sha256,
            "round": self.round,
            "subject": self.subject,
            "subject_name": self.subject_name,
            "rater": self.rater,
            "role": self.role,
            "status": self.status,
            **self.answers.to_dict(),
            "started_at": self.started_at,
            "saved_at": self.saved_at,
            "finalized_at": self.finalized_at,
            "device": self.device,
            "position": self.position,
            "kit_version": __version__,
            **({"rectify": {k: dict(v) for k, v in self.rectify.items()}} if self.rectify else {}),
        }

    @classmethod
    def from_record(cls, record: dict[str, Any], form: Form) -> Sheet:
        return cls(
            form=form,
            form_sha256=record["form_sha256"],
            subject=record["subject"],
            subject_name=record.get("subject_name") or record["subject"],
            rater=record.get("rater") or "",
            round=str(record.get("round") or ""),
            role=record.get("role") or "inspector",
            uuid=record["uuid"],
            revision=int(record.get("revision") or 1),
            supersedes=record.get("supersedes"),
            amend_reason=record.get("amend_reason"),
            status=record.get("status") or "draft",
            answers=AnswerSet.from_record(record),
            started_at=record.get("started_at") or now_iso(),
            saved_at=record.get("saved_at"),
            finalized_at=record.get("finalized_at"),
            device=record.get("device") or platform.node(),
            position=record.get("position"),
            rectify={
                str(k): dict(v)
                for k, v in (record.get("rectify") or {}).items()
                if isinstance(v, dict)
            },  # fmt: skip
        )
