"""The lines of the review screen: every item with its answer, points, 扣分理由, N/A and
photos, every veto with its 情况说明, section by section. Pure: built from the sheet and its
score record, so a test can read exactly what the inspector is shown."""

from __future__ import annotations

from dataclasses import dataclass

from inspect_kit.domain.answers import display_value
from inspect_kit.domain.model import NoteItem, PhotoItem, SignatureItem, TableItem
from inspect_kit.domain.scoring import ScoreRecord
from inspect_kit.domain.sheet import Sheet
from inspect_kit.domain.table_rows import row_lines
from inspect_kit.i18n.catalog import fmt_points, tr
from inspect_kit.i18n.form_text import localized, text_for, title_for

SECTION_KEY = "section:"
ROW_SEP = "#row"
"""A table item's row lines are keyed `<item id>#row<n>` (Enter on one goes to the item)."""


@dataclass(frozen=True)
class ReviewRow:
    key: str
    """An item or veto id (Enter jumps there), or SECTION_KEY + section id."""
    mark: str
    """⚠ blocks finalizing or fired a veto, · not answered, ✓ answered, "" a heading."""
    item: str
    answer: str
    points: str
    note: str
    blocking: bool = False

    @property
    def detail(self) -> str:
        """The whole line, for the box under the table (cells are cut to their width)."""
        parts = [p for p in (self.item, self.answer, self.points, self.note) if p]
        return "  ".join(parts)


def review_rows(sheet: Sheet, record: ScoreRecord, lang: str) -> list[ReviewRow]:
    rows: list[ReviewRow] = []
    visible = sheet.visible()
    missing_notes, unanswered = set(record.missing_notes), set(record.unanswered)
    for index, section in enumerate(sheet.form.sections, 1):
        score = next(s for s in record.sections if s.id == section.id)
        if section.bonus:
            total = f"+{fmt_points(score.earned_raw)}"
        elif section.points:
            total = f"{fmt_points(round(score.scaled, 1))}/{fmt_points(section.points)}"
        else:
            total = ""
        heading = title_for(section, lang)
        rows.append(ReviewRow(SECTION_KEY + section.id, "", heading, "", total, ""))
        for number, item in enumerate(section.items, 1):
            if item.id not in visible or isinstance(item, NoteItem):
                continue
            answer = sheet.answer(item.id)
            item_score = record.items.get(item.id)
            if answer.na:
                shown = tr("fill.na", lang)
            elif isinstance(item, PhotoItem):
                shown = "、".join(answer.attachments)
            else:
                shown = display_value(item, answer.value, lang)
            if isinstance(item, SignatureItem) and answer.signed_at:
                at = answer.signed_at[:16].replace("T", " ")
                shown += f"（{tr('fill.signed', lang, at=at)}）"
            points = ""
            if item.scored and item_score is not None and item_score.points is not None:
                got, full = fmt_points(item_score.points), fmt_points(item.max_points)
                points = f"+{got}" if section.bonus else f"{got}/{full}"
            elif item.scored and not answer.na:
                points = "—"
            blocking = item.id in missing_notes or item.id in unanswered
            if item.id in missing_notes:
                note = f"⚠ {tr('review.missing_note', lang)}"
            else:
                note = answer.note
            mark = "⚠" if blocking else ("✓" if answer.answered or answer.na else "·")
            if not shown and not answer.answered and not answer.na:
                shown = tr("fill.unanswered", lang)
            label = f"{index}.{number} {text_for(item, lang)}"
            rows.append(ReviewRow(item.id, mark, label, shown, points, note, blocking))
            if isinstance(item, TableItem) and not answer.na:
                for n, line in enumerate(row_lines(item, answer.value, lang), start=1):
                    rows.append(ReviewRow(f"{item.id}{ROW_SEP}{n}", "", line, "", "", ""))
    if sheet.form.vetoes:
        rows.append(ReviewRow(SECTION_KEY + "vetoes", "", tr("fill.vetoes", lang), "", "", ""))
        for number, veto in enumerate(sheet.form.vetoes, 1):
            veto_answer = sheet.answers.vetoes.get(veto.id)
            fired = None if veto_answer is None else veto_answer.fired
            if fired is None:
                mark, shown = "⚠", tr("fill.unanswered", lang)
            elif fired:
                mark, shown = "⚠", tr("fill.veto_yes", lang)
            else:
                mark, shown = "✓", tr("fill.veto_no", lang)
            note = veto_answer.note if veto_answer is not None else ""
            rows.append(ReviewRow(veto.id, mark, f"{number}. {text_for(veto, lang)}", shown, "",
                                  note, blocking=fired is None))  # fmt: skip
    return rows


def summary_text(sheet: Sheet, record: ScoreRecord, lang: str, reason: str | None) -> str:
    """Total, bonus, final score and grade, with the reason for a downgrade."""
    parts = [f"{tr('review.total', lang)} {fmt_points(record.total)}"]
    if record.bonus or sheet.form.bonus_sections:
        parts.append(f"{tr('review.bonus', lang)} +{fmt_points(record.bonus)}")
        parts.append(f"{tr('review.final', lang)} {fmt_points(record.final)}")
    grade = next((localized(g, "grade", lang) for g in sheet.form.grades
                  if g.grade == record.grade), record.grade)  # fmt: skip
    parts.append(f"{tr('review.grade', lang)} {grade}")
    text = " · ".join(parts)
    if reason:
        text += f"\n{tr('review.reason', lang)}：{reason}"
    return text
