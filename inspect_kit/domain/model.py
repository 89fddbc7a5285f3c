"""Form definitions as immutable pydantic models (DESIGN §3). No IO here: see forms.py."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from inspect_kit.i18n.form_text import localized

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
Points = Annotated[float, Field(ge=0, le=10000)]

METHODS = ("实地查看", "查阅资料", "座谈", "个别访谈", "问卷", "听取汇报", "自查自评", "交叉检查")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Option(Frozen):
    """One choice of a `choice` or `multi` item."""

    label: str = Field(min_length=1)
    """What the inspector sees and what the answer stores."""
    label_en: str | None = None
    points: Points = 0
    """Points this option earns."""
    veto: bool = False
    """Choosing this option fires a 一票否决."""
    fail: bool = False
    """Choosing this option caps the grade at `veto_grade` (a failing item, not a veto)."""


class Band(Frozen):
    """For `number` items: a value of at least `min` earns `points` (highest min tried first)."""

    min: float
    points: Points
    when: str | None = None
    """Only for subjects this condition holds for, e.g. "subject.level == '乡镇级'" (it may
    name `subject.*` only). Bands whose `when` holds replace the bands without one; the bands
    without `when` are the default (for every other subject, and sheets without facts)."""


class ItemBase(Frozen):
    id: Id
    text: str = Field(min_length=1)
    """The question or requirement as printed on the sheet."""
    text_en: str | None = None
    guidance: str | None = None
    """检查要点: how to judge, shown beside the input."""
    guidance_en: str | None = None
    methods: tuple[str, ...] = ()
    """实地查看 / 查阅资料 / 座谈 / 个别访谈 / 问卷 ..."""
    hint: str | None = None
    hint_en: str | None = None
    required: bool | None = None
    """Must be answered before finalizing; default true for scored items."""
    allow_na: bool = False
    """N/A leaves the item out of both earned and possible points."""
    show_if: str | None = None
    """A condition on other answers, e.g. "has-site == '有'".

    Hidden items neither score nor keep a value."""

    @property
    def scored(self) -> bool:
        return self.max_points > 0

    @property
    def max_points(self) -> float:
        return 0.0

    @property
    def is_required(self) -> bool:
        if self.required is not None:
            return self.required
        return self.scored


class YesNoItem(ItemBase):
    type: Literal["yesno"]
    points: Points = 0
    good: Literal["yes", "no"] = "yes"
    """Which answer earns the points."""
    labels: tuple[str, str] = ("是", "否")
    """Labels for yes and no, e.g. [有, 无]."""
    veto_on: Literal["yes", "no"] | None = None
    """An answer that fires a 一票否决 (rare; most vetoes live in `vetoes`)."""

    @property
    def max_points(self) -> float:
        return self.points


class ChoiceItem(ItemBase):
    type: Literal["choice"]
    options: tuple[Option, ...] = Field(min_length=2)
    max: Points | None = None
    """Full marks; defaults to the best option's points."""

    @property
    def max_points(self) -> float:
        return self.max if self.max is not None else max(o.points for o in self.options)


class MultiItem(ItemBase):
    type: Literal["multi"]
    options: tuple[Option, ...] = Field(min_length=1)
    max: Points | None = None
    """Cap on the sum; defaults to the sum of all options."""

    @property
    def max_points(self) -> float:
        return self.max if self.max is not None else sum(o.points for o in self.options)


class ScoreItem(ItemBase):
    type: Literal["score"]
    max: Points
    step: float = Field(default=0.5, gt=0)

    @property
    def max_points(self) -> float:
        return self.max


class DeductItem(ItemBase):
    type: Literal["deduct"]
    max: Points
    per: float = Field(default=1, gt=0)
    """Points lost per defect found ("缺1项扣1分"), never below 0 ("扣完为止")."""
    defects: tuple[str, ...] = ()
    """Optional named checklist of what can be missing."""
    defects_en: tuple[str, ...] = ()
    """English names of `defects`, in the same order (shown with --lang en; answers store the
    Chinese names)."""

    @property
    def max_points(self) -> float:
        return self.max


