"""The panels service: one query `(form, round) → PanelView` behind every view of a panel.

`inspect-kit panel`, `chart` and `report` and the TUI panel screen all ask this service, which
reads the form from the catalog and its sheets from the store once and builds the view (the
panel result and the figures behind charts) in one place, `domain.panel_view`. Front-end
neutral: no textual, questionary, click or matplotlib.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from inspect_kit.base.errors import InspectKitError
from inspect_kit.base.rounds import check_round_filter
from inspect_kit.domain.calibration import calibration
from inspect_kit.domain.conflicts import Conflict, active_conflicts, split_conflicted
from inspect_kit.domain.panel_rounds import rounds_for, set_aside
from inspect_kit.domain.panel_view import Detail, PanelView, panel_view
from inspect_kit.domain.rescore import OPENED
from inspect_kit.domain.sheet_review import NOT_REQUIRED, ReviewTally, approved_only
from inspect_kit.domain.subject import Subject
from inspect_kit.store.figures import panel_source

if TYPE_CHECKING:
    from inspect_kit.domain.model import Form
    from inspect_kit.formfiles.catalog import FormCatalog
    from inspect_kit.store.store import Store


class NoPanelData(InspectKitError):
    """Nothing to rank: no final sheets for the form (or that round), or only self-assessments.

    Not a failure of a command that merely shows panels; `panel` prints it and exits 0.
    """


# ------------------------------------------------------------ which sheets count


def sheets_that_count(
    store: Store, form: Form, records: Sequence[Mapping[str, Any]], round_: str
) -> tuple[Sequence[Mapping[str, Any]], ReviewTally]:
    """The stored sheets a panel of `form`'s `round_` may count, before the panel's own rules
    (newest revision, final, one per rater: domain.panel_rounds), and the review tally.

    One step per rule, each its own function over the records:
    - office review (`review: required`): only sheets whose newest revision is approved
      (domain.sheet_review.approved_only); the others are counted in the tally, never dropped
      silently. A form without the key passes every record, as before.
    """
    if form.review != "required":
        return records, NOT_REQUIRED
    return approved_only(records, store.review_states(form.form, round_), form.form, round_)


class PanelsService:
    """Panels of the forms in a catalog over the sheets in a store; built once, shared."""

    def __init__(self, store: Store, catalog: FormCatalog) -> None:
        self.store = store
        self.catalog = catalog

    def default_form(self, form_ids: Sequence[str]) -> str | None:
        """Of these forms, the one with the most recently finalized sheet; else the first."""
        wanted = set(form_ids)
        # Index rows only: no shard is opened to choose.
        finals = [row for row in self.store.summaries(status="final") if row["form"] in wanted]
        if finals:
            return str(max(finals, key=lambda r: r.get("finalized_at") or "")["form"])
        return form_ids[0] if form_ids else None

    def rounds(self, form_id: str) -> list[str]:
        """Rounds that hold final sheets of the form, oldest first (read from the index)."""
        return rounds_for(self.store.summaries(form=form_id), form_id)

    def newest_round(self, form_id: str) -> str | None:
        rounds = self.rounds(form_id)
        return rounds[-1] if rounds else None

    def conflicts(self, form_id: str | None = None) -> tuple[Conflict, ...]:
        """The conflicts of interest (回避) in force, from the audit log."""
        return active_conflicts(self.store.sheetless_events(), form_id)

    def leave_out_conflicts(
        self,
        form_id: str,
        records: list[dict[str, Any]],
        events: Sequence[Mapping[str, Any]] | None = None,
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Panel input step: sheets whose rater declared a conflict with the subject leave the
        panel (returned apart, to be named). One step of its own, so other exclusions (e.g.
        sheets held for review) compose with it in `panel`. `events`: the audit log when the
        caller has read it already."""
        conflicts = self.conflicts(form_id) if events is None else active_conflicts(events, form_id)
        if not conflicts:
            return records, []
        reasons = {c.key: c.reason for c in conflicts}
        kept, left_out = split_conflicted(records, conflicts)
        named = [
            {**d, "conflict_reason": reasons[(d["form"], d["subject"], d["rater"])]}
            for d in left_out
        ]
        return [dict(d) for d in kept], named

    def panel(
        self,
        form_id: str,
        round_: str | None = None,
        *,
        require_ranked: bool = True,
        figures_only: bool = False,
        history: bool = True,
        detail: Detail = "full",
    ) -> PanelView:
        """The view of a form's round (default: the newest round with sheets).

        `figures_only`: the sheets are read from the figures cache (store.figures): every
        figure of the view is the same, but its records lack the answers no figure reads, so
        a caller that prints whole sheets (the meeting pack) leaves it off; with it, `detail`
        says what per-item figures the caller reads ("items": agreement and items by loss,
        "summary": none, only the lean part of the cache is read). `history=False`:
        the view without `with_history` (calibration, re-scores), for a caller that reads
        neither (every chart but `raters`).

        Raises RoundError when `round_` has no final sheets (listing the rounds that have),
        NoPanelData when the form has none and (with `require_ranked`) when the round holds
        only self-assessments; FormNotFound for an unknown form.
        """
        form = self.catalog.get(form_id).form

        def choose(rounds: list[str]) -> str | None:
            if round_ is not None:  # a round named without data: an error (exit 1)
                return check_round_filter(str(round_), rounds)
            return rounds[-1] if rounds else None

        # One read of the main file for the sheets, the log and the roster. Every round of the
        # form is read (its sheets' heads at least), so a sheet's newest revision decides its
        # round; the chosen round's sheets are read as the panel needs them.
        detail = detail if figures_only else "full"
        source = panel_source(self.store, form.form, choose, whole=not figures_only, detail=detail)
        records = source.records
        rounds = rounds_for(records, form.form)
        if round_ is not None:
            round_ = check_round_filter(str(round_), rounds)
        if not rounds:
            raise NoPanelData(
                f"表单 {form.form} 还没有已提交的评分表。"
                "先评分（inspect-kit fill），或用 inspect-kit demo 生成示例数据。"
            )
        if round_ is None:
            round_ = rounds[-1]
        # Before conflicts are left out: a rater's extra sheet is named either way.
        aside = set_aside(records, form.form, str(round_))
        records, conflicted = self.leave_out_conflicts(form.form, records, source.events)
        # The roster gives each result its district and level (only its subjects are read).
        wanted = {d["subject"] for d in records}
        roster = {
            s.id: s.to_dict() for s in map(Subject.from_dict, source.roster) if s.id in wanted
        }
        counted, review = sheets_that_count(self.store, form, records, str(round_))
        view = panel_view(form, counted, str(round_), roster, review=review, conflicted=conflicted,
                          set_aside=aside, detail=detail)  # fmt: skip
        if require_ranked and not view.panel.subjects:
            if review.left_out:
                raise NoPanelData(
                    f"表单 {form.form} 在轮次 {round_} 还没有审核通过的评分表"
                    f"（待审核 {review.awaiting} 张，退回 {review.returned} 张）。"
                    "审核：inspect-kit results list --review pending"
                )
            raise NoPanelData(f"表单 {form.form} 在轮次 {round_} 只有自评表，没有检查组评分。")
        return self.with_history(view, records, rounds, source.events) if history else view

    def with_history(
        self,
        view: PanelView,
        records: list[dict[str, Any]],
        rounds: list[str],
        events: Sequence[Mapping[str, Any]] | None = None,
    ) -> PanelView:
        """The view with what spans rounds and the log: each rater's leniency per round and
        its drift (over the same counted sheets), and the re-score rounds opened. `events`:
        the audit log when the caller has read it (a round without re-scores reads no more)."""
        from inspect_kit.services.rescore import rescore_summaries

        # The log is scanned for an opened re-score of this round (rescore_rounds sorts it all).
        opened = events is None or any(
            e.get("event") == OPENED and e.get("form") == view.form.form
            and str(e.get("round")) == view.round
            for e in events
        )  # fmt: skip
        return replace(
            view,
            calibration=calibration(records, view.form.form, rounds),
            rescores=rescore_summaries(self.store, view) if opened else (),
        )
