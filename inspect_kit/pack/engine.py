"""Typesetting with typst: a template from `pack/typst/` plus data, to PDF bytes.

The compiler ships in the `typst` wheel and reads only the template folder and the Noto Sans SC
file that `pylopdf-fonts-zh-cn` installs; nothing is fetched at run time (the templates import
no `@preview` package). Data goes in as JSON through `sys.inputs` and the templates render it
with typst code (`json(bytes(...))`), never spliced into markup, so a name such as `#eval(..)`,
`*`, `$` or `]` is printed as written. Charts travel the same way (SVG text as an input).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
from functools import cache
from pathlib import Path
from typing import Any

from inspect_kit.base.errors import InspectKitError
from inspect_kit.base.fsio import replace_file

TEMPLATES = Path(__file__).with_name("typst")
FONT_FAMILY = "Noto Sans SC"


@cache
def font_dir() -> str:
    """The folder of the bundled Noto Sans SC (the same file the charts use)."""
    import pylopdf_fonts_zh_cn

    return str(Path(pylopdf_fonts_zh_cn.sans_path()).parent)


@cache
def _compiler() -> Any:
    import typst

    # Loading the fonts is most of a compiler's start (~0.15 s): one per process.
    return typst.Compiler(root=str(TEMPLATES), font_paths=[font_dir()], ignore_system_fonts=True)


_warming: threading.Thread | None = None


def warm_up() -> None:
    """Start loading the compiler's fonts in a background thread (typst releases the GIL, so
    Python goes on reading the store meanwhile): a tiny document is compiled once, and the
    compiler keeps what it loaded. `typeset` waits for it, and so does a fork (`warmed`)."""
    global _warming
    if _warming is None:
        _warming = threading.Thread(target=_warm, name="typst-fonts", daemon=True)
        _warming.start()


def warmed() -> None:
    """Wait for `warm_up` (if started): before a fork, and before the compiler is used."""
    if _warming is not None:
        _warming.join()


def _warm() -> None:
    with contextlib.suppress(Exception):  # the real compile reports any problem
        _compiler().compile(input=str(TEMPLATES / "warm.typ"), format="pdf", pdf_tags=False)


def typeset(template: str, data: Any, files: dict[str, str] | None = None) -> bytes:
    """PDF bytes of `pack/typst/<template>.typ` rendered over `data` (JSON-serialisable).

    `files` are further text inputs (chart SVGs) the template reads as `sys.inputs.at(name)`.
    """
    import typst

    inputs = {"data": json.dumps(data, ensure_ascii=False, default=str), **(files or {})}
    warmed()  # one thread at a time in the compiler
    try:
        # No tagged-PDF structure tree: it made packs ten times larger (20 MB for 580 pages)
        # for no change in what is printed, selected or searched.
        pdf = _compiler().compile(
            input=str(TEMPLATES / f"{template}.typ"),
            format="pdf",
            sys_inputs=inputs,
            pdf_tags=False,
        )
    except typst.TypstError as exc:  # a template bug, never the user's text
        raise InspectKitError(f"排版失败（{template}）：{exc.message}") from None
    assert isinstance(pdf, bytes)
    return pdf


def write_pdf(out: Path, pdf: bytes) -> None:
    """Write atomically (temp file + replace): a half-written PDF never stays behind."""
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.stem}.", suffix=".pdf")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pdf)
            os.chmod(tmp, 0o644)
            replace_file(tmp, out)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except OSError as exc:
        raise InspectKitError(f"无法写入 {out}：{exc.strerror or exc}") from None
