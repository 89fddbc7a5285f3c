"""`SubjectResult`: one subject's panel result, computed once and read by every view.

The CLI `panel` (and `--json`), the TUI panel screen, every chart, the meeting pack and the
XLSX export read these objects (through `panel_view.PanelView`) and never work a figure out
again. A result holds the score both unrounded (`*_exact`) and as shown (rounded once to the
form's `decimals`); the grade is decided on the score as shown. Every reason for the grade
(veto with who and their 情况说明, section floor, failing option) and every flag (评委不足,
spread, a voided sheet that changed the result) is stated here, in Chinese, so views only lay
them out. Computed in `domain.panel`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from inspect_kit.domain.rounding import fmt_score

T = TypeVar("T")


def changed(obj: T, **changes: Any) -> T:
    """`dataclasses.replace` for the frozen result classes here, which have no __post_init__
    and no slots: a copy of the fields with some changed, without running __init__ over every
    field again (replace was a fifth of a panel's time; tests/unit/test_subject_result.py
    checks the copies equal replace's)."""
    new = object.__new__(type(obj))
    fields = new.__dict__
    fields.update(obj.__dict__)
    fields.update(changes)
    return new


@dataclass(frozen=True)
class SheetResult:
    """One rater's sheet for a subject as the panel sees it."""

    rater: str
    uuid: str
    revision: int
    role: str
    """'inspector' or 'self' (self-assessments are shown, never averaged in)."""
    total: float
    """Scored sections, as shown (the form's decimals)."""
    bonus: float
    """加分 earned (capped), as shown."""
    final: float
    """total + bonus rounded once from the unrounded figures (not the sum of the shown parts)."""
    grade: str
    sections: dict[str, float]
    """Section id -> scaled points, unrounded (scored sections only)."""
    vetoes: tuple[str, ...]
    """Ids of the vetoes this sheet raised."""
    finalized_at: str = ""
    total_exact: float | None = None
    bonus_exact: float | None = None
    final_exact: float | None = None
    kept: bool = True
    """False when the trimmed mean dropped this sheet's total (highest or lowest)."""
    voided: bool = False
    """A sheet voided after it was finalized (listed in `SubjectResult.voided`, not counted)."""
    void_reason: str = ""


RaterSheet = SheetResult
"""Former name, kept for callers that still use it."""


class Worded:
    """A sentence computed once in both languages: `text` (Chinese, the pack and the stored
    record) and `text_en`; every view asks `text_in(lang)` (panel_flags.py words both)."""

    text: str
    text_en: str

    def text_in(self, lang: str) -> str:
        return self.text_en if lang == "en" and self.text_en else self.text


@dataclass(frozen=True)
class VetoRaised:
    """A rater who raised a veto and their 情况说明 (may be empty)."""

    rater: str
    note: str


@dataclass(frozen=True)
class PanelVeto:
    """One veto question (or a veto/fail option) raised by at least one rater."""

    id: str
    text: str
    source: str
    """'veto' (a 一票否决 question), 'option' (an item's veto option), 'fail' (failing option)."""
    raised_by: tuple[VetoRaised, ...]
    applies: bool
    """Raised by any rater (panel.veto any) or by more than half of them (majority)."""

    @property
    def raters(self) -> tuple[str, ...]:
        return tuple(r.rater for r in self.raised_by)


@dataclass(frozen=True)
class SectionResult:
    """The panel's figure for one scored section.

    Each section is aggregated over the raters by itself (its own highest and lowest dropped),
    so the sections need not add up to the total, which is aggregated from the raters' totals.
    """

    id: str
    title: str
    points: float
    value: float
    """The panel's figure, in points, as shown (the form's decimals)."""
    ratio: float
    """value_exact / points (0..1), unrounded: what section floors are checked on."""
    rater_values: tuple[float, ...]
    value_exact: float = 0.0


ReasonKind = Literal["veto", "fail", "section_min", "veto_short"]


@dataclass(frozen=True)
class Reason(Worded):
    """One reason the grade is what it is (or a veto raised that did not apply)."""

    kind: ReasonKind
    """veto: a 一票否决 applied; fail: a failing option; section_min: a section below the
    band's floor lowered the grade (downgrade); veto_short: raised, short of a majority."""
    text: str
    """The sentence, in Chinese, with who raised it."""
    raised_by: tuple[VetoRaised, ...] = ()
    """Vetoes: who raised it and their 情况说明."""
    sections: tuple[str, ...] = ()
    """Section floors: the titles of the sections below the floor."""
    text_en: str = ""


@dataclass(frozen=True)
class Quorum(Worded):
    """How many inspectors' sheets the subject has against the form's `min_raters`."""

    sheets: int
    min_raters: int
    method: str
    """The rule the form names (mean, median, trimmed-mean)."""
    applied: str
    """The rule actually applied (trimmed-mean falls back to mean below min_raters)."""
    text: str
    """e.g. '评委不足：3 张评分表，少于 5 张；按算术平均，未去掉最高分和最低分'; '' when met."""
    text_en: str = ""

    @property
    def short(self) -> bool:
        """Fewer sheets than `min_raters`: the subject is flagged 评委不足 in every view."""
        return self.sheets < self.min_raters


@dataclass(frozen=True)
class VoidedSheet(Worded):
    """A sheet for this subject voided after it was finalized, and what it changed."""

    uuid: str
    rater: str
    reason: str
    """The reason given when it was voided."""
    final: float
    """Its score (as shown) before it was voided."""
    changed: bool
    """Counting it would give another score, grade or rule: the void changed the result."""
    text: str
    """e.g. '作废评分表 1a2b3c4d（王五，理由：…）：计入时小组得分 88.0、等次 良好'."""
    text_en: str = ""


FlagKind = Literal["quorum", "spread", "voided"]


@dataclass(frozen=True)
class Flag(Worded):
    """Something the committee should look at: 评委不足, raters far apart, a void that mattered."""

    kind: FlagKind
    text: str
    text_en: str = ""


@dataclass(frozen=True)
class SubjectResult:
    """The panel result for one subject in one round: every view reads this, nothing else."""

    subject: str
    subject_name: str
    sheets: tuple[SheetResult, ...]
    """Inspectors' sheets counted, ordered by rater name (`kept` False: dropped by trimming)."""
    method: str
    """The rule actually applied to the total (trimmed-mean falls back to mean)."""
    dropped: tuple[str, ...]
    """Raters whose total the trimmed mean dropped."""
    sections: tuple[SectionResult, ...]
    total: float
    """Scored sections' panel figure, as shown."""
    bonus: float
    """加分 earned (capped), as shown."""
    final: float
    """The panel score as shown: rounded once from final_exact; the grade is decided on it."""
    spread: float
    sd: float
    spread_flag: bool
    vetoes: tuple[PanelVeto, ...]
    band: str
    """The grade the shown score alone reaches."""
    grade: str
    """The final grade (after section floors and vetoes)."""
    grade_reason: str | None
    rank: int
    self_assessments: tuple[SheetResult, ...] = ()
    district: str = ""
    level: str = ""
    total_exact: float = 0.0
    bonus_exact: float = 0.0
    final_exact: float = 0.0
    bonus_possible: float = 0.0
    """The most 加分 a subject can earn (the form's bonus_cap, or less if its items allow less)."""
    decimals: int = 1
    reasons: tuple[Reason, ...] = ()
    quorum: Quorum | None = None
    voided: tuple[VoidedSheet, ...] = ()
    flags: tuple[Flag, ...] = ()

    @property
    def rater_count(self) -> int:
        return len(self.sheets)

    @property
    def vetoed(self) -> bool:
        return any(v.applies for v in self.vetoes)

    @property
    def downgraded(self) -> bool:
        """Not vetoed, but a section floor kept the score's band from being the grade."""
        return not self.vetoed and self.grade != self.band

    @property
    def short_panel(self) -> bool:
        """评委不足: fewer inspectors' sheets than the form's min_raters."""
        return self.quorum is not None and self.quorum.short

    @property
    def rater_totals(self) -> tuple[float, ...]:
        return tuple(s.total for s in self.sheets)

    def fmt(self, value: float) -> str:
        """A figure of this subject as shown (the form's decimals)."""
        return fmt_score(value, self.decimals)

    def shown_total(self, lang: str = "zh") -> str:
        """e.g. '86.5 + 加分 2.0 = 88.5' when there is a bonus, else '86.5'."""
        if self.bonus_possible and self.bonus:
            word = "bonus" if lang == "en" else "加分"
            parts = self.fmt(self.total), self.fmt(self.bonus), self.fmt(self.final)
            return "{} + {word} {} = {}".format(*parts, word=word)
        return self.fmt(self.final)

    def bonus_text(self, lang: str = "zh") -> str:
        """加分 earned of possible ('加分 2.0 / 5'); '' for forms without bonus."""
        if not self.bonus_possible:
            return ""
        word = "bonus" if lang == "en" else "加分"
        return f"{word} {self.fmt(self.bonus)} / {self.bonus_possible:g}"

    def section(self, section_id: str) -> SectionResult | None:
        return next((s for s in self.sections if s.id == section_id), None)


SubjectPanel = SubjectResult
"""Former name, kept for callers that still use it."""


@dataclass(frozen=True)
class GradeCount:
    """Subjects per final grade; vetoed and downgraded (section floor) ones counted apart."""

    grade: str
    low: float
    high: float
    """The grade's score band [low, high) (high: the next better band's min, or the top)."""
    count: int
    """All subjects whose final grade this is."""
    vetoed: int
    """Of them, set by a veto (whatever their score)."""
    downgraded: int
    """Of them, lowered from a better band by a section floor."""

    @property
    def by_score(self) -> int:
        """Of them, graded by their score alone."""
        return self.count - self.vetoed - self.downgraded