class NumberItem(ItemBase):
    type: Literal["number"]
    unit: str | None = None
    bands: tuple[Band, ...] = ()
    per: float | None = Field(default=None, gt=0)
    max: Points | None = None
    min_value: float = 0
    """Smallest value accepted."""
    max_value: float | None = None
    """Largest value accepted."""
    integer: bool = False

    @property
    def default_bands(self) -> tuple[Band, ...]:
        """The bands without `when` (see `scoring.for_subject` for a subject's own bands)."""
        return tuple(b for b in self.bands if not b.when)

    @property
    def max_points(self) -> float:
        if self.bands:
            return max(b.points for b in self.default_bands or self.bands)
        if self.per is not None and self.max is not None:
            return self.max
        return 0.0


class Column(Frozen):
    """One column of a `table` item: every row holds one cell of it."""

    id: Id
    """The cell's key in a stored row (and in answer files)."""
    title: str = Field(min_length=1)
    """The column heading, e.g. 日期, 主题, 参加人数."""
    title_en: str | None = None
    type: Literal["date", "text", "number", "choice"]
    required: bool = True
    """A row must fill this cell; an optional cell may stay blank."""
    options: tuple[str, ...] = ()
    """`choice` columns: the labels a cell may hold."""
    options_en: tuple[str, ...] = ()
    """English names of `options`, in the same order (cells store the Chinese)."""
    integer: bool = True
    """`number` columns: whole numbers only (a head count); false allows decimals."""
    min_value: float = 0
    max_value: float | None = None
    unit: str | None = None


class TableItem(ItemBase):
    """Repeat rows: a list of records (活动台账: 日期, 主题, 参加人数), scored through the
    number of rows or the sum of one number column, by `bands` or `per` × n capped at `max`
    (the same rule as a `number` item)."""

    type: Literal["table"]
    columns: tuple[Column, ...] = Field(min_length=1, max_length=12)
    score_by: str = "rows"
    """What the bands or `per` apply to: `rows` (how many records) or a number column's id
    (the sum of that column)."""
    bands: tuple[Band, ...] = ()
    per: float | None = Field(default=None, gt=0)
    max: Points | None = None
    min_rows: int = Field(default=0, ge=0)
    """Fewer rows than this leave the item open (the sheet cannot be finalized)."""
    max_rows: int = Field(default=200, ge=1, le=1000)
    """More rows than this are refused."""
    unit: str | None = None
    """What one row is, e.g. 场 (shown beside the row count)."""

    @property
    def default_bands(self) -> tuple[Band, ...]:
        """The bands without `when`, as for a number item (`scoring.for_subject`)."""
        return tuple(b for b in self.bands if not b.when)

    @property
    def max_points(self) -> float:
        if self.bands:
            return max(b.points for b in self.bands)
        if self.per is not None and self.max is not None:
            return self.max
        return 0.0

    def column(self, column_id: str) -> Column:
        for column in self.columns:
            if column.id == column_id:
                return column
        raise KeyError(column_id)


class TextItem(ItemBase):
    type: Literal["text"]
    multiline: bool = False


class DateItem(ItemBase):
    type: Literal["date"]


class PhotoItem(ItemBase):
    type: Literal["photo"]


class SignatureItem(ItemBase):
    type: Literal["signature"]


class NoteItem(ItemBase):
    type: Literal["note"]

    @property
    def is_required(self) -> bool:
        return False


Item = Annotated[
    YesNoItem
    | ChoiceItem
    | MultiItem
    | ScoreItem
    | DeductItem
    | NumberItem
    | TextItem
    | DateItem
    | PhotoItem
    | SignatureItem
    | NoteItem
    | TableItem,
    Field(discriminator="type"),
]
ITEM_TYPES = (
    "yesno", "choice", "multi", "score", "deduct", "number",
    "text", "date", "photo", "signature", "note", "table",
)  # fmt: skip


