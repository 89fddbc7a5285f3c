"""One home per item type: how a value of that type is normalised, scored, checked for a
veto, described in text and seen by `show_if` conditions. Adding an item type means one class
here (and its model in model.py); answers.py, sheet.py and scoring.py dispatch through
`behaviour(item)`. Front-ends keep their own widgets and prompts.
"""

from __future__ import annotations

from typing import Any

from inspect_kit.base.errors import AnswerError
from inspect_kit.domain import table_rows
from inspect_kit.domain.conditions import YesNoValue
from inspect_kit.domain.model import (
    ChoiceItem,
    DateItem,
    DeductItem,
    Item,
    MultiItem,
    NoteItem,
    NumberItem,
    PhotoItem,
    ScoreItem,
    SignatureItem,
    TableItem,
    TextItem,
    YesNoItem,
)
from inspect_kit.domain.values import (
    EPS,
    MAX_TEXT,
    as_list,
    number,
    parse_date,
    parse_yesno,
    whole_number,
)
from inspect_kit.i18n.form_text import defect_label, label_for, unit_for, yesno_labels


class ItemBehaviour:
    """What one item type does with a value; the defaults suit an unscored, veto-free type."""

    answerable = True
    """False for a note: text to read, no value to enter."""
    empty_list_is_answer = False
    """True where [] means something (nothing ticked, no defects) rather than "cleared"."""
    signed = False
    """True where setting a value records when it was signed."""

    def normalize(self, item: Any, raw: Any) -> Any:
        """The canonical form of `raw` for `item`, or raise AnswerError."""
        raise AnswerError(code="answer.unknown_type", type=item.type)

    def points(self, item: Any, value: Any) -> float | None:
        """Points a canonical value earns (the item is scored and the value present)."""
        return None

    def veto(self, item: Any, value: Any) -> tuple[bool, bool]:
        """(fires a veto, fails the sheet) for a canonical value."""
        return False, False

    def describe(self, item: Any, value: Any, lang: str) -> str:
        """A (non-None) value as a person reads it: lists joined, whole floats as ints."""
        if isinstance(value, list):
            return "、".join(str(v) for v in value)
        if isinstance(value, float) and value == int(value):
            return str(int(value))
        return str(value)

    def condition_value(self, item: Any, value: Any) -> Any:
        """The value a `show_if` condition sees."""
        return value

    def short(self, item: Any, value: Any) -> bool:
        """True while a given value is not yet enough to finalize (a table below min_rows)."""
        return False


class NoteBehaviour(ItemBehaviour):
    answerable = False

    def normalize(self, item: NoteItem, raw: Any) -> Any:
        raise AnswerError(code="answer.note_item")


class YesNoBehaviour(ItemBehaviour):
    def normalize(self, item: YesNoItem, raw: Any) -> Any:
        return parse_yesno(item, raw)

    def points(self, item: YesNoItem, value: Any) -> float | None:
        good = value if item.good == "yes" else not value
        return item.points if good else 0.0

    def veto(self, item: YesNoItem, value: Any) -> tuple[bool, bool]:
        if item.veto_on and isinstance(value, bool):
            return value == (item.veto_on == "yes"), False
        return False, False

    def describe(self, item: YesNoItem, value: Any, lang: str) -> str:
        yes, no = yesno_labels(item.labels, lang)
        return yes if value else no

    def condition_value(self, item: YesNoItem, value: Any) -> Any:
        # compares equal to both the bool and the label, so `x == '有'` and `x == true` work
        if isinstance(value, bool):
            return YesNoValue(value, item.labels[0] if value else item.labels[1])
        return value


