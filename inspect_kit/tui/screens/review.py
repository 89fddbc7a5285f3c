"""Review before finalizing: what is still open (each jumps to its item), the score by section,
total, bonus and grade with its reason. Returns FINALIZE, an item id to jump to, or None."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, OptionList
from textual.widgets.option_list import Option

from inspect_kit.domain.reasons import explain_grade
from inspect_kit.domain.sheet import Sheet
from inspect_kit.i18n.catalog import fmt_points, tr
from inspect_kit.i18n.form_text import text_for
from inspect_kit.tui.bindings import localize_bindings
from inspect_kit.tui.screens.base import KitModal
from inspect_kit.tui.user_text import plain
from inspect_kit.tui.widgets.plain import Plain

FINALIZE = "__finalize__"


def _item_label(sheet: Sheet, item_id: str, lang: str) -> str:
    vetoes = {v.id: v for v in sheet.form.vetoes}
    if item_id in vetoes:
        veto = vetoes[item_id]
        return f"{tr('fill.vetoes', lang)} · {text_for(veto, lang)}"
    section = sheet.form.section_of(item_id)
    item = sheet.form.item(item_id)
    text = text_for(item, lang)
    return f"{section.title} · {text}"


def score_table(sheet: Sheet, lang: str) -> Table:
    record = sheet.score()
    table = Table(box=None, show_header=True, pad_edge=False, expand=False)
    table.add_column(tr("review.sections", lang))
    table.add_column(tr("col.score", lang), justify="right")
    table.add_column("%", justify="right")
    for section in record.sections:
        if section.bonus:
            table.add_row(plain(section.title), f"+{fmt_points(section.earned_raw)}", "")
        elif section.points:
            ratio = "N/A" if section.ratio is None else f"{section.ratio:.0%}"
            table.add_row(plain(section.title), f"{section.scaled:.2f}/{section.points:g}", ratio)
    table.add_row("", "", "")
    table.add_row(Text(tr("review.total", lang), style="bold"), fmt_points(record.total), "")
    if record.bonus or sheet.form.bonus_sections:
        table.add_row(tr("review.bonus", lang), f"+{fmt_points(record.bonus)}", "")
        table.add_row(tr("review.final", lang), fmt_points(record.final), "")
    table.add_row(
        Text(tr("review.grade", lang), style="bold"), plain(record.grade, style="bold"), ""
    )
    return table


class ReviewScreen(KitModal[str | None]):
    CSS_PATH = "review.tcss"
    BINDINGS = [
        Binding("escape", "dismiss_none", "返回", id="review.back"),
        Binding("f10", "confirm", "确认提交", id="review.confirm"),
    ]

    def __init__(self, sheet: Sheet) -> None:
        super().__init__()
        self.sheet = sheet
        localize_bindings(self, self.lang)

    def compose(self) -> ComposeResult:
        sheet, lang = self.sheet, self.lang
        record = sheet.score()
        blockers = sheet.blockers(record)
        with Vertical(id="review-box"):
            yield Plain(f"{tr('review.title', lang)} · {sheet.subject_name}", id="review-title")
            options: list[Option] = []
            for item_id in record.unanswered:
                options.append(
                    Option(
                        plain(
                            f"· {tr('review.unanswered', lang)}："
                            + _item_label(sheet, item_id, lang)
                        ),
                        id=item_id,
                    )
                )
            for item_id in record.missing_notes:
                options.append(
                    Option(
                        plain(
                            f"⚠ {tr('review.missing_note', lang)}："
                            + _item_label(sheet, item_id, lang)
                        ),
                        id=item_id,
                    )
                )
            for veto in record.vetoes:
                label = f"{tr('review.veto', lang)}：{veto.text}" + (
                    f"（{veto.note}）" if veto.note else ""
                )
                options.append(Option(plain(label), id=veto.id))
            if options:
                yield Plain(tr("review.problems", lang), classes="review-heading")
                yield OptionList(*options, id="review-problems")
            else:
                yield Plain(tr("review.no_problems", lang), classes="review-heading")
            with VerticalScroll(id="review-score"):
                yield Plain(score_table(sheet, lang))
                if reason := explain_grade(sheet.form, record, lang):
                    yield Plain(f"{tr('review.reason', lang)}：{reason}", id="review-reason")
                if blockers:
                    yield Plain(
                        tr("review.blocked", lang, why="；".join(blockers)), id="review-blocked"
                    )
            with Horizontal(id="review-buttons"):
                yield Button(tr("review.confirm", lang), id="confirm", variant="success",
                             disabled=bool(blockers))  # fmt: skip
                yield Button(tr("key.back", lang), id="back")

    def on_mount(self) -> None:
        if self.sheet.blockers():
            self.query_one("#review-problems").focus()
        else:
            self.query_one("#confirm").focus()

    @on(OptionList.OptionSelected, "#review-problems")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Button.Pressed, "#confirm")
    def _confirm_pressed(self) -> None:
        self.action_confirm()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.dismiss(None)

    def action_confirm(self) -> None:
        if not self.sheet.blockers():
            self.dismiss(FINALIZE)
        else:
            why = tr("reason.join", self.lang).join(self.sheet.blockers(lang=self.lang))
            self.notify(tr("review.blocked", self.lang, why=why), severity="warning")

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
