"""Form text in the interface language: the one place for the rule "use the `*_en` field of a
form, section, item, option or grade in English where the form has it, else the Chinese".

Answers are stored in canonical (Chinese) form whatever the language.
"""

from __future__ import annotations

from typing import Any

# Yes/no label pairs of the built-in forms, in English (a yes/no stores a bool either way).
YESNO_EN: dict[tuple[str, str], tuple[str, str]] = {
    ("是", "否"): ("Yes", "No"),
    ("有", "无"): ("Yes", "No"),
    ("符合", "不符合"): ("Meets", "Does not meet"),
    ("已报送", "未报送"): ("Submitted", "Not submitted"),
}


# Units of number items and inspection methods (a fixed list, domain.model.METHODS), in English.
UNIT_EN: dict[str, str] = {
    "次": "times", "人次": "visits", "场": "sessions", "元": "yuan", "人": "people",
    "条": "items", "天": "days", "%": "%", "分": "points", "个": "",
}  # fmt: skip
METHOD_EN: dict[str, str] = {
    "实地查看": "site inspection", "查阅资料": "document check", "座谈": "group discussion",
    "个别访谈": "interviews", "问卷": "questionnaire", "听取汇报": "briefing",
    "自查自评": "self-assessment", "交叉检查": "cross-inspection",
}  # fmt: skip


def unit_for(item: Any, lang: str) -> str:
    """A number item's unit as shown ('' when it has none)."""
    unit = getattr(item, "unit", None) or ""
    return UNIT_EN.get(unit, unit) if lang == "en" else unit


def methods_for(item: Any, lang: str) -> str:
    """An item's inspection methods, joined as the language writes lists."""
    methods = getattr(item, "methods", None) or ()
    if lang == "en":
        return ", ".join(METHOD_EN.get(m, m) for m in methods)
    return "、".join(methods)


def localized(obj: Any, field: str, lang: str) -> str:
    """`obj.<field>` in `lang`: `obj.<field>_en` in English where present, else the Chinese."""
    text = getattr(obj, field)
    if lang == "en":
        return getattr(obj, f"{field}_en", None) or text
    return text


def text_for(obj: Any, lang: str) -> str:
    """An item's, veto's or note's text: `text_en` in English where present."""
    return localized(obj, "text", lang)


def title_for(obj: Any, lang: str) -> str:
    """A section's or form's title: `title_en` in English where present."""
    return localized(obj, "title", lang)


def guidance_for(obj: Any, lang: str) -> str | None:
    """An item's or veto's 检查要点: `guidance_en` in English where present (None without one)."""
    if not getattr(obj, "guidance", None):
        return None
    return localized(obj, "guidance", lang)


def label_for(option: Any, lang: str) -> str:
    """An option's label as shown (the stored value stays `option.label`)."""
    return localized(option, "label", lang)


def defect_labels(item: Any, lang: str) -> list[str]:
    """A deduct item's checklist as shown: `defects_en` in English where the form names every
    defect in English (the answer keeps the Chinese names)."""
    english = getattr(item, "defects_en", ())
    if lang == "en" and english and len(english) == len(item.defects):
        return list(english)
    return list(item.defects)


def defect_label(item: Any, defect: str, lang: str) -> str:
    """One defect's name as shown."""
    shown = dict(zip(item.defects, defect_labels(item, lang), strict=True))
    return shown.get(defect, defect)


def yesno_labels(labels: tuple[str, str], lang: str) -> tuple[str, str]:
    """Yes/no labels as shown; unknown pairs stay as the form writes them."""
    return YESNO_EN.get(tuple(labels), labels) if lang == "en" else labels  # type: ignore[arg-type]


def grade_for(form: Any, grade: str | None, lang: str) -> str:
    """A grade name as shown: `grade_en` in English where the form has it."""
    if lang != "en" or grade is None:
        return grade or ""
    for g in form.grades:
        if g.grade == grade:
            return localized(g, "grade", lang)
    return grade
