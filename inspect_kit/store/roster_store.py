"""The roster part of the Store: subjects in their own file (archive/.roster/subjects.json).

Why (issue 16, item 11): the roster lived in the main file, so a 1e6-row roster made every
command parse it (5.7 s, 1.4 GB). Now only the commands that need the roster read it; writes go
through the main file's edit (one lock, staged like a shard, so an import's roster entries land
with its sheets or not at all). An old workspace's `subjects` table moves out on its next write.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import orjson

from inspect_kit.base.errors import StoreError
from inspect_kit.domain.subject import Subject
from inspect_kit.store.archive import Shards
from inspect_kit.store.database import Database
from inspect_kit.store.index import ShardIndex, roster_table
from inspect_kit.store.ledger_storage import Scope, main_only, scoped_read

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from inspect_kit.store.index import MainEdit


class RosterMixin:
    """add_subjects / subjects / subject over the roster file."""

    db: Database
    shards: Shards
    index: ShardIndex

    def edit(self, *, everything: bool = False,
             scope: Scope | None = None) -> AbstractContextManager[MainEdit]:  # fmt: skip
        raise NotImplementedError

    def add_subjects(self, subjects: Iterable[Subject], *, replace: bool = True) -> tuple[int, int]:
        """Add or update roster entries in one write; returns (added, updated)."""
        added = updated = 0
        with self.edit(scope=main_only) as edit:  # the roster file and the main file alone
            table = edit.roster()
            before = orjson.dumps(table)
            existing: dict[Any, str | None] = {d.get("id"): k for k, d in table.items()}
            inserts: list[dict[str, Any]] = []
            for subject in subjects:
                if subject.id in existing:
                    if not replace:
                        raise StoreError(code="store.subject_exists", id=subject.id)
                    key = existing[subject.id]
                    if key is not None:
                        table[key] = {**table[key], **subject.to_dict()}
                    updated += 1
                else:
                    inserts.append(subject.to_dict())
                    existing[subject.id] = None
            start = max(map(int, table), default=0) + 1
            for offset, doc in enumerate(inserts):
                table[str(start + offset)] = doc
            added = len(inserts)
            if orjson.dumps(table) != before or edit.has_legacy_roster():
                edit.write()  # nothing written when the roster already says all this
        return added, updated

    def add_subject(self, subject: Subject) -> None:
        self.add_subjects([subject], replace=False)

    def _roster_docs(self) -> list[dict[str, Any]]:
        """The roster's records. The main file (small now) is opened too: a damaged main file
        refuses this like every command, and a commit a crash cut short is finished first."""
        with self.db.snapshot() as db:
            data = scoped_read(db, main_only)  # no index rows or events needed (store.ledger)
            self.index.view(data)  # finishes a cut-short commit; refuses an emptied shard
            return list(roster_table(self.shards, data).values())

    def subjects(self, kind: str | None = None) -> list[Subject]:
        subjects = [Subject.from_dict(d) for d in self._roster_docs()]
        if kind:
            subjects = [s for s in subjects if s.kind == kind]
        return sorted(subjects, key=lambda s: s.id)

    def subject(self, subject_id: str) -> Subject | None:
        doc = next((d for d in self._roster_docs() if d.get("id") == subject_id), None)
        return Subject.from_dict(doc) if doc else None
