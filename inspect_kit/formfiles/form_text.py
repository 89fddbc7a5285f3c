"""A form file's text as the loader and the parsed-forms cache read it, and `LoadedForm`.

Kept free of pydantic and YAML: the home screen lists forms from the cache (form_cache.py)
by the sha256 of this text before either is imported."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from inspect_kit.base.errors import FormError, FormNotFound, Located

if TYPE_CHECKING:
    from inspect_kit.domain.model import Form

MAX_FORM_BYTES = 1_000_000  # a real form is ~20 KB; anything this big is a mistake or an attack
TOO_BIG = f"the file is larger than {MAX_FORM_BYTES // 1000} KB; a form file is far smaller"


@dataclass(frozen=True)
class LoadedForm:
    """A validated form with where it came from; `sha256` identifies this exact text."""

    form: Form
    path: Path
    source: str
    sha256: str
    builtin: bool = False


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@contextmanager
def file_errors(path: Path) -> Iterator[None]:
    """A missing or unreadable form file as the form error the user sees (stat and read alike)."""
    try:
        yield
    except FileNotFoundError:
        raise FormNotFound(code="form.no_file", path=path) from None
    except OSError as exc:
        raise FormError(
            [Located(str(path), None, "", f"cannot read the file: {exc.strerror}")]
        ) from None


def read_form_file(path: Path) -> str:
    with file_errors(path):
        raw = path.read_bytes()
    if len(raw) > MAX_FORM_BYTES:
        raise FormError([Located(str(path), 1, "", TOO_BIG)])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FormError(
            [
                Located(
                    str(path),
                    line,
                    "",
                    f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                )
            ]
        ) from None
