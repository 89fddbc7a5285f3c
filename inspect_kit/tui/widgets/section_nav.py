"""The fill screen's section list: answered/total and earned/possible for each section."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from inspect_kit.domain.model import NoteItem
from inspect_kit.domain.scoring import ScoreRecord
from inspect_kit.domain.sheet import Sheet
from inspect_kit.i18n.catalog import fmt_points, tr

VETO_SECTION = "__vetoes__"


def section_ids(sheet: Sheet) -> list[str]:
    ids = [s.id for s in sheet.form.sections]
    return [*ids, VETO_SECTION] if sheet.form.vetoes else ids


def section_summary(
    sheet: Sheet, record: ScoreRecord, section_id: str, lang: str
) -> tuple[str, str]:
    """(title, 'mark answered/total  earned/possible') for the navigator and the tests."""
    if section_id == VETO_SECTION:
        vetoes = sheet.form.vetoes
        done = sum(1 for v in vetoes if sheet.answers.vetoes.get(v.id, None) is not None
                   and sheet.answers.vetoes[v.id].fired is not None)  # fmt: skip
        fired = sum(1 for v in record.vetoes if v.source == "veto")
        mark = "⚠" if fired else ("✓" if done == len(vetoes) else "·")
        extra = f"  {tr('fill.veto', lang, n=fired)}" if fired else ""
        return tr("fill.vetoes", lang), f"{mark} {done}/{len(vetoes)}{extra}"
    section = next(s for s in sheet.form.sections if s.id == section_id)
    visible = sheet.visible()
    items = [i for i in section.items if i.id in visible and not isinstance(i, NoteItem)]
    answered = sum(1 for i in items if sheet.answer(i.id).answered)
    required_open = [i for i in items if i.is_required and not sheet.answer(i.id).answered]
    notes_missing = [i for i in items if record.items[i.id].note_missing]
    mark = "⚠" if notes_missing else ("·" if required_open else "✓")
    title = (section.title_en or section.title) if lang == "en" else section.title
    score = next(s for s in record.sections if s.id == section_id)
    if section.bonus:
        points = f"+{fmt_points(score.earned_raw)}"
    elif section.points:
        points = f"{fmt_points(round(score.scaled, 2))}/{fmt_points(section.points)}"
    else:
        points = ""
    return title, f"{mark} {answered}/{len(items)}  {points}".rstrip()


class SectionNav(OptionList):
    """Select a section with Enter or a click; the screen switches to it."""

    def show_sections(self, sheet: Sheet, record: ScoreRecord, current: str, lang: str) -> None:
        options = []
        for section_id in section_ids(sheet):
            title, line = section_summary(sheet, record, section_id, lang)
            prompt = Text(title, style="bold")
            prompt.append("\n " + line, style="")
            options.append(Option(prompt, id=section_id))
        highlighted = self.highlighted
        self.set_options(options)
        ids = section_ids(sheet)
        self.highlighted = ids.index(current) if current in ids else (highlighted or 0)