class ChoiceBehaviour(ItemBehaviour):
    def normalize(self, item: ChoiceItem, raw: Any) -> Any:
        text = str(raw).strip()
        for option in item.options:
            if text in (option.label, option.label_en):
                return option.label
        if isinstance(raw, int) and not isinstance(raw, bool) and 1 <= raw <= len(item.options):
            return item.options[raw - 1].label
        choices = "、".join(o.label for o in item.options)
        raise AnswerError(code="answer.not_an_option", raw=raw, choices=choices)

    def points(self, item: ChoiceItem, value: Any) -> float | None:
        for option in item.options:
            if option.label == value:
                return min(option.points, item.max_points)
        return None

    def veto(self, item: ChoiceItem, value: Any) -> tuple[bool, bool]:
        for option in item.options:
            if option.label == value:
                return option.veto, option.fail
        return False, False

    def describe(self, item: ChoiceItem, value: Any, lang: str) -> str:
        return _option_label(item, value, lang)


class MultiBehaviour(ItemBehaviour):
    empty_list_is_answer = True

    def normalize(self, item: MultiItem, raw: Any) -> Any:
        labels = {o.label: o.label for o in item.options}
        labels.update({o.label_en: o.label for o in item.options if o.label_en})
        chosen: list[str] = []
        for part in as_list(raw):
            if part not in labels:
                choices = "、".join(o.label for o in item.options)
                raise AnswerError(code="answer.not_an_option", raw=part, choices=choices)
            chosen.append(labels[part])
        return [o.label for o in item.options if o.label in chosen]

    def points(self, item: MultiItem, value: Any) -> float | None:
        chosen = sum(o.points for o in item.options if o.label in value)
        return min(chosen, item.max_points)

    def veto(self, item: MultiItem, value: Any) -> tuple[bool, bool]:
        if not isinstance(value, list):
            return False, False
        chosen = [o for o in item.options if o.label in value]
        return any(o.veto for o in chosen), any(o.fail for o in chosen)

    def describe(self, item: MultiItem, value: Any, lang: str) -> str:
        if not isinstance(value, list):
            return super().describe(item, value, lang)
        return ("; " if lang == "en" else "、").join(_option_label(item, v, lang) for v in value)


def _option_label(item: ChoiceItem | MultiItem, label: Any, lang: str) -> str:
    """A stored option label as shown in `lang` (`label_en` in English)."""
    for option in item.options:
        if option.label == label:
            return label_for(option, lang)
    return str(label)


class ScoreBehaviour(ItemBehaviour):
    def normalize(self, item: ScoreItem, raw: Any) -> Any:
        value = number(raw, "得分", "the score")
        if value < -EPS or value > item.max + EPS:
            raise AnswerError(code="answer.score_range", max=f"{item.max:g}")
        steps = value / item.step
        if abs(steps - round(steps)) > 1e-6:
            raise AnswerError(code="answer.score_step", step=f"{item.step:g}")
        return round(value, 4)

    def points(self, item: ScoreItem, value: Any) -> float | None:
        return float(value)


class DeductBehaviour(ItemBehaviour):
    empty_list_is_answer = True

    def normalize(self, item: DeductItem, raw: Any) -> Any:
        if (
            item.defects
            and not isinstance(raw, int | float)
            and not (isinstance(raw, str) and raw.strip().isdigit())
        ):
            english = dict(zip(item.defects_en, item.defects, strict=False))
            found = [english.get(d, d) for d in as_list(raw)]  # English names are accepted too
            unknown = [d for d in found if d not in item.defects]
            if unknown:
                raise AnswerError(
                    code="answer.not_a_defect", raw=unknown[0], defects="、".join(item.defects)
                )
            return [d for d in item.defects if d in found]
        count = number(raw, "问题数", "the number of problems")
        if count < 0 or count != int(count):
            raise AnswerError(code="answer.defect_count")
        if item.defects and count > len(item.defects):
            raise AnswerError(code="answer.too_many_defects", n=len(item.defects))
        return int(count)

    def points(self, item: DeductItem, value: Any) -> float | None:
        defects = len(value) if isinstance(value, list) else int(value)
        return max(0.0, item.max - item.per * defects)

    def describe(self, item: DeductItem, value: Any, lang: str) -> str:
        if isinstance(value, list):
            if not value:
                return "none" if lang == "en" else "无"
            return ("; " if lang == "en" else "、").join(defect_label(item, d, lang) for d in value)
        return f"{value} {'defects' if lang == 'en' else '处'}"


