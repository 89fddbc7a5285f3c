"""Amend and void: the only ways a finalized sheet changes, each with a reason and who.
A void leaves through the outbox (services/outbox.py); an amendment when it is finalized.

Both take the sheet's draft lock first: while an amendment of the sheet is open in another
window or process, a second amendment or a void is refused rather than racing it.
"""

from __future__ import annotations

from typing import Any

from inspect_kit.base.paths import Workspace
from inspect_kit.domain.sheet import Sheet
from inspect_kit.services.draft_lock import holding
from inspect_kit.services.outbox import publish
from inspect_kit.store.store import Store


class Revisions:
    def __init__(self, store: Store, workspace: Workspace, lang: str = "zh") -> None:
        self.store = store
        self.workspace = workspace
        self.lang = lang

    def amend(self, sheet_uuid: str, reason: str, by: str) -> Sheet:
        """A new revision of a finalized sheet, opened as a draft (see Store.amend)."""
        from inspect_kit.services.rescore import log_rescore_amend, rescore_amend_check

        current = self.store.submission(sheet_uuid)
        full_uuid = current["uuid"]
        with holding(self.workspace, full_uuid, self.lang):
            # In a re-score round each rater amends once; that amendment is logged as its step.
            rescore = rescore_amend_check(self.store, current)
            sheet = self.store.amend(full_uuid, reason, by)
            if rescore is not None:
                log_rescore_amend(self.store, rescore, current, reason, by)
            return sheet

    def void(self, sheet_uuid: str, reason: str, by: str) -> dict[str, Any]:
        """Void a finalized sheet; it stays in the history (see Store.void)."""
        full_uuid = self.store.submission(sheet_uuid)["uuid"]
        with holding(self.workspace, full_uuid, self.lang):
            doc = self.store.void(full_uuid, reason, by)
        publish(self.store, self.workspace, [full_uuid])  # the outbox, once sync is set up
        return doc
