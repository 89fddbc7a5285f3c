"""The one message catalog: every sentence the kit shows, in Chinese (default) and English.

`tr(key, lang, **values)` renders one. The tables live in screen_messages.py (the full-screen
app), prompt_messages.py (`plain.*`, the line-by-line front-end), core_messages.py (errors,
blockers and grade reasons of the core), cli_messages.py (the command line) and
toolkit_messages.py (what Textual, click, questionary and textual-serve would otherwise say
in English). Form text comes from the forms (see form_text.py).
"""

from __future__ import annotations

from inspect_kit.i18n.cli_messages import CLI_STRINGS
from inspect_kit.i18n.core_messages import CORE_STRINGS
from inspect_kit.i18n.prompt_messages import PROMPT_STRINGS
from inspect_kit.i18n.rectify_messages import RECTIFY_STRINGS
from inspect_kit.i18n.review_messages import REVIEW_STRINGS
from inspect_kit.i18n.screen_messages import SCREEN_STRINGS
from inspect_kit.i18n.security_messages import SECURITY_STRINGS
from inspect_kit.i18n.sync_messages import SYNC_STRINGS
from inspect_kit.i18n.table_messages import TABLE_STRINGS
from inspect_kit.i18n.toolkit_messages import TOOLKIT_STRINGS
from inspect_kit.i18n.trust_messages import TRUST_STRINGS

STRINGS: dict[str, tuple[str, str]] = {
    **CORE_STRINGS,
    **SCREEN_STRINGS,
    **PROMPT_STRINGS,
    **TOOLKIT_STRINGS,
    **CLI_STRINGS,
    **SECURITY_STRINGS,
    **SYNC_STRINGS,
    **REVIEW_STRINGS,
    **TRUST_STRINGS,
    **RECTIFY_STRINGS,
    **TABLE_STRINGS,
}


def tr(key: str, lang: str = "zh", **values: object) -> str:
    """The UI string for `key` in `lang`, with `{name}` placeholders filled."""
    zh, en = STRINGS[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def fmt_points(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:g}" if value == round(value, 1) else f"{value:.2f}"
