"""Charts (DESIGN §6): matplotlib figures of a round's panel.

`data.py` computes what each chart plots from the round's `PanelView` without matplotlib (tests
check those figures); one module per kind draws a `matplotlib.figure.Figure` (no pyplot state,
Agg canvas); `render.py` writes them to files. The meeting pack (`inspect_kit.pack`) embeds them.
"""

from __future__ import annotations

KINDS = ("hist", "sections", "ranking", "radar", "items", "raters")
"""Chart kinds, in the order `--kind all` draws them."""

KIND_NAMES = {
    "hist": "总分分布",
    "sections": "各部分得分率",
    "ranking": "排名",
    "radar": "对象得分结构",
    "items": "失分最多的指标",
    "raters": "评委宽严度",
}
