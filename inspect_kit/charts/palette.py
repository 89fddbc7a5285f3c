"""Grade colours (always paired with the grade's name), without matplotlib: the pack's own
pages use them too, and a pack render must not pay matplotlib's import for a colour."""

from __future__ import annotations

GREEN, BLUE, AMBER, ORANGE, RED = "#2e7d32", "#1565c0", "#f2a900", "#e8590c", "#c62828"
GREY, DARK, VETO = "#9e9e9e", "#212121", "#424242"
PALETTES = {
    1: [GREEN],
    2: [GREEN, RED],
    3: [GREEN, AMBER, RED],
    4: [GREEN, BLUE, AMBER, RED],
    5: [GREEN, BLUE, AMBER, ORANGE, RED],
}


def grade_colors(count: int) -> list[str]:
    """Colours for grades best..worst; always shown with the grade's name beside them."""
    if count in PALETTES:
        return PALETTES[count]
    base = PALETTES[5]
    return [base[min(4, round(i * 4 / max(1, count - 1)))] for i in range(count)]
