"""`PanelView`: a form's round as every view reads it (CLI, TUI, charts, the meeting pack).

One object per (form, round): the counted sheets, the panel result computed from them, and the
figures drawn from both. Each figure is computed once per view, so the CLI table, the TUI, the
charts and the pack read the same numbers; the cheap ones when the view is built, the per-item
and per-sheet ones (items by points lost, deductions) on first use. Pickling a view computes
whatever is still missing first, so another process (the pack's worker) reads those same
figures rather than working them out again.

A view built from lean records (`detail`, the figures cache read for a histogram) has no
per-item figures, and asking it for one is an error rather than a figure of nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from inspect_kit.base.gc_pause import gc_paused
from inspect_kit.domain import panel_figures as figures
from inspect_kit.domain.calibration import RaterCalibration
from inspect_kit.domain.model import Form
from inspect_kit.domain.panel import PanelResult, panel_of_counted
from inspect_kit.domain.panel_agreement import RoundAgreement, round_agreement
from inspect_kit.domain.panel_figures import BandCount, Deduction, ItemLoss
from inspect_kit.domain.panel_rounds import counted_docs, counted_newest, voided_newest
from inspect_kit.domain.records import newest_revisions
from inspect_kit.domain.rescore import RescoreSummary
from inspect_kit.domain.robustness import SubjectRobustness, robustness
from inspect_kit.domain.sheet_review import NOT_REQUIRED, ReviewTally
from inspect_kit.domain.subject_result import GradeCount, SubjectResult

LAZY = ("item_losses", "deductions", "agreement", "robustness")
"""Figures computed on first use (and before pickling)."""

Detail = Literal["summary", "items", "full"]
"""What a view's records hold beyond each sheet's identity, score summary and sections:
nothing ("summary"), each item's points and points lost ("items": agreement, items by loss),
and the answers behind the deductions too ("full", what whole sheets give)."""
DETAILS: tuple[Detail, ...] = ("summary", "items", "full")
NEEDS: dict[str, Detail] = {"item_losses": "items", "agreement": "items", "deductions": "full",
                            "robustness": "summary"}  # fmt: skip
"""The detail each lazy figure reads."""


class NoDetail(LookupError):
    """A per-item figure asked of a view whose records were read without it (a bug)."""


@dataclass(frozen=True, eq=False)
class PanelView:
    """A form's round: the sheets that count, the panel, and the figures behind every view."""

    form: Form
    round: str
    records: tuple[dict[str, Any], ...]
    """The form's final, newest-revision sheets of this round (self-assessments included),
    ordered by subject then rater."""
    panel: PanelResult
    review: ReviewTally = NOT_REQUIRED
    """Where the round stands in office review: with `review: required` only approved sheets
    are in `records`, and this says how many await review or were returned (not counted)."""
    conflicted: tuple[Mapping[str, Any], ...] = ()
    """Sheets of this round left out because their rater declared a conflict (回避) with the
    subject: kept in the store, named on the subject in every view, never counted."""
    set_aside: tuple[tuple[Mapping[str, Any], Mapping[str, Any]], ...] = ()
    """(sheet not counted, the one counted instead) for each final sheet left out because its
    rater finalized a later one for the subject (panel_rounds.set_aside over the same sheets
    the panel read): shown, never silent."""
    rescores: tuple[RescoreSummary, ...] = ()
    """The round's re-score rounds: each subject's first and final scores side by side."""
    calibration: tuple[RaterCalibration, ...] = ()
    """Each rater's leniency in every round of the form and its drift (most drifting first)."""
    detail: Detail = "full"
    """What `records` hold (`Detail`); the per-item figures need "items" or "full"."""
    grade_counts: dict[str, int] = field(init=False)
    """Subjects per final grade (after section_min and vetoes), in the form's order."""
    grade_tally: tuple[GradeCount, ...] = field(init=False)
    """Subjects per final grade, best first, vetoed and downgraded counted apart: the one count
    the histogram, the ranking, the pack cover, `panel --json` and the XLSX all show."""
    band_counts: tuple[BandCount, ...] = field(init=False)
    """Subjects per score band (by the shown score alone, before floors and vetoes)."""
    section_ratios: dict[str, list[float]] = field(init=False)
    """Section id -> each subject's panel ratio (0..1), in rank order."""
    median_profile: dict[str, float] = field(init=False)
    """Section id -> the round's median ratio over subjects."""

    def __post_init__(self) -> None:
        derived = {
            "grade_counts": figures.grade_counts(self.form, self.panel),
            "grade_tally": tuple(figures.grade_tally(self.form, self.panel)),
            "band_counts": tuple(figures.band_counts(self.form, self.panel)),
            "section_ratios": figures.section_ratios(self.panel),
            "median_profile": figures.median_profile(self.panel),
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)  # frozen: set once, here

    @property
    def subjects(self) -> tuple[SubjectResult, ...]:
        """Each subject's one result, best first (rank order)."""
        return self.panel.subjects

    def result(self, subject_id: str) -> SubjectResult | None:
        return self.panel.subject(subject_id)

    def has(self, figure: str) -> bool:
        """Whether the records hold what this lazy figure reads."""
        return DETAILS.index(self.detail) >= DETAILS.index(NEEDS[figure])

    def _need(self, figure: str) -> None:
        if not self.has(figure):
            raise NoDetail(f"{figure} needs detail {NEEDS[figure]!r}; the view has {self.detail!r}")

    @cached_property
    def item_losses(self) -> tuple[ItemLoss, ...]:
        """Scored items by average points lost on inspectors' sheets, most first."""
        self._need("item_losses")
        return tuple(figures.item_losses(self.form, self.records))

    def items_by_loss(self, limit: int | None = None) -> tuple[ItemLoss, ...]:
        return self.item_losses[:limit] if limit else self.item_losses

    @cached_property
    def deductions(self) -> dict[str, tuple[Deduction, ...]]:
        """Subject id -> every deduction on its inspectors' sheets, in form order then rater."""
        self._need("deductions")
        sheets: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for doc in self.records:
            if doc.get("role") != "self":
                sheets[doc["subject"]].append(doc)
        return {
            sid: tuple(figures.sheet_deductions(self.form, docs)) for sid, docs in sheets.items()
        }

    def subject_deductions(self, subject_id: str) -> tuple[Deduction, ...]:
        return self.deductions.get(subject_id, ())

    @cached_property
    def agreement(self) -> RoundAgreement:
        """ICC of totals and sections, alpha per item, over the sheets the panel counted."""
        self._need("agreement")
        with gc_paused():
            return round_agreement(self.form, self.records)

    @cached_property
    def robustness(self) -> tuple[SubjectRobustness, ...]:
        """Each subject's grade and rank with any one rater left out (rank order)."""
        with gc_paused():
            return robustness(self.form, self.records, self.panel)

    def subject_conflicts(self, subject_id: str) -> tuple[Mapping[str, Any], ...]:
        """The sheets left out of this subject's panel by a declared conflict (回避)."""
        return tuple(d for d in self.conflicted if d["subject"] == subject_id)

    def __getstate__(self) -> dict[str, Any]:
        for name in filter(self.has, LAZY):
            getattr(self, name)  # computed here, so the unpickled copy holds the same figures
        return dict(self.__dict__)


