"""Typed errors. Every error a user can meet is one of these, printed once as plain words.

An error raised with a `code` carries its parameters; the one catalog (inspect_kit.i18n)
words it, in Chinese for `str(error)` and in the user's language for `error.render(lang)`, so
no front-end re-translates the core's sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class InspectKitError(Exception):
    """A failure the user can understand and act on; the CLI prints it and exits 1."""

    def __init__(self, message: str | None = None, *, code: str | None = None,
                 **params: Any) -> None:  # fmt: skip
        self.code = code
        self.params = params
        if message is None:
            if code is None:
                raise TypeError("an InspectKitError needs a message or a code")
            message = _render(code, "zh", params)
        super().__init__(message)

    def render(self, lang: str) -> str:
        """The message in `lang`: from the catalog when the error has a code."""
        return _render(self.code, lang, self.params) if self.code else str(self)


def _render(code: str, lang: str, params: dict[str, Any]) -> str:
    from inspect_kit.i18n.catalog import tr  # the catalog is plain data, below every layer

    return tr(code, lang, **params)


@dataclass(frozen=True)
class Located:
    """One problem in a file, with where it is."""

    path: str
    line: int | None
    where: str  # item path such as sections[2].items[0].points, or "" for the whole file
    message: str

    def __str__(self) -> str:
        loc = f"{self.path}:{self.line}" if self.line else self.path
        return f"{loc}: {self.where}: {self.message}" if self.where else f"{loc}: {self.message}"


class FormError(InspectKitError):
    """A form file that cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Located]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class FormNotFound(InspectKitError):
    pass


class AnswerError(InspectKitError):
    """A value that does not fit its item (out of range, unknown option...)."""


class StoreError(InspectKitError):
    """The database cannot do what was asked (not found, locked, full disk...)."""


class DatabaseDamaged(StoreError):
    """A database file that does not parse or has the wrong shape; it is never written over."""


class NotFound(StoreError):
    pass
