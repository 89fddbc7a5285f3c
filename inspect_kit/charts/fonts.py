"""Chinese labels in matplotlib: register a CJK font once, with DejaVu Sans per-glyph fallback.

The font ships as a pip dependency (pylopdf-fonts-zh-cn: Noto Sans SC, OFL) and is registered
with `fontManager.addfont`, which needs no font cache rebuild. System CJK fonts are the fallback
when the package is missing. DejaVu Sans stays in the family list for symbols such as ✗ that
Noto Sans SC lacks, so no "Glyph missing" warning appears (ecosystem.md §2).
"""

from __future__ import annotations

import atexit
import dataclasses
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SYSTEM_CJK = (
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Heiti SC",
    "STHeiti",
)

_families: list[str] | None = None


def bundled_font() -> Path | None:
    try:
        import pylopdf_fonts_zh_cn
    except ImportError:
        return None
    path = Path(pylopdf_fonts_zh_cn.sans_path())
    return path if path.is_file() else None


def setup_fonts() -> list[str]:
    """Register the CJK font and set the family list (once per process); returns the list."""
    global _families
    if _families is not None:
        return _families
    import matplotlib
    from matplotlib import font_manager

    families: list[str] = []
    path = bundled_font()
    if path is not None:
        register_font(path)
        # The family from the entry registered: FontProperties(fname=) would parse the 8 MB
        # font a second time (~8 ms).
        ttflist = font_manager.fontManager.ttflist
        families.append(next(f.name for f in reversed(ttflist) if f.fname == str(path)))
    else:
        installed = {f.name for f in font_manager.fontManager.ttflist}
        families += [name for name in SYSTEM_CJK if name in installed][:1]
    families.append("DejaVu Sans")
    matplotlib.rcParams["font.family"] = families
    matplotlib.rcParams["axes.unicode_minus"] = True
    # Type 42 for the bundled CFF-based OTF would embed CFF data labelled TrueType, which
    # viewers reject; saving a PDF goes through `vector_text`, which embeds real TrueType.
    matplotlib.rcParams["pdf.fonttype"] = 3
    matplotlib.rcParams["svg.fonttype"] = "path"
    _families = families
    return families


FONT_ENTRIES = "inspect-kit-font-entries.json"
"""In matplotlib's cache folder: the entries `addfont` made for the bundled font."""


def register_font(path: Path) -> None:
    """Make the font at `path` known to matplotlib, as `fontManager.addfont` does. addfont
    parses the file (8 MB: ~20 ms of every chart command); the entries it makes are kept in
    matplotlib's cache folder under the file's size, mtime and matplotlib's version, so a
    later process adds them without parsing. A missing, stale or damaged file: addfont."""
    import matplotlib
    from matplotlib import font_manager

    manager = font_manager.fontManager
    stat = path.stat()
    key = [str(path), stat.st_size, stat.st_mtime_ns, matplotlib.__version__]
    cache = Path(matplotlib.get_cachedir()) / FONT_ENTRIES
    entries = _kept_entries(cache, key)
    forget = getattr(getattr(manager, "_findfont_cached", None), "cache_clear", None)
    if entries is not None and forget is not None:
        manager.ttflist.extend(entries)
        forget()  # as addfont does: earlier lookups did not know the font
        return
    before = len(manager.ttflist)
    manager.addfont(str(path))
    _keep_entries(cache, key, manager.ttflist[before:])


def _kept_entries(cache: Path, key: list[Any]) -> list[Any] | None:
    from matplotlib.font_manager import FontEntry

    try:
        kept = json.loads(cache.read_bytes())
        if not isinstance(kept, dict) or kept.get("key") != key or not kept.get("entries"):
            return None
        return [FontEntry(**entry) for entry in kept["entries"]]
    except (OSError, ValueError, TypeError):
        return None


