"""The roster part of the Store: subjects in their own file (archive/.roster/subjects.json).

Why (issue 16, item 11): the roster lived in the main file, so a 1e6-row roster made every
command parse it (5.7 s, 1.4 GB). Now only the commands that need the roster read it; writes go
through the main file's edit (one lock, staged like a shard, so an import's roster entries land
with its sheets or not at all). An old workspace's `subjects` table moves out on its next write.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from inspect_kit.base.errors import StoreError
from inspect_kit.base.fsio import TEMP_PREFIX
from inspect_kit.domain.subject import Subject
from inspect_kit.store.archive import ROSTER, SUBJECTS, Shards
from inspect_kit.store.database import Database
from inspect_kit.store.index import roster_table

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from inspect_kit.store.index import MainEdit

SMALL_MAIN = 64  # bytes: a main file this small may be an emptied one; read it through the checks


class RosterMixin:
    """add_subjects / subjects / subject over the roster file."""

    db: Database
    shards: Shards

    def edit(self, *, everything: bool = False) -> AbstractContextManager[MainEdit]:
        raise NotImplementedError

    def add_subjects(self, subjects: Iterable[Subject], *, replace: bool = True) -> tuple[int, int]:
        """Add or update roster entries in one write; returns (added, updated)."""
        added = updated = 0
        with self.edit() as edit:
            table = edit.roster()
            existing = {doc.get("id"): key for key, doc in table.items()}
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
            edit.write()
        return added, updated

    def add_subject(self, subject: Subject) -> None:
        self.add_subjects([subject], replace=False)

    def _roster_docs(self) -> list[dict[str, Any]]:
        """The roster's records, reading the main file only when it must: an old workspace
        (no roster file yet), a commit a crash cut short, or a main file that may be emptied."""
        with self.db.locked():
            if self.shards.has(ROSTER) and not self._roster_pending() and self._main_looks_whole():
                return list(self.shards.read_table(ROSTER, SUBJECTS).values())
            with self.db.snapshot() as db:
                data = db.storage.read() or {}
                self.shards.finish(data)
                return list(roster_table(self.shards, data).values())

    def _roster_pending(self) -> bool:
        if self.shards.root is None:
            return False
        folder = (self.shards.root / ROSTER).parent
        prefix = f"{TEMP_PREFIX}{SUBJECTS}.json-staged-"
        return folder.is_dir() and any(n.startswith(prefix) for n in os.listdir(folder))

    def _main_looks_whole(self) -> bool:
        if self.db.path is None:
            return True
        try:
            return os.stat(self.db.path).st_size > SMALL_MAIN
        except OSError:
            return False

    def subjects(self, kind: str | None = None) -> list[Subject]:
        subjects = [Subject.from_dict(d) for d in self._roster_docs()]
        if kind:
            subjects = [s for s in subjects if s.kind == kind]
        return sorted(subjects, key=lambda s: s.id)

    def subject(self, subject_id: str) -> Subject | None:
        doc = next((d for d in self._roster_docs() if d.get("id") == subject_id), None)
        return Subject.from_dict(doc) if doc else None