class NumberBehaviour(ItemBehaviour):
    def normalize(self, item: NumberItem, raw: Any) -> Any:
        value = number(raw, "此项", "this item")
        if value < item.min_value - EPS:
            raise AnswerError(code="answer.below_min", min=f"{item.min_value:g}")
        if item.max_value is not None and value > item.max_value + EPS:
            raise AnswerError(code="answer.above_max", max=f"{item.max_value:g}")
        if item.integer:
            value = whole_number(raw)
        return int(value) if value == int(value) else value

    def points(self, item: NumberItem, value: Any) -> float | None:
        if item.bands:
            # bands with a `when` count only once scoring.for_subject has chosen them
            for band in sorted(item.default_bands, key=lambda b: b.min, reverse=True):
                if value >= band.min - EPS:
                    return band.points
            return 0.0
        if item.per is not None and item.max is not None:
            return min(item.max, item.per * value)
        return None

    def describe(self, item: NumberItem, value: Any, lang: str) -> str:
        plain = super().describe(item, value, lang)
        if not item.unit or isinstance(value, list) or plain != str(value):
            return plain  # lists and whole floats go without the unit, as they always have
        return f"{value} {unit_for(item, lang)}".rstrip()


class DateBehaviour(ItemBehaviour):
    def normalize(self, item: DateItem, raw: Any) -> Any:
        return parse_date(raw).isoformat()


class PhotoBehaviour(ItemBehaviour):
    def normalize(self, item: PhotoItem, raw: Any) -> Any:
        return as_list(raw)


class TextBehaviour(ItemBehaviour):
    """Free text."""

    def normalize(self, item: TextItem | SignatureItem, raw: Any) -> Any:
        text = str(raw).strip()
        if len(text) > MAX_TEXT:
            raise AnswerError(code="answer.text_too_long", max=MAX_TEXT)
        return text


class SignatureBehaviour(TextBehaviour):
    """A name typed as a signature; the sheet keeps when it was signed beside the value."""

    signed = True


class TableBehaviour(ItemBehaviour):
    """Repeat rows; scored like a `number` item whose value is the row count or a column sum."""

    empty_list_is_answer = True

    def normalize(self, item: TableItem, raw: Any) -> Any:
        return table_rows.parse_rows(item, raw)

    def points(self, item: TableItem, value: Any) -> float | None:
        # the number item's band rule, on what the table measures (one rule for both)
        as_number = NumberItem(type="number", id=item.id, text=item.text, bands=item.bands,
                               per=item.per, max=item.max)  # fmt: skip
        return BEHAVIOURS[NumberItem].points(as_number, table_rows.measure(item, value))

    def describe(self, item: TableItem, value: Any, lang: str) -> str:
        if not isinstance(value, list):
            return super().describe(item, value, lang)
        return table_rows.summary(item, value, lang)

    def condition_value(self, item: TableItem, value: Any) -> Any:
        # `act-log >= 3` in a show_if: the table counts as its number of rows
        return len(value) if isinstance(value, list) else value

    def short(self, item: TableItem, value: Any) -> bool:
        return isinstance(value, list) and len(value) < item.min_rows


_UNKNOWN = ItemBehaviour()
BEHAVIOURS: dict[type, ItemBehaviour] = {
    NoteItem: NoteBehaviour(),
    YesNoItem: YesNoBehaviour(),
    ChoiceItem: ChoiceBehaviour(),
    MultiItem: MultiBehaviour(),
    ScoreItem: ScoreBehaviour(),
    DeductItem: DeductBehaviour(),
    NumberItem: NumberBehaviour(),
    DateItem: DateBehaviour(),
    PhotoItem: PhotoBehaviour(),
    TextItem: TextBehaviour(),
    SignatureItem: SignatureBehaviour(),
    TableItem: TableBehaviour(),
}


def behaviour(item: Item) -> ItemBehaviour:
    """The behaviour of `item`'s type (subclasses of a model class share its behaviour)."""
    for cls in type(item).__mro__:
        found = BEHAVIOURS.get(cls)
        if found is not None:
            return found
    return _UNKNOWN
