"""Why a grade is what it is, in one wording (the catalog's `reason.*`) for sheets and panels.

The score record stores the Chinese sentence (`grade_reason`); `explain_grade` words the same
reason in another language from the record's own figures, so no front-end re-translates it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from inspect_kit.domain.model import Form, Grade
from inspect_kit.i18n.catalog import tr
from inspect_kit.i18n.form_text import localized, text_for


class _Fired(Protocol):
    id: str
    text: str
    source: str


class _Section(Protocol):
    id: str
    title: str
    bonus: bool
    ratio: float | None


class Graded(Protocol):
    """What a score record (scoring.ScoreRecord) holds about its grade."""

    grade_reason: str | None
    band: str
    grade: str

    @property
    def vetoes(self) -> Sequence[_Fired]: ...
    @property
    def sections(self) -> Sequence[_Section]: ...


EPS = 1e-9


def section_min_reason(band: str, grade: str, low_sections: Sequence[str], share: float,
                       lang: str = "zh", blocker: str | None = None) -> str:  # fmt: skip
    """The score's band was not given because these sections are below the share of their
    points that `blocker` (the grade just above the one given; default the band) requires."""
    sections = tr("reason.list_join", lang).join(f"“{s}”" if lang != "en" else s
                                                 for s in low_sections)  # fmt: skip
    return tr("reason.section_min", lang, band=band, grade=grade, sections=sections,
              blocker=blocker or band, share=f"{share:.0%}")  # fmt: skip


def floor_of(form: Form, band: Grade, grade: Grade, ratios: Sequence[tuple[str, str, float]]
             ) -> tuple[Grade, list[tuple[str, str]]] | None:  # fmt: skip
    """Why the score's band was not the grade: the grade just above the one given (the
    nearest floor missed) and the (id, title) of the sections below its floor; None when the
    band stands."""
    if grade.grade == band.grade:
        return None
    names = [g.grade for g in form.grades]
    above = [g for g in form.grades[: names.index(grade.grade)] if g.section_min is not None]
    if not above:
        return None
    blocker = above[-1]
    share = blocker.section_min or 0.0
    low = [(sid, title) for sid, title, ratio in ratios
           if blocker.floors(sid) and ratio < share - EPS]  # fmt: skip
    return blocker, low


def floor_reason(form: Form, band: Grade, grade: Grade, ratios: Sequence[tuple[str, str, float]],
                 lang: str = "zh") -> str | None:  # fmt: skip
    """The sentence for floor_of (None when the band stands)."""
    found = floor_of(form, band, grade, ratios)
    if found is None:
        return None
    blocker, low = found
    return section_min_reason(_grade_name(form, band.grade, lang),
                              _grade_name(form, grade.grade, lang), [t for _, t in low],
                              blocker.section_min or 0.0, lang,
                              _grade_name(form, blocker.grade, lang))  # fmt: skip


def veto_reason(vetoes: Sequence[str], fails: Sequence[str], lang: str = "zh") -> str:
    """The vetoes (一票否决) and failing options that set the grade."""
    join = tr("reason.join", lang)
    parts = [tr("reason.veto", lang, texts=join.join(vetoes))] if vetoes else []
    parts += [tr("reason.fail", lang, texts=join.join(fails))] if fails else []
    return join.join(parts)


def raised_by(text: str, raters: Sequence[str], lang: str = "zh") -> str:
    """A panel veto with the raters who raised it."""
    return tr("reason.raised_by", lang, text=text, raters=tr("reason.list_join", lang).join(raters))


def _grade_name(form: Form, grade: str | None, lang: str) -> str:
    for g in form.grades:
        if g.grade == grade:
            return localized(g, "grade", lang)
    return grade or ""


def explain_grade(form: Form, record: Graded, lang: str) -> str | None:
    """`record.grade_reason` worded in `lang` (the stored Chinese sentence for zh)."""
    if lang != "en" or not record.grade_reason:
        return record.grade_reason
    if record.vetoes:
        texts = {"veto": [], "fail": []}  # type: dict[str, list[str]]
        for fired in record.vetoes:
            source = next((v for v in form.vetoes if v.id == fired.id), None)
            if source is None:
                try:
                    source = form.item(fired.id)  # type: ignore[assignment]
                except KeyError:
                    source = None
            text = text_for(source, lang) if source is not None else fired.text
            texts["fail" if fired.source == "fail" else "veto"].append(text)
        return veto_reason(texts["veto"], texts["fail"], lang)
    band = next((g for g in form.grades if g.grade == record.band), None)
    grade = next((g for g in form.grades if g.grade == record.grade), None)
    if band is None or grade is None:
        return record.grade_reason
    titles = {s.id: localized(s, "title", lang) for s in form.sections}
    ratios = [(s.id, titles.get(s.id, s.title), s.ratio) for s in record.sections
              if not s.bonus and s.ratio is not None]  # fmt: skip
    return floor_reason(form, band, grade, ratios, lang) or record.grade_reason
