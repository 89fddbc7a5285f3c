"""The status line under an item on the fill screen: points or value, N/A, the photos, what is
missing; and its colour state (ok, todo, error)."""

from __future__ import annotations

from inspect_kit.domain.answers import Answer, VetoAnswer, display_value
from inspect_kit.domain.model import Item, NoteItem, PhotoItem, SignatureItem, Veto
from inspect_kit.domain.scoring import ItemScore
from inspect_kit.i18n.catalog import fmt_points, tr


def status_parts(item: Item | Veto, answer: Answer | VetoAnswer, score: ItemScore | None,
                 error: str | None, lang: str, bonus: bool) -> tuple[list[str], str]:  # fmt: skip
    parts: list[str] = []
    css_state = "ok"
    if error:
        parts.append(tr("fill.invalid", lang, msg=error))
        css_state = "error"
    if isinstance(answer, VetoAnswer):
        if answer.fired is None:
            parts.append("· " + tr("fill.unanswered", lang))
            css_state = css_state if error else "todo"
        elif answer.fired:
            parts.append(tr("review.veto", lang))
            css_state = "error"
    elif not isinstance(item, Veto):
        if answer.na:
            parts.append(tr("fill.na", lang))
        elif score is not None and score.points is not None:
            parts.append("✓ " + tr("fill.points", lang, points=fmt_points(score.points),
                                   max=fmt_points(score.max)))  # fmt: skip
            if score.lost > 0 and not bonus:  # an unearned bonus is no loss
                parts.append(tr("fill.lost", lang, lost=fmt_points(score.lost)))
        elif answer.answered:
            shown = display_value(item, answer.value, lang)
            parts.append("✓ " + shown if not isinstance(item, PhotoItem) else "✓")
        elif not isinstance(item, NoteItem):
            mark = "· " + tr("fill.unanswered", lang)
            if item.is_required:
                mark += f"（{tr('fill.required', lang)}）"
            parts.append(mark)
            css_state = css_state if error else "todo"
        if isinstance(item, PhotoItem) and answer.attachments:
            parts.append(tr("fill.photos", lang, names="、".join(answer.attachments)))
            parts.append(tr("fill.photo_remove", lang))
        if isinstance(item, SignatureItem) and answer.signed_at:
            parts.append(tr("fill.signed", lang, at=answer.signed_at[:16].replace("T", " ")))
        if getattr(item, "allow_na", False):
            parts.append(tr("fill.na_hint", lang))
        if score is not None and score.note_missing:
            parts.append("⚠ " + tr("fill.note_required", lang))
            css_state = "error"
    return parts, css_state
