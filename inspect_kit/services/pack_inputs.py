"""What the meeting pack reads beyond a round's `PanelView`: the previous round, the roster, and
the round's voided and amended revisions. Gathered here once for the CLI and the TUI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from inspect_kit.domain.panel_view import PanelView

if TYPE_CHECKING:
    from inspect_kit.services.panels import PanelsService


@dataclass(frozen=True)
class PackInputs:
    previous: PanelView | None
    roster: dict[str, Any]
    revisions: list[dict[str, Any]]
    rectify: list[dict[str, Any]] = field(default_factory=list)
    """The 整改 summary rows (services/rectify.py `pack_rows`)."""

    def as_kwargs(self) -> dict[str, Any]:
        return {"previous": self.previous, "roster": self.roster, "revisions": self.revisions,
                "rectify": self.rectify}  # fmt: skip


def pack_inputs(panels: PanelsService, view: PanelView) -> PackInputs:
    """The round before `view.round` (if it has ranked sheets), the roster, every revision."""
    from inspect_kit.services.panels import NoPanelData

    form = view.form.form
    rounds = panels.rounds(form)
    previous = None
    if view.round in rounds and rounds.index(view.round) > 0:
        try:
            previous = panels.panel(form, rounds[rounds.index(view.round) - 1])
        except NoPanelData:
            previous = None
    store = panels.store
    from inspect_kit.services.rectify import RectifyService

    return PackInputs(
        previous=previous,
        roster={s.id: s for s in store.subjects()},
        revisions=store.submissions(form=form, round=view.round, all_revisions=True),
        rectify=RectifyService(store).pack_rows(form, view.round),
    )
