"""Console output that cannot crash on a console's code page.

On Windows, output to the console window itself is Unicode, but output redirected to a file
or a pipe uses the system code page (936, GBK, on a Chinese Windows): a character outside it
(−, ✓, an emoji in a name) would end the command with UnicodeEncodeError half-way. Such
characters are printed as "?" instead; UTF-8 streams are left as they are."""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable
from typing import Any, TextIO


def _is_utf(encoding: str | None) -> bool:
    try:
        return codecs.lookup(encoding or "ascii").name.startswith("utf")
    except LookupError:
        return False


def never_fail_to_print(*streams: TextIO | None) -> None:
    """Make each text stream replace characters its encoding lacks (in place)."""
    for stream in streams:
        if stream is None or _is_utf(getattr(stream, "encoding", None)):
            continue
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="replace")


class RewritingStream:
    """A text stream that passes every write through `rewrite` (the printed commands made
    runnable, base.invocation.runnable_text); everything else is the wrapped stream's."""

    def __init__(self, stream: TextIO, rewrite: Callable[[str], str]) -> None:
        self._stream = stream
        self._rewrite = rewrite

    def write(self, text: str) -> int:
        self._stream.write(self._rewrite(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
