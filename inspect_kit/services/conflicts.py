"""Declaring and withdrawing conflicts of interest (回避); each is an audit event.

The panel leaves a conflicted rater's sheets for the subject out (`PanelsService.panel`, step
`leave_out_conflicts`); the sheets themselves are never touched. Front-end neutral.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inspect_kit.base.errors import InspectKitError
from inspect_kit.domain.conflicts import DECLARED, WITHDRAWN, Conflict, active_conflicts

if TYPE_CHECKING:
    from inspect_kit.formfiles.catalog import FormCatalog
    from inspect_kit.store.store import Store


class ConflictError(InspectKitError):
    """A declaration that cannot be recorded (no reason, unknown subject, already declared...)."""


class ConflictsService:
    def __init__(self, store: Store, catalog: FormCatalog | None = None) -> None:
        """`catalog`: to refuse an unknown form id (callers that hold a loaded form skip it)."""
        self.store = store
        self.catalog = catalog

    def list(self, form_id: str | None = None) -> tuple[Conflict, ...]:
        return active_conflicts(self.store.sheetless_events(), form_id)

    def _check(self, form_id: str, subject: str, rater: str, reason: str) -> None:
        if self.catalog is not None:
            self.catalog.get(form_id)  # FormNotFound for an unknown form
        if not rater.strip():
            raise ConflictError(code="conflict.no_rater")
        if not reason.strip():
            raise ConflictError(code="conflict.no_reason")
        known = self.store.subject(subject) is not None or any(
            row["subject"] == subject for row in self.store.summaries(form=form_id)
        )
        if not known:
            raise ConflictError(code="conflict.no_subject", subject=subject)

    def declare(self, form_id: str, subject: str, rater: str, reason: str, by: str) -> Conflict:
        """Record that `rater` has a conflict with `subject`: their sheets for it stop counting."""
        rater, reason = rater.strip(), reason.strip()
        self._check(form_id, subject, rater, reason)
        if any(c.key == (form_id, subject, rater) for c in self.list(form_id)):
            raise ConflictError(code="conflict.already", rater=rater, subject=subject)
        self.store.log(DECLARED, None, by or rater, form=form_id, subject=subject, rater=rater,
                       reason=reason)  # fmt: skip
        return next(c for c in self.list(form_id) if c.key == (form_id, subject, rater))

    def withdraw(self, form_id: str, subject: str, rater: str, reason: str, by: str) -> None:
        """End a declaration (e.g. one recorded by mistake); logged with its reason."""
        rater = rater.strip()
        if not reason.strip():
            raise ConflictError(code="conflict.no_reason")
        if not any(c.key == (form_id, subject, rater) for c in self.list(form_id)):
            raise ConflictError(code="conflict.none", rater=rater, subject=subject)
        self.store.log(WITHDRAWN, None, by or rater, form=form_id, subject=subject, rater=rater,
                       reason=reason.strip())  # fmt: skip
