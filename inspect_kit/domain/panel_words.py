"""A panel's rule, its method's name and its grade tally, worded once in zh or en.

Every view that names how a panel combines the raters' sheets or counts its grades reads these:
the `panel` CLI table (`rule_text`, `tally_text`), the TUI panel screen (`method_name`,
`tally_text`), the meeting pack (`rule_sentences`, `apart_words`, `method_name`) and the panel's
own flags (`method_name(..., "long")`). The words live in the i18n catalog (`cli.panel.*`,
`panel.method_name.*`); the method page's sentences in `method_text`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from inspect_kit.domain.method_text import method_text
from inspect_kit.domain.model import Form
from inspect_kit.domain.subject_result import GradeCount
from inspect_kit.i18n.catalog import STRINGS, tr
from inspect_kit.i18n.form_text import grade_for

NameStyle = Literal["short", "long"]


def method_name(method: str, lang: str = "zh", style: NameStyle = "short") -> str:
    """The method's name: 'short' for a table's summary line (去掉最高最低后平均 / trimmed
    mean), 'long' inside a sentence (去掉最高分和最低分后平均). Unknown methods as given."""
    key = f"panel.method_name.{style}.{method}"
    return tr(key, lang) if key in STRINGS else method


def rule_text(form: Form, lang: str = "zh") -> str:
    """The form's panel rule in one line: method, quorum, spread flag, veto."""
    rule = form.panel
    method = f"cli.panel.method.{rule.method}"
    text = (
        tr(method, lang, trim=rule.trim, min=rule.min_raters) if method in STRINGS else rule.method
    )
    parts = [
        text,
        tr("cli.panel.quorum", lang, min=rule.min_raters),
        tr("cli.panel.spread_rule", lang, spread=f"{rule.max_spread:g}"),
        tr("cli.panel.veto.any" if rule.veto == "any" else "cli.panel.veto.majority", lang),
    ]
    return ("; " if lang == "en" else "；").join(parts)


def rule_sentences(form: Form, lang: str = "zh") -> str:
    """The panel rule in the method page's words (its first two 小组计分 sentences)."""
    part = next((p for p in method_text(form, lang) if p.key == "panel"), None)
    return ("" if lang != "en" else " ").join(part.lines[:2]) if part else ""


def apart_words(count: GradeCount, lang: str = "zh") -> list[str]:
    """The vetoed and the downgraded among a grade's subjects ('否决 1', '降等 2'), if any."""
    words = [tr("cli.panel.vetoed", lang, n=count.vetoed)] if count.vetoed else []
    words += [tr("cli.panel.downgraded", lang, n=count.downgraded)] if count.downgraded else []
    return words


def tally_text(form: Form, tally: Iterable[GradeCount], lang: str = "zh") -> str:
    """Subjects per final grade, the vetoed and downgraded among them said apart."""
    parts = []
    for g in tally:
        apart = apart_words(g, lang)
        joined = (", " if lang == "en" else "、").join(apart)
        parts.append(f"{grade_for(form, g.grade, lang)} {g.count}"
                     + (tr("cli.panel.apart", lang, parts=joined) if apart else ""))  # fmt: skip
    return tr("cli.panel.tally", lang, parts=" · ".join(parts))
