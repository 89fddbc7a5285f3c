"""Opening a re-score round and the one amendment each rater may make in it (all logged).

`RescoreService.open` checks the subject's spread against the form's `max_spread` and that no
round was opened for it before, then logs `rescore_opened` with the first scores. The amend flow
(`services.revisions.Revisions.amend`) asks `rescore_amend_check` before amending and logs the
amendment with `log_rescore_amend` after. Front-end neutral.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from inspect_kit.base.errors import InspectKitError
from inspect_kit.domain.rescore import (
    AMEND,
    OPENED,
    RescoreRound,
    RescoreSummary,
    rescore_rounds,
    rescore_summary,
)

if TYPE_CHECKING:
    from inspect_kit.domain.panel_view import PanelView
    from inspect_kit.store.store import Store


class RescoreError(InspectKitError):
    """A re-score round that cannot be opened, or an amendment it does not allow."""


class PanelSource(Protocol):
    """What the re-score round reads of services.panels.PanelsService (which reads this module:
    a protocol, so the two do not import each other)."""

    def panel(self, form_id: str, round_: str | None = None) -> PanelView: ...


class RescoreService:
    def __init__(self, store: Store, panels: PanelSource) -> None:
        self.store = store
        self.panels = panels

    def open(
        self, form_id: str, subject: str, reason: str, by: str, round_: str | None = None
    ) -> RescoreRound:
        """Open the one re-score round of a subject whose spread exceeds `max_spread`."""
        if not reason.strip():
            raise RescoreError(code="rescore.no_reason")
        view = self.panels.panel(form_id, round_)
        result = view.result(subject)
        if result is None:
            raise RescoreError(code="rescore.no_subject", subject=subject, round=view.round)
        if not result.spread_flag:
            raise RescoreError(code="rescore.not_spread", subject=result.subject_name,
                               spread=result.fmt(result.spread),
                               max=f"{view.form.panel.max_spread:g}")  # fmt: skip
        if any(r.subject == subject for r in rescore_rounds(self.store.events(), form_id,
                                                              view.round)):  # fmt: skip
            raise RescoreError(code="rescore.already", subject=result.subject_name,
                               round=view.round)  # fmt: skip
        first = [{"rater": s.rater, "uuid": s.uuid, "revision": s.revision,
                  "total": s.total_exact if s.total_exact is not None else s.total}
                 for s in result.sheets]  # fmt: skip
        self.store.log(OPENED, None, by, form=form_id, round=view.round, subject=subject,
                       reason=reason.strip(), first=first)  # fmt: skip
        return next(r for r in rescore_rounds(self.store.events(), form_id, view.round)
                    if r.subject == subject)  # fmt: skip


def rescore_summaries(store: Store, view: PanelView) -> tuple[RescoreSummary, ...]:
    """Each re-score round of the view's round: first and final scores side by side."""
    out = []
    for rescore in rescore_rounds(store.events(), view.form.form, view.round):
        wanted = {(f.uuid, f.revision) for f in rescore.first}
        revisions = store.submissions(
            form=view.form.form, round=view.round, subject=rescore.subject, all_revisions=True
        )
        first_docs = sorted(
            (d for d in revisions if (d["uuid"], d["revision"]) in wanted),
            key=lambda d: d["rater"],
        )
        out.append(rescore_summary(view.form, rescore, first_docs, view.result(rescore.subject)))
    return tuple(out)


def _round_of(store: Store, doc: Mapping[str, Any]) -> RescoreRound | None:
    rounds = rescore_rounds(store.events(), doc["form"], str(doc["round"]))
    return next((r for r in rounds if r.subject == doc["subject"] and r.first_of(doc["uuid"])),
                None)  # fmt: skip


def rescore_amend_check(store: Store, doc: Mapping[str, Any]) -> RescoreRound | None:
    """The re-score round this sheet is in (None: an ordinary amendment); refused when the
    rater already amended it once in that round."""
    rescore = _round_of(store, doc)
    if rescore is None:
        return None
    first = rescore.first_of(doc["uuid"])
    if first is not None and int(doc["revision"]) > first.revision:
        raise RescoreError(code="rescore.amended_once", rater=doc["rater"],
                           subject=doc.get("subject_name") or doc["subject"])  # fmt: skip
    return rescore


def log_rescore_amend(
    store: Store, rescore: RescoreRound, doc: Mapping[str, Any], reason: str, by: str
) -> None:
    store.log(AMEND, doc["uuid"], by, form=rescore.form, round=rescore.round,
              subject=rescore.subject, rater=doc["rater"], reason=reason.strip(),
              revision=int(doc["revision"]) + 1)  # fmt: skip
