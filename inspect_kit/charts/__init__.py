"""Charts and the meeting pack (DESIGN §6): the only package that imports matplotlib.

`data.py` computes what each chart plots without matplotlib (tests check those figures);
one module per kind draws a `matplotlib.figure.Figure` (no pyplot state, Agg canvas);
`report.py` assembles the meeting-pack PDF.
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
