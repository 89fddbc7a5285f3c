"""The reasons and flags of a subject's panel result, worded once for every view, in Chinese
(`text`: the pack, the XLSX, the stored record) and English (`text_en`: `--lang en`), both from
the catalog's `subject.*` sentences (i18n/core_messages.py).

Reasons say why the grade is what it is: a veto (who raised it, with their 情况说明), a failing
option, a section below the band's floor (the grade lowered: a downgrade), and a veto raised
that did not apply (short of a majority). Flags say what the committee should look at: fewer
sheets than `min_raters` (评委不足, with the rule that applied), raters far apart, and a voided
sheet that changed the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from inspect_kit.domain.panel_words import method_name
from inspect_kit.domain.reasons import floor_of, floor_reason
from inspect_kit.domain.rounding import fmt_score, round_score
from inspect_kit.domain.subject_result import (
    PanelVeto,
    Quorum,
    Reason,
    ReasonKind,
    SectionResult,
    SubjectResult,
    VoidedSheet,
)
from inspect_kit.i18n.catalog import tr
from inspect_kit.i18n.form_text import localized

if TYPE_CHECKING:
    from inspect_kit.domain.model import Form, Grade

EPS = 1e-9


LANGS = ("zh", "en")


def _who(veto: PanelVeto, lang: str = "zh") -> str:
    return tr("reason.join", lang).join(
        tr("subject.who_note", lang, rater=r.rater, note=r.note) if r.note else r.rater
        for r in veto.raised_by
    )


def _veto_text(form: Form, veto: PanelVeto, lang: str) -> str:
    """The veto question's (or option's item's) text in `lang`, as the form words it."""
    if lang != "en":
        return veto.text
    source: Any = next((v for v in form.vetoes if v.id == veto.id), None)
    if source is None:
        try:
            source = form.item(veto.id)
        except KeyError:
            return veto.text
    return localized(source, "text", lang) if source.text == veto.text else veto.text


def _grade_name(form: Form, grade: str, lang: str) -> str:
    return next((localized(g, "grade", lang) for g in form.grades if g.grade == grade), grade)


def _how(applied: str, lang: str) -> str:
    return method_name(applied, lang, "long")


def reasons_of(
    form: Form,
    band: Grade,
    grade: Grade,
    sections: Sequence[SectionResult],
    vetoes: Sequence[PanelVeto],
) -> tuple[Reason, ...]:
    """Every reason for the grade, the deciding ones first (vetoes, failing options, floors)."""
    out = []
    for veto in vetoes:
        if not veto.applies:
            continue
        kind: ReasonKind = "fail" if veto.source == "fail" else "veto"
        zh, en = (
            tr(f"subject.{kind}", lang, text=_veto_text(form, veto, lang), who=_who(veto, lang))
            for lang in LANGS
        )
        out.append(Reason(kind, zh, veto.raised_by, text_en=en))
    ratios = [(s.id, s.title, s.ratio) for s in sections]
    found = floor_of(form, band, grade, ratios)
    text = floor_reason(form, band, grade, ratios)
    if found is not None and text is not None:
        titles = {x.id: localized(x, "title", "en") for x in form.sections}
        named = [(sid, titles.get(sid, title), ratio) for sid, title, ratio in ratios]
        en = floor_reason(form, band, grade, named, "en") or text
        low = tuple(title for _, title in found[1])
        out.append(Reason("section_min", text, sections=low, text_en=en))
    for veto in vetoes:
        if not veto.applies:
            zh, en = (
                tr(
                    "subject.veto_short",
                    lang,
                    text=_veto_text(form, veto, lang),
                    who=_who(veto, lang),
                )
                for lang in LANGS
            )
            out.append(Reason("veto_short", zh, veto.raised_by, text_en=en))
    return tuple(out)


def quorum_of(form: Form, sheets: int, applied: str) -> Quorum:
    """The subject's sheets against min_raters, and the rule that applied because of it."""
    rule = form.panel
    texts = ["", ""]
    if sheets < rule.min_raters:
        for i, lang in enumerate(LANGS):
            how = _how(applied, lang)
            if rule.method == "trimmed-mean" and applied == "mean":
                how += tr("subject.untrimmed", lang)
            texts[i] = tr("subject.quorum", lang, sheets=sheets, min=rule.min_raters, how=how)
    return Quorum(sheets, rule.min_raters, rule.method, applied, texts[0], text_en=texts[1])


def spread_flag(result: SubjectResult, max_spread: float, lang: str = "zh") -> str:
    return tr("subject.spread", lang, spread=result.fmt(result.spread), max=f"{max_spread:g}")


def voided_effect(
    result: SubjectResult,
    void_doc: Mapping[str, Any],
    counted: SubjectResult,
    form: Form | None = None,
) -> VoidedSheet:
    """A voided sheet named on its subject; `counted` is the result had it still counted."""
    decimals = result.decimals
    score = void_doc.get("score") or {}
    final = float(score.get("final_exact", score.get("final") or 0))
    reason = str(void_doc.get("amend_reason") or "")
    texts = []
    changed = False
    for lang in LANGS:
        changes = []
        if counted.final != result.final:
            changes.append(
                tr("subject.change_score", lang, score=fmt_score(counted.final, decimals))
            )
        if counted.grade != result.grade:
            grade = _grade_name(form, counted.grade, lang) if form else counted.grade
            changes.append(tr("subject.change_grade", lang, grade=grade))
        if counted.method != result.method:
            changes.append(tr("subject.change_method", lang, how=_how(counted.method, lang)))
        head = tr("subject.voided", lang, uuid=void_doc["uuid"][:8], rater=void_doc["rater"],
                  reason=reason or tr("subject.no_reason", lang))  # fmt: skip
        effect = tr("reason.list_join", lang).join(changes)
        tail = (
            tr("subject.void_changed", lang, changes=effect)
            if changes
            else tr("subject.void_same", lang)
        )
        texts.append(head + tail)
        changed = bool(changes)
    return VoidedSheet(
        uuid=str(void_doc["uuid"]),
        rater=str(void_doc["rater"]),
        reason=reason,
        final=round_score(final, decimals),
        changed=changed,
        text=texts[0],
        text_en=texts[1],
    )
