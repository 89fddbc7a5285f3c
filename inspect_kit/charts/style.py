"""Shared look: projector-sized fonts, grade colours (always paired with text), figure factory."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from inspect_kit.base.textwidth import truncate, wrap
from inspect_kit.charts.fonts import setup_fonts
from inspect_kit.charts.palette import (  # noqa: F401  (re-exported: the chart modules' one import)
    AMBER,
    BLUE,
    DARK,
    GREEN,
    GREY,
    ORANGE,
    PALETTES,
    RED,
    VETO,
    grade_colors,
)

SCREEN = (13.33, 7.5)
"""16:9 slide size in inches; at 150 dpi a 2000 × 1125 pixel image."""
A4_LANDSCAPE = (11.69, 8.27)
DPI = 150

TITLE = 22
LABEL = 17
TICK = 15
NOTE = 14


def new_figure(size: tuple[float, float] = SCREEN) -> Figure:
    setup_fonts()
    fig = Figure(figsize=size, dpi=DPI, layout="constrained")
    engine = fig.get_layout_engine()
    assert isinstance(engine, ConstrainedLayoutEngine)
    engine.set(w_pad=0.12, h_pad=0.12)
    return fig


def fixed_figure(size: tuple[float, float], *, left: float, right: float, top: float,
                 bottom: float) -> Figure:  # fmt: skip
    """A figure whose one axes sits at these margins (inches), for a chart whose every text
    outside the axes has a known size: saving draws it once, at its own size, where the
    constrained layout (and the tight crop it needs) drew it twice and measured every text
    (~25 ms of a hist). `save` crops only figures that have a layout engine."""
    setup_fonts()
    fig = Figure(figsize=size, dpi=DPI)
    width, height = size
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height,
                        bottom=bottom / height)  # fmt: skip
    return fig


def chart_title(fig: Figure, title: str, subtitle: str, size: float = TITLE,
                y: float = 0.98) -> None:  # fmt: skip
    """Chart name (large) and the form/round (smaller) above everything."""
    fig.suptitle(f"{title}\n{subtitle}", fontsize=size, linespacing=1.5, y=y)


def form_line(form_title: str, round_: str, columns: int = 70) -> str:
    return f"{truncate(form_title, columns)}  ·  轮次 {round_}"


def label(text: str, columns: int, lines: int = 2) -> str:
    """A tick label wrapped to `columns` (display width), at most `lines` lines, … when cut."""
    return "\n".join(wrap(text, columns, lines))