def panel_view(
    form: Form,
    records: Iterable[Mapping[str, Any]],
    round_: str,
    roster: Mapping[str, Mapping[str, Any]] | None = None,
    review: ReviewTally = NOT_REQUIRED,
    conflicted: Iterable[Mapping[str, Any]] = (),
    set_aside: Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]] = (),
    detail: Detail = "full",
) -> PanelView:
    """The view of a form's round from stored submission records (any forms and rounds).

    `roster`: subject id -> roster entry (name, district, level), when the caller has it;
    `review`: the round's review tally, when `records` were narrowed to approved sheets;
    `conflicted`: records the caller left out for a declared conflict (named, not counted);
    `set_aside`: panel_rounds.set_aside of the sheets read, when the caller shows it;
    `detail`: what the records hold (store.figures' lean records: "summary")."""
    with gc_paused():
        # once, for the counted and the voided: the form's round's newest revisions
        newest = [d for d in newest_revisions(list(records))
                  if d["form"] == form.form and str(d["round"]) == str(round_)]  # fmt: skip
        docs = tuple(dict(d) for d in counted_newest(newest, form.form, round_))
        voided = voided_newest(newest, form.form, round_)
        panel = panel_of_counted(form, docs, str(round_), voided, roster)
        left_out = tuple(counted_docs(list(conflicted), form.form, str(round_)))
        return PanelView(form, str(round_), docs, panel, review=review, conflicted=left_out,
                         set_aside=tuple(set_aside), detail=detail)  # fmt: skip