def _keep_entries(cache: Path, key: list[Any], entries: list[Any]) -> None:
    """Best effort: a cache that cannot be written costs the parse next time."""
    from inspect_kit.base.fsio import replace_file

    body = json.dumps({"key": key, "entries": [dataclasses.asdict(e) for e in entries]})
    tmp = cache.with_name(f".{cache.name}-{os.getpid()}")
    try:
        tmp.write_text(body, encoding="utf-8")
        replace_file(tmp, cache)
    except OSError:
        with suppress(OSError):
            tmp.unlink()


@contextmanager
def vector_text(figures: Iterable[Figure], fmt: str) -> Iterator[None]:
    """While saving: SVG keeps text as text (svg.fonttype 'none'); PDF embeds the fonts as
    TrueType subsets (pdf.fonttype 42), selectable and searchable, never Type 3."""
    import matplotlib
    from matplotlib.text import Text

    figures = list(figures)
    if fmt == "svg":
        with matplotlib.rc_context({"svg.fonttype": "none"}):
            yield
        return
    if fmt != "pdf":
        yield
        return
    texts = []
    for fig in figures:
        fig.canvas.draw()  # creates the tick labels, so their characters are known
        texts += [t for t in fig.findobj(Text) if t.get_text()]
    family = truetype_family("".join(t.get_text() for t in texts))
    if family is None:  # no CJK font found: the default (Type 3) stays
        yield
        return
    families = [family, "DejaVu Sans"]
    before = [t.get_fontfamily() for t in texts]
    with matplotlib.rc_context({"pdf.fonttype": 42, "font.family": families}):
        for t in texts:
            t.set_fontfamily(families)
        try:
            yield
        finally:
            for t, old in zip(texts, before, strict=True):
                t.set_fontfamily(old)


_truetype: dict[frozenset[str], str] = {}
_tmpdir: Path | None = None


def truetype_family(chars: str) -> str | None:
    """A family holding the CJK font's glyphs for `chars` as TrueType outlines, registered with
    matplotlib; the bundled font is CFF-based, so its subset is converted (cu2qu), once per set
    of characters. None when no CJK font file is at hand."""
    global _tmpdir
    src = bundled_font()
    if src is None:
        return None
    wanted = frozenset(chars) | frozenset(ASCII)
    if wanted in _truetype:
        return _truetype[wanted]
    from matplotlib import font_manager

    if _tmpdir is None:
        _tmpdir = Path(tempfile.mkdtemp(prefix="inspect-kit-fonts-"))
        atexit.register(shutil.rmtree, _tmpdir, True)
    name = f"InspectKit Sans SC {len(_truetype) + 1}"
    path = _tmpdir / f"sans-sc-{len(_truetype) + 1}.ttf"
    _to_truetype(src, wanted, name, path)
    font_manager.fontManager.addfont(str(path))
    _truetype[wanted] = name
    return name


ASCII = "".join(chr(c) for c in range(32, 127))


def _to_truetype(src: Path, chars: frozenset[str], family: str, out: Path) -> None:
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(src))
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(c) for c in chars})
    subsetter.subset(font)
    if "glyf" not in font:
        order = font.getGlyphOrder()
        glyph_set = font.getGlyphSet()
        glyphs = {}
        for glyph_name in order:
            pen = TTGlyphPen(glyph_set)
            glyph_set[glyph_name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
            glyphs[glyph_name] = pen.glyph()
        glyf = newTable("glyf")
        glyf.glyphOrder = order
        glyf.glyphs = glyphs
        font["glyf"] = glyf
        font["loca"] = newTable("loca")
        for tag in ("CFF ", "VORG"):
            if tag in font:
                del font[tag]
        font["head"].glyphDataFormat = 0
        maxp = font["maxp"]
        maxp.tableVersion = 0x00010000
        for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                      "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                      "maxComponentElements"):  # fmt: skip
            setattr(maxp, field, 0)
        maxp.maxZones = 1
        font["post"].formatType = 2.0
        font["post"].extraNames = []
        font["post"].mapping = {}
        font["post"].glyphOrder = order
        font.sfntVersion = "\x00\x01\x00\x00"
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = family
        elif record.nameID == 6:
            record.string = family.replace(" ", "")
    font.save(str(out))
