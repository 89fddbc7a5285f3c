"""The panel view's text: a subject's table cells (score with 加分 earned of possible, raters'
totals with the dropped ones in brackets, who raised a veto, 评委不足) and the lines about the
highlighted subject, all read from its one `SubjectResult`."""

from __future__ import annotations

from inspect_kit.domain import panel_words
from inspect_kit.domain.model import Form
from inspect_kit.domain.panel_view import PanelView
from inspect_kit.domain.subject_result import SubjectResult
from inspect_kit.i18n.catalog import tr
from inspect_kit.i18n.form_text import grade_for, text_for

# Words of this view not in the catalog (zh, en).
WORDS = {
    "bonus": ("加分", "bonus"),
    "short": ("评委不足", "too few raters"),
    "voided": ("作废", "voided"),
    "district": ("地区", "District"),
}


def _w(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return en if lang == "en" else zh


def score_text(subject: SubjectResult, lang: str = "zh") -> str:
    """The panel's score as shown, with the 加分 in it: '102.3 (加分 5.0/5)'."""
    if subject.bonus_possible and subject.bonus:
        bonus = f"{subject.fmt(subject.bonus)}/{subject.bonus_possible:g}"
        return f"{subject.fmt(subject.final)} ({_w('bonus', lang)} {bonus})"
    return subject.fmt(subject.final)


def raters_text(subject: SubjectResult) -> str:
    """Raters' totals in rater order; the ones the trimmed mean dropped in brackets."""
    return " ".join(
        subject.fmt(s.total) if s.kept else f"({subject.fmt(s.total)})" for s in subject.sheets
    )


def grade_text(subject: SubjectResult, lang: str = "zh", form: Form | None = None) -> str:
    """The grade (the form's `grade_en` in English), ✗ when a veto set it, ↓ when a section
    floor lowered it, ⚑ 评委不足."""
    mark = " ✗" if subject.vetoed else " ↓" if subject.downgraded else ""
    short = f" ⚑{_w('short', lang)}" if subject.short_panel else ""
    grade = grade_for(form, subject.grade, lang) if form is not None else subject.grade
    return grade + mark + short


def veto_text(subject: SubjectResult) -> str:
    applying = [v for v in subject.vetoes if v.applies]
    if applying:
        who = dict.fromkeys(r for v in applying for r in v.raters)
        return "✗ " + "、".join(who)
    raised = dict.fromkeys(r for v in subject.vetoes for r in v.raters)
    return f"({'、'.join(raised)})" if raised else ""


def row_cells(subject: SubjectResult, lang: str = "zh", form: Form | None = None) -> list[str]:
    spread = subject.fmt(subject.spread) + (" ⚠" if subject.spread_flag else "")
    return [str(subject.rank), subject.subject_name, score_text(subject, lang),
            grade_text(subject, lang, form), spread, veto_text(subject),
            raters_text(subject)]  # fmt: skip


def tally_text(view: PanelView, lang: str = "zh") -> str:
    """Subjects per final grade with the vetoed and downgraded said apart."""
    return panel_words.tally_text(view.form, view.grade_tally, lang)


def subject_lines(subject: SubjectResult, lang: str, form: Form | None = None) -> list[str]:
    """The highlighted subject: score, spread, reasons (vetoes with who and their notes, section
    floors), flags (评委不足 with the rule that applied, a void that changed the result), then
    every rater's sheet."""
    flag = " ⚠" if subject.spread_flag else ""
    place = " · ".join(x for x in (subject.district, subject.level) if x)
    lines = [
        f"{subject.rank}. {subject.subject_name}（{subject.subject}）"
        + (f" {place}" if place else ""),
        f"{tr('panel.score', lang)} {subject.shown_total(lang)} · "
        f"{grade_text(subject, lang, form)} · "
        f"{tr('panel.spread', lang)} {subject.fmt(subject.spread)}{flag} (SD {subject.sd:g})",
    ]
    if subject.bonus_possible:
        lines.append(subject.bonus_text(lang))
    for veto in subject.vetoes:
        status = tr("panel.veto_applies" if veto.applies else "panel.veto_not", lang)
        lines += [status, f"  {_veto_text(form, veto, lang)}"]
        lines += [f"  · {r.rater}：{r.note or tr('detail.none', lang)}" for r in veto.raised_by]
    for reason in subject.reasons:
        if reason.kind == "section_min":
            lines.append(f"↓ {tr('review.reason', lang)}：{reason.text_in(lang)}")
    lines += [f"⚑ {f.text_in(lang)}" for f in subject.flags if f.kind != "spread"]
    lines += [f"  {v.text_in(lang)}" for v in subject.voided if not v.changed]
    lines.append(tr("panel.method", lang, method=panel_words.method_name(subject.method, lang)))
    for sheet in subject.sheets:
        lines.append("  " + tr(
            "panel.sheet_line", lang, rater=sheet.rater, total=subject.fmt(sheet.total),
            bonus=f" {_w('bonus', lang)} {subject.fmt(sheet.bonus)}" if sheet.bonus else "",
            grade=grade_for(form, sheet.grade, lang) if form is not None else sheet.grade,
            dropped="" if sheet.kept else tr("panel.dropped", lang),
        ))  # fmt: skip
    for sheet in subject.self_assessments:
        lines.append(f"  {tr('panel.self', lang)} {sheet.rater}：{subject.fmt(sheet.final)}")
    return lines


def _veto_text(form, veto, lang: str) -> str:
    """A veto's (or failing item's) text in `lang`: the form's English where it has it."""
    if form is None or lang != "en":
        return veto.text
    source = next((v for v in form.vetoes if v.id == veto.id), None)
    if source is None:
        try:
            source = form.item(veto.id)
        except KeyError:
            return veto.text
    return text_for(source, lang)
