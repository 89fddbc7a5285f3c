"""The few questionary prompts the plain front-end uses, with their input and output injected.

Tests pass prompt_toolkit's `create_pipe_input()` and `DummyOutput()`; a terminal passes
nothing. Every prompt uses `unsafe_ask()`, so Ctrl-C arrives as KeyboardInterrupt and a closed
input as EOFError, both handled by the caller in one place. questionary's own English (its
"(Use arrow keys)" and "(Y/n)" hints, the "Yes"/"done (3 selections)" answer lines) is
replaced by the catalog's wording in the session's language.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

import questionary
from prompt_toolkit.filters import IsDone
from prompt_toolkit.layout import ConditionalContainer, HSplit, Layout, Window
from prompt_toolkit.layout.controls import FormattedTextControl
from questionary import Choice, Question, Separator

from inspect_kit.base.safe_text import safe_lines
from inspect_kit.i18n.catalog import tr


class Back:
    """Returned by a prompt when the inspector asked to go back one question."""

    def __repr__(self) -> str:
        return "BACK"


BACK = Back()
BACK_WORD = "<"


class Prompter:
    """Questions and plain lines for one session; `stream` receives the plain lines."""

    def __init__(self, *, input=None, output=None, stream: TextIO | None = None, lang: str = "zh"):
        self.input = input
        self.output = output
        self.stream = stream
        self.lang = lang

    def _kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        if self.input is not None:
            kwargs["input"] = self.input
        if self.output is not None:
            kwargs["output"] = self.output
        return kwargs

    def say(self, text: str = "") -> None:
        # names and notes in `text` come from data: no escape sequence reaches the terminal
        print(safe_lines(text), file=self.stream or sys.stdout, flush=True)

    def select(
        self,
        message: str,
        choices: Sequence[tuple[str, Any] | Separator],
        default: Any = None,
        *,
        back: bool = False,
        search: bool = False,
    ) -> Any:
        """One of `choices` (title, value); with `back`, a "← 上一题" entry that returns BACK;
        with `search`, typed letters filter a long list (an item id) instead of j/k moving."""
        items: list[Choice | Separator] = [
            c if isinstance(c, Separator) else Choice(c[0], value=c[1]) for c in choices
        ]
        if back:
            items.append(Choice(tr("plain.back", self.lang), value=BACK))
        values = [c.value for c in items if isinstance(c, Choice)]
        return questionary.select(
            message,
            items,
            default=default if default in values else None,
            use_search_filter=search,
            use_jk_keys=not search,
            instruction=tr("plain.select_help", self.lang),
            **self._kwargs(),
        ).unsafe_ask()

    def checkbox(
        self,
        message: str,
        choices: Sequence[tuple[str, Any]],
        checked: Sequence[Any] = (),
        extra: Sequence[tuple[str, Any]] = (),
    ) -> list[Any]:
        """Ticked values; `extra` entries (e.g. back, N/A) follow a separator."""
        items: list[Choice | Separator] = [
            Choice(title, value=value, checked=value in checked) for title, value in choices
        ]
        if extra:
            items.append(Separator("──────"))
            items += [
                Choice(title, value=value, checked=value in checked) for title, value in extra
            ]
        titles = {value: title for title, value in [*choices, *extra]}
        question = questionary.checkbox(
            message, items, instruction=tr("plain.tick_help", self.lang), **self._kwargs()
        )
        return _answered_as(question, message, lambda ticked: self._ticked(ticked, titles))

    def _ticked(self, ticked: list[Any], titles: dict[Any, str]) -> str:
        if not ticked:
            return tr("plain.ticked_none", self.lang)
        return "[" + tr("plain.ticked_join", self.lang).join(titles[v] for v in ticked) + "]"

    def text(
        self,
        message: str,
        default: str = "",
        validate: Callable[[str], bool | str] | None = None,
        *,
        back: bool = False,
        instruction: str | None = None,
    ) -> Any:
        """Typed text; with `back`, a typed `<` returns BACK instead of being validated."""

        def check(value: str) -> bool | str:
            if back and value.strip() == BACK_WORD:
                return True
            return validate(value) if validate else True

        answer = questionary.text(
            message, default=default, validate=check, instruction=instruction, **self._kwargs()
        ).unsafe_ask()
        if back and answer.strip() == BACK_WORD:
            return BACK
        return answer

    def confirm(self, message: str, default: bool = False) -> bool:
        hint = tr("plain.confirm_yes_default" if default else "plain.confirm_no_default", self.lang)
        question = questionary.confirm(message, default=default, instruction=hint + " ",
                                       **self._kwargs())  # fmt: skip
        yes, no = tr("plain.answer_yes", self.lang), tr("plain.answer_no", self.lang)
        return bool(_answered_as(question, message, lambda answer: yes if answer else no))


def _answered_as(question: Question, message: str, shown: Callable[[Any], str]) -> Any:
    """Ask `question`; once answered, its line reads "? message <shown(answer)>" in place of
    questionary's own (English) answer line."""
    app = question.application
    answer_line = FormattedTextControl(lambda: [
        ("class:qmark", "?"), ("class:question", f" {message} "),
        ("class:answer", shown(app.future.result() if app.future else None)),
    ])  # fmt: skip
    app.layout = Layout(HSplit([
        ConditionalContainer(app.layout.container, filter=~IsDone()),
        ConditionalContainer(Window(answer_line, dont_extend_height=True), filter=IsDone()),
    ]))  # fmt: skip
    return question.unsafe_ask()
