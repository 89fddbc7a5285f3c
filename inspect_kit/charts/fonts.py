"""Chinese labels in matplotlib: register a CJK font once, with DejaVu Sans per-glyph fallback.

The font ships as a pip dependency (pylopdf-fonts-zh-cn: Noto Sans SC, OFL) and is registered
with `fontManager.addfont`, which needs no font cache rebuild. System CJK fonts are the fallback
when the package is missing. DejaVu Sans stays in the family list for symbols such as ✗ that
Noto Sans SC lacks, so no "Glyph missing" warning appears (ecosystem.md §2).
"""

from __future__ import annotations

from pathlib import Path

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
        font_manager.fontManager.addfont(str(path))
        families.append(font_manager.FontProperties(fname=str(path)).get_name())
    else:
        installed = {f.name for f in font_manager.fontManager.ttflist}
        families += [name for name in SYSTEM_CJK if name in installed][:1]
    families.append("DejaVu Sans")
    matplotlib.rcParams["font.family"] = families
    matplotlib.rcParams["axes.unicode_minus"] = True
    # Type 3 (the default): Type 42 embeds the CFF-based OTF as TrueType, which viewers reject.
    matplotlib.rcParams["pdf.fonttype"] = 3
    matplotlib.rcParams["svg.fonttype"] = "path"
    _families = families
    return families