class Section(Frozen):
    id: Id
    title: str = Field(min_length=1)
    title_en: str | None = None
    points: Points = 0
    """What the section contributes to the total (bonus sections: ignored, see bonus_cap)."""
    bonus: bool = False
    """A 加分项 section: counted apart, capped by the form's bonus_cap."""
    scale: bool = False
    """Allow the items' full marks to differ from `points`; earned points are then scaled."""
    items: tuple[Item, ...] = Field(min_length=1)

    @property
    def max_raw(self) -> float:
        return sum(i.max_points for i in self.items)


class Grade(Frozen):
    grade: str = Field(min_length=1)
    grade_en: str | None = None
    min: float = Field(ge=0)
    """Lowest score (total + bonus) for this grade."""
    section_min: float | None = Field(default=None, ge=0, le=1)
    """Every scored section must reach this share of its points."""
    section_min_of: tuple[Id, ...] = ()
    """The sections `section_min` applies to (基本要求); empty: every scored section."""

    def floors(self, section_id: str) -> bool:
        """Whether `section_min` applies to this section."""
        return self.section_min is not None and (
            not self.section_min_of or section_id in self.section_min_of
        )


class Panel(Frozen):
    method: Literal["mean", "median", "trimmed-mean"] = "trimmed-mean"
    trim: int = Field(default=1, ge=0)
    min_raters: int = Field(default=5, ge=1)
    """Trim only when at least this many sheets; otherwise the plain mean."""
    max_spread: float = Field(default=15, ge=0)
    """Flag a subject whose raters' totals differ by more than this many points."""
    veto: Literal["any", "majority"] = "any"


class Veto(Frozen):
    id: Id
    text: str = Field(min_length=1)
    text_en: str | None = None
    guidance: str | None = None
    guidance_en: str | None = None


class Form(Frozen):
    form: Id
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    title_en: str | None = None
    description: str | None = None
    description_en: str | None = None
    subject: str = Field(min_length=1)
    """The roster kind this form scores (education-base, committee, ...)."""
    total: Points = 100
    bonus_cap: Points = 0
    score_cap: Points | None = None
    """The highest score (total + bonus) a sheet or panel shows, e.g. 100 where the rules say
    the total is capped at 100; None: total + bonus may exceed the total."""
    bonus_counts: bool = True
    """Whether the bonus counts toward the grade (false: the grade is decided on the total
    alone, the bonus is shown beside it)."""
    decimals: int = Field(default=1, ge=0, le=3)
    """Decimals every score of this form shows (sheets and panels); rounded once, halves up."""
    grades: tuple[Grade, ...] = Field(min_length=1)
    veto_grade: str | None = None
    """Grade when a veto fires; defaults to the lowest grade."""
    panel: Panel = Panel()
    deduction_note: Literal["required", "optional", "off"] = "required"
    review: Literal["required", "off"] = "off"
    """`required`: the office reviews every finalized sheet; panels, charts and the pack count
    approved sheets only and say how many await review. `off` (default): every sheet counts."""
    sections: tuple[Section, ...] = Field(min_length=1)
    vetoes: tuple[Veto, ...] = ()

    @model_validator(mode="after")
    def _default_veto_grade(self) -> Form:
        if self.veto_grade is None:
            object.__setattr__(self, "veto_grade", self.grades[-1].grade)
        return self

    # Lookups used everywhere; cheap enough to rebuild (forms are small).
    def iter_items(self):
        for section in self.sections:
            for item in section.items:
                yield section, item

    def item(self, item_id: str):
        for _, item in self.iter_items():
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def section_of(self, item_id: str) -> Section:
        for section, item in self.iter_items():
            if item.id == item_id:
                return section
        raise KeyError(item_id)

    def title_for(self, lang: str) -> str:
        return localized(self, "title", lang)

    @property
    def item_count(self) -> int:
        return sum(len(s.items) for s in self.sections)

    @property
    def scored_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if not s.bonus)

    @property
    def bonus_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.bonus)
