"""The one message catalog: every sentence the kit shows, in Chinese (default) and English.

`tr(key, lang, **values)` renders one. The tables live in screen_messages.py (the full-screen
app), prompt_messages.py (`plain.*`, the line-by-line front-end) and core_messages.py (errors,
blockers and grade reasons of the core). Form text comes from the forms (see form_text.py).
"""

from __future__ import annotations

from inspect_kit.i18n.core_messages import CORE_STRINGS
from inspect_kit.i18n.prompt_messages import PROMPT_STRINGS
from inspect_kit.i18n.screen_messages import SCREEN_STRINGS
from inspect_kit.i18n.security_messages import SECURITY_STRINGS

STRINGS: dict[str, tuple[str, str]] = {**CORE_STRINGS, **SCREEN_STRINGS, **PROMPT_STRINGS,
                                       **SECURITY_STRINGS}  # fmt: skip


def tr(key: str, lang: str = "zh", **values: object) -> str:
    """The UI string for `key` in `lang`, with `{name}` placeholders filled."""
    zh, en = STRINGS[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def fmt_points(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:g}" if value == round(value, 1) else f"{value:.2f}"
